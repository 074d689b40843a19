# The data plane's network (sourced by up.sh and state.sh): the bridge, one namespace per
# node joined to it by a veth, and the routes between them (see layout.sh).

net_create() {
  local k j
  ip link add "$bridge" type bridge
  ip addr add "$bridge_ip/24" dev "$bridge"
  ip link set "$bridge" up
  for ((k = 1; k <= NODES; k++)); do
    ip netns add "$(node_netns "$k")"
    ip link add "$bridge-$k" type veth peer name "$bridge-$k-n"
    ip link set "$bridge-$k" master "$bridge" up
    ip link set "$bridge-$k-n" netns "$(node_netns "$k")"
    in_node "$k" ip link set "$bridge-$k-n" name eth0
    in_node "$k" ip addr add "$(node_ip "$k")/24" dev eth0
    in_node "$k" ip link set lo up
    in_node "$k" ip link set eth0 up
    # Pods of the other nodes are one hop away; ClusterIPs are rewritten by kube-proxy
    # before routing, but a host-network client needs a route to start from.
    for ((j = 1; j <= NODES; j++)); do
      ((j == k)) || in_node "$k" ip route add "$(pod_cidr "$j")" via "$(node_ip "$j")"
    done
    in_node "$k" ip route add "$SERVICE_CIDR" dev eth0
    in_node "$k" sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1
    # Replies from CoreDNS and the relay on the bridge go back to the pods.
    ip route add "$(pod_cidr "$k")" via "$(node_ip "$k")" dev "$bridge"
  done
}

# Deleting a namespace deletes its end of the veth and so the other end; deleting the bridge
# deletes the routes through it.
net_delete() {
  local k
  for ((k = 1; k <= NODES; k++)); do
    [[ -e "/run/netns/$(node_netns "$k")" ]] && ip netns delete "$(node_netns "$k")"
  done
  if ip link show "$bridge" >/dev/null 2>&1; then ip link delete "$bridge"; fi
}
