# The data plane (sourced by up.sh for `--data-plane`): real nodes in network namespaces, the
# relay that lets them reach the apiserver, CoreDNS, and the objects that wire them into the
# cluster (storage is storage.sh's, shared with KWOK). Uses up.sh's start, wait_for, fail and kubectl.

declare -A IMAGE_TARS IMAGE_REFS
image_ref() { echo "${IMAGE_REFS[$1]}"; }

source "$(dirname "${BASH_SOURCE[0]}")/debian-packages.sh"

dataplane_prerequisites() {
  if ((EUID != 0)); then
    say "--data-plane needs root (network namespaces, cgroups, mounts, containerd); run it as root"
    exit 1
  fi
  install_debian_packages
  # Every kubelet and containerd takes inotify instances; with two testbeds up (a developer's and
  # a test run's) the common default of 128 runs out ("inotify_init: too many open files").
  local instances
  instances="$(sysctl -n fs.inotify.max_user_instances 2>/dev/null || echo 1024)"
  if ((instances < 1024)); then
    say "raising fs.inotify.max_user_instances from $instances to 1024 (the nodes' kubelets and containerds)"
    sysctl -qw fs.inotify.max_user_instances=1024 || say "could not raise it; a second testbed may fail to start"
  fi
}

# Builds what is missing (binaries, images) and records the images' references.
dataplane_build() {
  local name ref tar images
  "$here/build-node.sh"
  images="$("$here/build-images.sh")"$'\n'"$("$here/build-shipshape-image.sh")"
  while read -r name ref tar; do
    IMAGE_REFS[$name]="$ref" IMAGE_TARS[$name]="$tar"
  done <<<"$images"
  ingress_build
}

# start_in <k> <name> <binary> <args…>: as start, inside node k's network namespace.
start_in() {
  local k="$1" name="$2"
  shift 2
  setsid nsenter --net="/run/netns/$(node_netns "$k")" "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null 9<&- &
  echo $! >"$STATE/pids/$name.pid"
}

# The kubelets' and kube-proxies' kubeconfig: the admin identity, through the relay.
write_node_kubeconfig() {
  sed "s|server: .*|server: https://$bridge_ip:$api_port|" "$KUBECONFIG_FILE" >"$NODE_KUBECONFIG"
}

write_coredns_config() {
  mkdir -p "$STATE/coredns"
  # No forward: there is no upstream, and names outside the cluster must not leave it.
  cat >"$STATE/coredns/Corefile" <<EOF
.:53 {
  bind $bridge_ip
  errors
  ready $bridge_ip:8181
  kubernetes cluster.local in-addr.arpa ip6.arpa {
    kubeconfig $KUBECONFIG_FILE testbed
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  cache 5
  loadbalance
}
EOF
}

# The cluster's side of the data plane's DNS: a selectorless Service whose endpoint is
# CoreDNS on the bridge.
dns_objects() {
  cat <<EOF
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_IP
  ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kube-dns-coredns
  namespace: kube-system
  labels: {kubernetes.io/service-name: kube-dns, endpointslice.kubernetes.io/managed-by: testbed}
addressType: IPv4
endpoints: [{addresses: ["$bridge_ip"], conditions: {ready: true}}]
ports: [{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]
EOF
}

dns_ready() { curl -fsS --max-time 2 "http://$bridge_ip:8181/ready"; }

dataplane_start() {
  local k pids=() zones=(zone-a zone-b) name
  net_create
  say "network: bridge $bridge ($bridge_ip), $NODES node namespaces ($((SECONDS - started))s)"
  # The apiserver stays on loopback; the nodes reach it through this relay on the bridge.
  start api-relay.socat /usr/bin/socat "TCP-LISTEN:$api_port,bind=$bridge_ip,fork,reuseaddr" "TCP:127.0.0.1:$api_port"
  write_node_kubeconfig
  for ((k = 1; k <= NODES; k++)); do
    node_configure "$k"
    node_runtime "$k"
  done
  for ((k = 1; k <= NODES; k++)); do
    wait_for "node-$k.containerd" 30 "its socket" ctr --address "$(node_socket "$k")" version
  done
  # Imports in parallel: unpacking is mostly I/O.
  for ((k = 1; k <= NODES; k++)); do
    node_import "$k" >"$STATE/logs/node-$k.import.log" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do
    wait "${pids[k]}" || fail "node-$((k + 1)).containerd" "importing the images failed (see $STATE/logs/node-$((k + 1)).import.log)"
  done
  say "containerd up on $NODES nodes, images imported ($((SECONDS - started))s)"
  for ((k = 1; k <= NODES; k++)); do node_agents "$k" "${zones[(k - 1) % 2]}"; done

  write_coredns_config
  ingress_dns_zone >>"$STATE/coredns/Corefile"
  start coredns "$COREDNS_BIN/coredns" -conf "$STATE/coredns/Corefile"
  dns_objects | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create the DNS Service"
  storage_start "$(image_ref web)"
  testbed_configmap "images.pause: \"$(image_ref pause)\"" "images.web: \"$(image_ref web)\"" \
    "images.wordpress: \"$(image_ref wordpress)\"" "images.mysql: \"$(image_ref mysql)\"" \
    "images.shipshape: \"$(image_ref shipshape)\"" |
    kubectl apply -f - >/dev/null || fail kube-apiserver "could not publish ConfigMap kube-public/testbed"
  wait_for coredns 30 "its readiness endpoint" dns_ready
  for ((k = 1; k <= NODES; k++)); do
    for name in kubelet kube-proxy; do
      running "node-$k.$name" || fail "node-$k.$name" "exited"
    done
  done
  wait_for node-1.kubelet 120 "$NODES Ready nodes" nodes_ready
  ingress_start
}
