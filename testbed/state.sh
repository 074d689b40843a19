# Where a running testbed keeps its state, and how to find and stop its processes
# (sourced by up.sh, down.sh and status.sh). TESTBED_STATE overrides the directory.
source "$here/layout.sh"
source "$here/net.sh"
source "$here/teardown.sh"
STATE="${TESTBED_STATE:-$(cd "$here/.." && pwd)/.testbed}"
KUBECONFIG_FILE="$STATE/kubeconfig"
# The testbed's kind: "kwok" (fake nodes) or "data-plane" (real ones), kept in the state.
MODE_FILE="$STATE/mode"

# use_mode <mode>: the components of that kind of testbed, in start order; stopped in reverse
# so nothing reconnects to a dead apiserver for long. A component is named after its program,
# prefixed with "<where>." when there is one per node (node-2.kubelet).
use_mode() {
  local k
  MODE="$1"
  if [[ "$MODE" == data-plane ]]; then
    COMPONENTS=(etcd kube-apiserver api-relay.socat kube-controller-manager kube-scheduler metrics-server)
    for ((k = 1; k <= NODES; k++)); do COMPONENTS+=("node-$k.containerd" "node-$k.kubelet" "node-$k.kube-proxy"); done
    COMPONENTS+=(coredns local-path-provisioner pebble cert-manager ingress-http.socat ingress-https.socat)
  else
    COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok metrics-server local-path-provisioner)
  fi
}
# A testbed from before modes were recorded is a KWOK one.
use_mode "$(cat "$MODE_FILE" 2>/dev/null || echo kwok)"

pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null; }

# running <name>: its recorded pid is alive and is still that program (pids get reused).
running() {
  local pid
  pid="$(pid_of "$1")" || return 1
  [[ -n "$pid" ]] && grep -qF "${1##*.}" "/proc/$pid/cmdline" 2>/dev/null
}

all_running() {
  local name
  for name in "${COMPONENTS[@]}"; do running "$name" || return 1; done
}

# stop <name>: TERM, then KILL after 10 s.
stop() {
  local name="$1" pid
  running "$name" || return 0
  pid="$(pid_of "$name")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do running "$name" || break; sleep 0.2; done
  running "$name" && kill -KILL "$pid" 2>/dev/null || true
  rm -f "$STATE/pids/$name.pid"
}

# Stops every recorded component by pid, and for a data plane first its pods and afterwards
# what the nodes leave in the machine (teardown.sh).
stop_all() {
  local i
  [[ "$MODE" == data-plane ]] && stop_pods
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do stop "${COMPONENTS[i]}"; done
  [[ "$MODE" != data-plane ]] || clean_nodes
}

# Only one up or down at a time per checkout (two engineers, or two integration runs, at once).
# The lock is on fd 9, which started components must not inherit.
lock_testbed() {
  exec 9<"$here"
  flock 9
}
