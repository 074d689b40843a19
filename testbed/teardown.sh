# Taking a data plane apart (sourced by state.sh), in the order that leaves nothing behind:
# stop_pods while the nodes still run (no new pods, every pod gone, no container left),
# then the processes stop (state.sh), then clean_nodes removes what they leave in the
# machine: mounts, pod network namespaces, cgroups, node namespaces, the bridge and its routes.

# tasks_of <k>: the containers running on node k.
tasks_of() { ctr --address "$(node_socket "$1")" -n k8s.io tasks ls -q 2>/dev/null; }

no_tasks() {
  local k
  for ((k = 1; k <= NODES; k++)); do
    [[ -z "$(tasks_of "$k")" ]] || return 1
  done
}

# The pods' network namespaces (containerd names them cni-…), read from the containers'
# specs, so that clean_nodes can remove any their sandboxes did not.
record_pod_netns() {
  local k id
  for ((k = 1; k <= NODES; k++)); do
    for id in $(ctr --address "$(node_socket "$k")" -n k8s.io containers ls -q 2>/dev/null); do
      ctr --address "$(node_socket "$k")" -n k8s.io containers info "$id" 2>/dev/null |
        jq -r '.Spec.linux.namespaces[]? | select(.type == "network") | .path // empty'
    done
  done | sort -u >>"$STATE/pod-netns"
}

stop_pods() {
  local k id
  [[ -s "$STATE/port-base" ]] && net_layout "$(cat "$STATE/port-base")"
  # Nothing may create pods any more: the scheduler, the controllers, the provisioner and
  # cert-manager (its HTTP-01 solver pods).
  stop kube-scheduler
  stop kube-controller-manager
  stop local-path-provisioner
  stop cert-manager
  record_pod_netns
  if running kube-apiserver; then
    "$TESTBED_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" delete pods --all --all-namespaces \
      --force --grace-period=0 --wait=false >/dev/null 2>&1 || true
  fi
  # The kubelets stop the containers and tear down the pods' networks (bounded wait).
  for _ in $(seq 120); do
    no_tasks && break
    sleep 0.5
  done
  # What a kubelet did not stop (it had died, say) is killed through its containerd.
  for ((k = 1; k <= NODES; k++)); do
    for id in $(tasks_of "$k"); do
      ctr --address "$(node_socket "$k")" -n k8s.io tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
  done
}

# The containerd shims of this testbed's nodes, found by the containerd socket they serve
# (a shim outlives its containerd when a container was still running).
kill_shims() {
  local cmdline pid k
  for ((k = 1; k <= NODES; k++)); do
    for cmdline in /proc/[0-9]*/cmdline; do
      pid="${cmdline#/proc/}" && pid="${pid%/cmdline}"
      if { tr '\0' ' ' <"$cmdline"; } 2>/dev/null | grep -qF -- "-address $(node_socket "$k") "; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
}

# program_runs <name>: some process on the machine (any testbed's) runs that program.
program_runs() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    [[ "$(cat "$comm" 2>/dev/null)" == "$1" ]] && return 0
  done
  return 1
}

# Paths that kubelet, containerd, libcni and `ip netns` use whatever their configuration
# says: the kubelet's device-plugin socket, the shims' socket directory, libcni's cache, the
# bind mount that holds named network namespaces. Removed once empty and no other node of
# any testbed is left to use them.
clean_fixed_paths() {
  program_runs kubelet || rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  program_runs containerd && return 0
  rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet /run/containerd/s /run/containerd \
    /var/lib/cni/results /var/lib/cni 2>/dev/null || true
  if [[ -d /run/netns ]] && [[ -z "$(ls -A /run/netns)" ]]; then
    umount /run/netns 2>/dev/null || true
    rmdir /run/netns
  fi
}

clean_nodes() {
  local k c mnt ns
  [[ -s "$STATE/port-base" ]] || return 0
  net_layout "$(cat "$STATE/port-base")"
  kill_shims
  # Deepest first: container rootfs, volumes and secrets under the nodes' directories.
  for mnt in $(awk -v s="$STATE/" 'index($5, s) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt"
  done
  if [[ -s "$STATE/pod-netns" ]]; then
    while read -r ns; do
      # A container that joins another's namespace names it /proc/<pid>/ns/net: it goes with
      # that process, and cannot be removed.
      [[ -e "$ns" && "$ns" != /proc/* ]] || continue
      umount "$ns" 2>/dev/null || true
      rm -f "$ns"
    done <"$STATE/pod-netns"
  fi
  for ((k = 1; k <= NODES; k++)); do
    # Every hierarchy, the cgroup v2 one included, where the kubelet makes its root too.
    for c in /sys/fs/cgroup/*"$(node_cgroup "$k")"; do
      [[ -d "$c" ]] && find "$c" -depth -type d -exec rmdir {} +
    done
  done
  net_delete
  clean_fixed_paths
}
