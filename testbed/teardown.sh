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
  # Nothing may create pods any more: the scheduler, the controllers, the provisioner.
  stop kube-scheduler
  stop kube-controller-manager
  stop local-path-provisioner
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
      if tr '\0' ' ' <"$cmdline" 2>/dev/null | grep -qF -- "-address $(node_socket "$k") "; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  done
}

# The kubelet writes its device-plugin socket to a fixed path whatever its root dir; it is
# removed once no kubelet on the machine is left to use it.
clean_device_plugin_socket() {
  local comm
  for comm in /proc/[0-9]*/comm; do
    [[ "$(cat "$comm" 2>/dev/null)" == kubelet ]] && return 0
  done
  rm -f /var/lib/kubelet/device-plugins/kubelet.sock
  rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null || true
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
      [[ -e "$ns" ]] || continue
      umount "$ns" 2>/dev/null || true
      rm -f "$ns"
    done <"$STATE/pod-netns"
  fi
  for ((k = 1; k <= NODES; k++)); do
    for c in "${CGROUP_CONTROLLERS[@]}"; do
      [[ -d "/sys/fs/cgroup/$c$(node_cgroup "$k")" ]] &&
        find "/sys/fs/cgroup/$c$(node_cgroup "$k")" -depth -type d -exec rmdir {} +
    done
  done
  net_delete
  clean_device_plugin_socket
}
