# Where a running testbed keeps its state, and how to find and stop its processes
# (sourced by up.sh, down.sh and status.sh). TESTBED_STATE overrides the directory.
STATE="${TESTBED_STATE:-$(cd "$here/.." && pwd)/.testbed}"
KUBECONFIG_FILE="$STATE/kubeconfig"
# Start order; stopped in reverse so nothing reconnects to a dead apiserver for long.
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok metrics-server)

pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null; }

# running <name>: its recorded pid is alive and is still that program (pids get reused).
running() {
  local pid
  pid="$(pid_of "$1")" || return 1
  [[ -n "$pid" ]] && grep -qF "$1" "/proc/$pid/cmdline" 2>/dev/null
}

all_running() {
  local name
  for name in "${COMPONENTS[@]}"; do running "$name" || return 1; done
}

# Stops every recorded component by pid: TERM, then KILL after 10 s.
stop_all() {
  local i name pid
  for ((i = ${#COMPONENTS[@]} - 1; i >= 0; i--)); do
    name="${COMPONENTS[i]}"
    running "$name" || continue
    pid="$(pid_of "$name")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do running "$name" || break; sleep 0.2; done
    running "$name" && kill -KILL "$pid" 2>/dev/null || true
    rm -f "$STATE/pids/$name.pid"
  done
}

# Only one up or down at a time per checkout (two engineers, or two integration runs, at once).
# The lock is on fd 9, which started components must not inherit.
lock_testbed() {
  exec 9<"$here"
  flock 9
}
