# One real node of the data plane (sourced by up.sh): containerd, kubelet and kube-proxy in the
# node's network namespace, each with its state under $STATE/nodes/<k>. Every path a node
# writes is its own (sockets, state, pod logs, CNI IPAM, cgroup root), since several run on
# one machine; the kubelet's device-plugin socket is the exception (its path is fixed).

# node_cgroups <k>: the kubelet needs its cgroupRoot to exist in every hierarchy already,
# and a new cpuset is empty (no CPUs, no memory nodes) until given its parent's.
node_cgroups() {
  local c dir
  for c in "${CGROUP_CONTROLLERS[@]}"; do
    dir="/sys/fs/cgroup/$c$(node_cgroup "$1")"
    mkdir -p "$dir"
    if [[ "$c" == cpuset ]]; then
      cat /sys/fs/cgroup/cpuset/cpuset.cpus >"$dir/cpuset.cpus"
      cat /sys/fs/cgroup/cpuset/cpuset.mems >"$dir/cpuset.mems"
    fi
  done
}

node_configure() {
  local k="$1" dir
  dir="$(node_dir "$k")"
  mkdir -p "$dir"/{cni,cni-ipam,containerd,kubelet,pod-logs}
  cat >"$dir/containerd.toml" <<TOML
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
# Storage drivers this machine has no use for, and tracing, stay off (less noise, faster start).
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$(node_socket "$k")"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(image_ref pause)"
  # This machine does not let a process lower its oom_score_adj (no CAP_SYS_RESOURCE): runc
  # fails every sandbox unless containerd keeps the scores at or above its own.
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        # runc's state per node, not in the machine-wide default.
        Root = "$dir/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni"
TOML
  # Bridge + host-local from Debian's plugins; containerd adds loopback itself. Routed, not
  # masqueraded: every pod sees the others' real addresses.
  cat >"$dir/cni/10-testbed.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "testbed",
  "plugins": [
    {
      "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(pod_cidr "$k")"}]],
               "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$dir/cni-ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
  cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# This machine has cgroup v1 only; kubelet 1.36 refuses it unless told otherwise.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $(node_cgroup "$k")
containerRuntimeEndpoint: unix://$(node_socket "$k")
address: $(node_ip "$k")
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
failSwapOn: false
# As containerd's restrict_oom_score_adj: the kubelet may not lower its own score here.
oomScoreAdj: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: AlwaysAllow}
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
# No host resolv.conf: pods with dnsPolicy Default get no upstream servers to send queries to.
resolvConf: ""
podCIDR: $(pod_cidr "$k")
podLogsDir: $dir/pod-logs
# The images are imported, not pulled: collecting them would lose them for good.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
YAML
  cat >"$dir/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $NODE_KUBECONFIG}
hostnameOverride: $(node_name "$k")
bindAddress: $(node_ip "$k")
clusterCIDR: $cluster_cidr
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts on the node's own address only.
nodePortAddresses: [primary]
oomScoreAdj: 0
# Conntrack table sizes are machine-wide: leave them to the host.
conntrack: {maxPerCore: 0, min: 0}
YAML
}

# node_runtime <k>: containerd, whose socket the kubelet needs.
node_runtime() {
  local k="$1"
  node_cgroups "$k"
  start_in "$k" "node-$k.containerd" /usr/bin/containerd --config "$(node_dir "$k")/containerd.toml"
}

# node_import <k>: every image, unpacked into the node's containerd (nothing is ever pulled).
node_import() {
  local k="$1" name
  for name in "${!IMAGE_TARS[@]}"; do
    ctr --address "$(node_socket "$k")" -n k8s.io images import "${IMAGE_TARS[$name]}" >/dev/null
  done
}

# node_agents <k> <zone>: the kubelet, which registers the Node, and kube-proxy.
node_agents() {
  local k="$1" zone="$2" dir
  dir="$(node_dir "$k")"
  start_in "$k" "node-$k.kubelet" "$NODE_BIN/kubelet" --config="$dir/kubelet.yaml" \
    --kubeconfig="$NODE_KUBECONFIG" --hostname-override="$(node_name "$k")" --node-ip="$(node_ip "$k")" \
    --root-dir="$dir/kubelet" --cert-dir="$dir/kubelet/pki" --containerd="$(node_socket "$k")" \
    --node-labels="topology.kubernetes.io/zone=$zone"
  start_in "$k" "node-$k.kube-proxy" "$NODE_BIN/kube-proxy" --config="$dir/kube-proxy.yaml"
}
