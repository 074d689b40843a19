#!/usr/bin/env bash
# Starts a real Kubernetes control plane on 127.0.0.1 with KWOK nodes, waits until it is
# usable, and prints `export KUBECONFIG=<path>` as its last line. Progress goes to stderr.
# Idempotent: a healthy running testbed is reused; a broken one is torn down and restarted.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/certs.sh"
source "$here/state.sh"

api=https://127.0.0.1:6443
pki="$STATE/pki"

say() { echo "testbed: $*" >&2; }

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

# start <name> <binary> <args...>: in its own session, so it outlives this script.
start() {
  local name="$1" bin="$TESTBED_BIN/$2"
  shift 2
  setsid "$bin" "$@" >"$STATE/logs/$name.log" 2>&1 </dev/null &
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

# The API objects that make the fake cluster: nodes for KWOK to manage, and the wiring that
# lets the aggregator reach metrics-server on loopback (no kube-proxy here, hence ExternalName).
cluster_objects() {
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
  cat <<EOF
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system}
spec:
  type: ExternalName
  externalName: 127.0.0.1
  ports: [{name: https, port: 4443, protocol: TCP}]
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
  service: {name: metrics-server, namespace: kube-system, port: 4443}
EOF
}

nodes_ready() {
  local ready
  ready="$(kubectl get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)"
  ((ready >= 4))
}

metrics_available() {
  [[ "$(kubectl get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}')" == True ]]
}

if all_running && healthz "$api/readyz" >/dev/null 2>&1; then
  say "already running (state in $STATE)"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
  exit 0
fi
[[ -d "$STATE" ]] && "$here/down.sh" >&2

"$here/build.sh"

for port in 2379 2380 6443 10257 10259 10247 4443; do
  if ss -Hltn "sport = :$port" | grep -q .; then
    say "port $port on 127.0.0.1 is already in use (another testbed or program?); not starting"
    exit 1
  fi
done

started=$SECONDS
mkdir -p "$STATE"/{pki,logs,pids,etcd}
echo '*' >"$STATE/.gitignore"
make_certs "$pki"
write_kubeconfig
say "certificates and kubeconfig written ($((SECONDS - started))s)"

start etcd etcd --name=testbed --data-dir="$STATE/etcd" --unsafe-no-fsync=true --log-level=warn \
  --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
  --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
  --initial-cluster=testbed=http://127.0.0.1:2380
wait_for etcd 30 "health" curl -fsS --max-time 2 http://127.0.0.1:2379/health
say "etcd up ($((SECONDS - started))s)"

start kube-apiserver kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port=6443 \
  --tls-cert-file="$pki/admin.crt" --tls-private-key-file="$pki/admin.key" --client-ca-file="$pki/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
  --endpoint-reconciler-type=none \
  --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
  --requestheader-client-ca-file="$pki/ca.crt" --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra-
wait_for kube-apiserver 60 "/readyz" healthz "$api/readyz"
say "kube-apiserver up ($((SECONDS - started))s)"

# Each component authenticates as admin with the one kubeconfig, as kwokctl does.
kc=(--kubeconfig="$KUBECONFIG_FILE" --authentication-kubeconfig="$KUBECONFIG_FILE" --authorization-kubeconfig="$KUBECONFIG_FILE")
# HPA tuned for tests: sync every 5 s, short stabilization, KWOK pods are ready at once.
start kube-controller-manager kube-controller-manager "${kc[@]}" --bind-address=127.0.0.1 --secure-port=10257 \
  --leader-elect=false --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --horizontal-pod-autoscaler-sync-period=5s --horizontal-pod-autoscaler-downscale-stabilization=15s \
  --horizontal-pod-autoscaler-cpu-initialization-period=10s --horizontal-pod-autoscaler-initial-readiness-delay=5s
start kube-scheduler kube-scheduler "${kc[@]}" --bind-address=127.0.0.1 --secure-port=10259 --leader-elect=false
start kwok kwok --kubeconfig="$KUBECONFIG_FILE" --config="$KWOK_STAGES" --manage-all-nodes=true \
  --node-ip=127.0.0.1 --node-port=10247 --server-address=127.0.0.1:10247 --cidr=10.244.0.0/16 \
  --tls-cert-file="$pki/kwok.crt" --tls-private-key-file="$pki/kwok.key" --node-lease-duration-seconds=40
start metrics-server metrics-server "${kc[@]}" --bind-address=127.0.0.1 --secure-port=4443 \
  --tls-cert-file="$pki/metrics-server.crt" --tls-private-key-file="$pki/metrics-server.key" \
  --kubelet-preferred-address-types=InternalIP --kubelet-use-node-status-port --kubelet-insecure-tls \
  --metric-resolution=10s --kubelet-request-timeout=5s

cluster_objects | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create nodes and the metrics APIService"
wait_for kube-controller-manager 60 "/healthz" curl -fsSk --max-time 2 https://127.0.0.1:10257/healthz
wait_for kube-scheduler 60 "/healthz" curl -fsSk --max-time 2 https://127.0.0.1:10259/healthz
wait_for kwok 60 "4 Ready nodes" nodes_ready
wait_for kube-controller-manager 60 "the default service account" kubectl get serviceaccount default
wait_for metrics-server 90 "the metrics.k8s.io APIService to be Available" metrics_available
say "ready in $((SECONDS - started))s: $(kubectl get nodes --no-headers | wc -l) nodes, state in $STATE"
echo "export KUBECONFIG=$KUBECONFIG_FILE"
