# Names and addresses of a data-plane testbed (sourced by up.sh and state.sh). Each node is a network namespace
# of its own, joined by a veth to one bridge that the testbed creates; the bridge's address is
# the only one the testbed puts in the host's namespace (kubelets reach the apiserver's relay
# and CoreDNS on it, and the apiserver and metrics-server reach the kubelets from it). No
# default route anywhere: nothing inside can reach beyond the testbed's own addresses.
#
# Addresses come from 10.<net>.0.0/16, <net> derived from the testbed's port block, so
# concurrent testbeds never share one: nodes 10.<net>.0.<10+k>/24 (bridge .1), pods of node k
# 10.<net>.<128+k>.0/24. Services are 10.96.0.0/16 inside every namespace (kube-proxy's rules
# live in the node namespaces only).

NODES=4
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10

# net_layout <port base>: the names and addresses of this testbed's network.
net_layout() {
  net_id=$((20 + ($1 - 12000) / 100))
  bridge="sstb$net_id"
  bridge_ip="10.$net_id.0.1"
  cluster_cidr="10.$net_id.128.0/17"
}
node_name() { echo "testbed-node-$1"; }
node_ip() { echo "10.$net_id.0.$((10 + $1))"; }
node_netns() { echo "$bridge-node$1"; }
pod_cidr() { echo "10.$net_id.$((128 + $1)).0/24"; }
# in_node <k> <command…>: runs a command in node k's network namespace only (not
# `ip netns exec`, which also remounts /sys and hides the cgroup hierarchies).
in_node() {
  local k="$1"
  shift
  nsenter --net="/run/netns/$(node_netns "$k")" "$@"
}

node_dir() { echo "$STATE/nodes/$1"; }
node_socket() { echo "$(node_dir "$1")/containerd.sock"; }
# The kubelet's cgroupRoot, one per node so the kubelets do not share their pods' cgroups.
node_cgroup() { echo "/$(node_netns "$1")"; }
# The cgroup v1 hierarchies the kubelet uses (each mounted under /sys/fs/cgroup/<name>).
CGROUP_CONTROLLERS=(cpu cpuacct cpuset memory devices freezer blkio pids systemd)
