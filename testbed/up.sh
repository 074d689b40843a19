#!/usr/bin/env bash
# Starts a real Kubernetes control plane on 127.0.0.1 with KWOK nodes, or with --data-plane
# with real nodes (dataplane.sh), waits until it is usable, and prints
# `export KUBECONFIG=<path>` as its last line. Progress goes to stderr.
# Idempotent: a healthy running testbed of the same kind is reused; a broken one (or one of
# the other kind) is torn down and restarted.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/certs.sh"
source "$here/state.sh"
source "$here/node.sh"
source "$here/dataplane.sh"
source "$here/storage.sh"
source "$here/ingress.sh"
source "$here/rook.sh"

want=kwok
case "${1:-}" in
  --data-plane) want=data-plane ;;
  "") ;;
  *) echo "usage: up.sh [--data-plane]" >&2 && exit 2 ;;
esac

pki="$STATE/pki"

say() { echo "testbed: $*" >&2; }
trap 'say "failed at testbed/up.sh:$LINENO: $BASH_COMMAND"' ERR

# Stops what was started and shows the failed component's log, then exits.
fail() {
  local name="$1" why="$2"
  say "$name failed: $why"
  if [[ -s "$STATE/logs/$name.log" ]]; then
    say "last lines of $STATE/logs/$name.log:"
    tail -n 25 "$STATE/logs/$name.log" >&2
  fi
  stop_all
  say "logs kept in $STATE/logs"
  exit 1
}

# start <name> <binary> <args...>: in its own session, so it outlives this script. A binary
# without a path is one of the control plane's.
start() {
  local name="$1" bin="$2"
  [[ "$bin" == /* ]] || bin="$TESTBED_BIN/$bin"
  shift 2
  setsid "$bin" "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null 9<&- &
  echo $! >"$STATE/pids/$name.pid"
}

# wait_for <name> <seconds> <what> <command...>: polls until the command succeeds; fails
# early if the component died.
wait_for() {
  local name="$1" deadline=$((SECONDS + $2)) what="$3"
  shift 3
  until "$@" >/dev/null 2>&1; do
    running "$name" || fail "$name" "exited while waiting for $what"
    ((SECONDS < deadline)) || fail "$name" "timed out waiting for $what"
    sleep 0.2
  done
}

healthz() { curl -fsS --max-time 2 --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "$@"; }
kubectl() { "$TESTBED_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

write_kubeconfig() {
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: testbed
  cluster:
    server: $api
    certificate-authority: $pki/ca.crt
users:
- name: admin
  user:
    client-certificate: $pki/admin.crt
    client-key: $pki/admin.key
contexts:
- name: testbed
  context: {cluster: testbed, user: admin}
current-context: testbed
EOF
}

# The API objects that make the fake nodes for KWOK to manage.
kwok_nodes() {
  local i zones=(zone-a zone-b) zone
  for i in 1 2 3 4; do
    zone="${zones[(i - 1) % 2]}"
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: testbed-node-$i
  labels:
    kubernetes.io/hostname: testbed-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    topology.kubernetes.io/zone: $zone
    type: kwok
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
    metrics.k8s.io/resource-metrics-path: /metrics/nodes/testbed-node-$i/metrics/resource
status:
  allocatable: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
  capacity: {cpu: "4", memory: 16Gi, pods: "110", ephemeral-storage: 100Gi}
EOF
  done
}

# The wiring that lets the aggregator reach metrics-server on loopback (the host has no
# kube-proxy, hence ExternalName).
metrics_objects() {
  cat <<EOF
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec:
  type: ExternalName
  externalName: 127.0.0.1
  ports: [{name: https, port: $metrics_port, protocol: TCP}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  group: metrics.k8s.io
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 100
  insecureSkipTLSVerify: true
  service: {name: metrics-server, namespace: kube-system, port: $metrics_port}
EOF
}

nodes_ready() {
  local ready
  ready="$(kubectl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)"
  ((ready >= NODES))
}

metrics_available() {
  [[ "$(kubectl get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" == True ]]
}

# use_ports <base>: each testbed takes a block of ports, so several checkouts (a CI clone
# beside a working tree) and concurrent integration runs each get their own.
use_ports() {
  port_base="$1"
  etcd_port=$((port_base)) etcd_peer_port=$((port_base + 1)) api_port=$((port_base + 2))
  controller_manager_port=$((port_base + 3)) scheduler_port=$((port_base + 4))
  kwok_port=$((port_base + 5)) metrics_port=$((port_base + 6))
  # The data plane's ingress, relayed to loopback (ingress.sh).
  ingress_http_port=$((port_base + 7)) ingress_https_port=$((port_base + 8))
  api="https://127.0.0.1:$api_port"
}

ports_free() {
  local port
  for ((port = $1; port < $1 + 9; port++)); do
    ! ss -Hltn "sport = :$port" | grep -q . || return 1
  done
}

# A free block below the ephemeral range, starting from a hash of the state path so that
# the same checkout usually gets the same ports.
choose_ports() {
  local first i base
  first=$(($(cksum <<<"$STATE" | cut -d' ' -f1) % 200))
  for ((i = 0; i < 200; i++)); do
    base=$((12000 + (first + i) % 200 * 100))
    if ports_free "$base"; then
      use_ports "$base"
      return 0
    fi
  done
  say "no free block of 9 ports on 127.0.0.1 between 12000 and 31999"
  exit 1
}

lock_testbed

if [[ -s "$STATE/port-base" && "$MODE" == "$want" ]] && all_running; then
  use_ports "$(cat "$STATE/port-base")"
  if healthz "$api/readyz" >/dev/null 2>&1; then
    say "already running (state in $STATE)"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    exit 0
  fi
fi
if [[ -d "$STATE" ]]; then
  say "restarting: not every component is running and healthy, or a testbed of the other kind runs"
  stop_all
  rm -rf "$STATE"
fi

[[ "$want" == data-plane ]] && dataplane_prerequisites
"$here/build.sh"
[[ "$want" == data-plane ]] && dataplane_build
choose_ports
net_layout "$port_base"
use_mode "$want"
NODE_KUBECONFIG="$STATE/node-kubeconfig"

started=$SECONDS
mkdir -p "$STATE"/{pki,logs,pids,etcd}
echo '*' >"$STATE/.gitignore"
echo "$port_base" >"$STATE/port-base"
echo "$MODE" >"$MODE_FILE"
# The nodes reach the apiserver (through the relay) on the bridge's address.
make_certs "$pki" "IP:$bridge_ip"
write_kubeconfig
say "certificates and kubeconfig written ($((SECONDS - started))s)"

start etcd etcd --name=testbed --data-dir="$STATE/etcd" --unsafe-no-fsync=true --log-level=warn \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="testbed=http://127.0.0.1:$etcd_peer_port"
wait_for etcd 30 "health" curl -fsS --max-time 2 "http://127.0.0.1:$etcd_port/health"
say "etcd up ($((SECONDS - started))s)"

start kube-apiserver kube-apiserver --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --tls-cert-file="$pki/admin.crt" --tls-private-key-file="$pki/admin.key" --client-ca-file="$pki/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
  --endpoint-reconciler-type=none --kubelet-preferred-address-types=InternalIP \
  --kubelet-client-certificate="$pki/admin.crt" --kubelet-client-key="$pki/admin.key" \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --requestheader-client-ca-file="$pki/ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra-
wait_for kube-apiserver 60 "/readyz" healthz "$api/readyz"
say "kube-apiserver up ($((SECONDS - started))s)"

# Each component authenticates as admin with the one kubeconfig, as kwokctl does.
kc=(--kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE")
# HPA tuned for tests: sync every 5 s, short stabilization, KWOK pods are ready at once.
start kube-controller-manager kube-controller-manager "${kc[@]}" --bind-address=127.0.0.1 --secure-port="$controller_manager_port" \
  --leader-elect=false --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --horizontal-pod-autoscaler-sync-period=5s --horizontal-pod-autoscaler-downscale-stabilization=15s \
  --horizontal-pod-autoscaler-cpu-initialization-period=10s --horizontal-pod-autoscaler-initial-readiness-delay=5s
start kube-scheduler kube-scheduler "${kc[@]}" --bind-address=127.0.0.1 --secure-port="$scheduler_port" --leader-elect=false
if [[ "$MODE" == kwok ]]; then
  start kwok kwok --kubeconfig="$KUBECONFIG_FILE" --config="$KWOK_STAGES" --config="$here/kwok/storage-helper-complete.yaml" --manage-all-nodes=true \
    --node-ip=127.0.0.1 --node-port="$kwok_port" --server-address="127.0.0.1:$kwok_port" --cidr=10.244.0.0/16 \
    --tls-cert-file="$pki/kwok.crt" --tls-private-key-file="$pki/kwok.key" --node-lease-duration-seconds=40
fi
start metrics-server metrics-server "${kc[@]}" --bind-address=127.0.0.1 --secure-port="$metrics_port" \
  --tls-cert-file="$pki/metrics-server.crt" --tls-private-key-file="$pki/metrics-server.key" \
  --kubelet-preferred-address-types=InternalIP --kubelet-use-node-status-port --kubelet-insecure-tls \
  --metric-resolution=10s --kubelet-request-timeout=5s

metrics_objects | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create the metrics APIService"
wait_for kube-controller-manager 60 "/healthz" curl -fsSk --max-time 2 "https://127.0.0.1:$controller_manager_port/healthz"
wait_for kube-scheduler 60 "/healthz" curl -fsSk --max-time 2 "https://127.0.0.1:$scheduler_port/healthz"
if [[ "$MODE" == kwok ]]; then
  kwok_nodes | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create the nodes"
  wait_for kwok 60 "$NODES Ready nodes" nodes_ready
  # KWOK never pulls it: any reference does.
  storage_start testbed.invalid/storage-helper:kwok
  testbed_configmap | kubectl apply -f - >/dev/null || fail kube-apiserver "could not publish ConfigMap kube-public/testbed"
else
  dataplane_start
fi
rook_start
wait_for kube-controller-manager 60 "the default service account" kubectl get serviceaccount default
wait_for metrics-server 90 "the metrics.k8s.io APIService to be Available" metrics_available
say "ready in $((SECONDS - started))s: $(kubectl get nodes --no-headers | wc -l) nodes, state in $STATE"
echo "export KUBECONFIG=$KUBECONFIG_FILE"
