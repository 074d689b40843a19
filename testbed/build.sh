#!/usr/bin/env bash
# Builds the testbed's binaries from the wrapper modules in testbed/*/go.mod (sources from
# the Go module proxy) into a cache outside the work tree, once per set of pins, so fresh
# clones on the same machine (CI) reuse them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"

need_go
lock_bin "$TESTBED_BIN" 8
k8s="$(k8s_ldflags)"
compile "$TESTBED_BIN" kube-apiserver k8s "$k8s" k8s.io/kubernetes/cmd/kube-apiserver
compile "$TESTBED_BIN" kube-controller-manager k8s "$k8s" k8s.io/kubernetes/cmd/kube-controller-manager
compile "$TESTBED_BIN" kube-scheduler k8s "$k8s" k8s.io/kubernetes/cmd/kube-scheduler
compile "$TESTBED_BIN" kubectl k8s "$k8s" k8s.io/kubernetes/cmd/kubectl
compile "$TESTBED_BIN" etcd etcd "-s -w" go.etcd.io/etcd/server/v3
compile "$TESTBED_BIN" kwok kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok
compile "$TESTBED_BIN" metrics-server metrics-server "-s -w" sigs.k8s.io/metrics-server/cmd/metrics-server
# Both kinds of testbed provision volumes with it (storage.sh); its own cache, as a data-plane module.
lock_bin "$LOCAL_PATH_BIN" 5
compile "$LOCAL_PATH_BIN" local-path-provisioner local-path "-s -w" github.com/rancher/local-path-provisioner

# The bare kwok binary has no behaviour: its stages ship as YAML in the kwok module.
if [[ ! -s "$KWOK_STAGES" ]]; then
  src="$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  for f in stage/node/fast/node-initialize stage/node/heartbeat-with-lease/node-heartbeat-with-lease \
    stage/pod/fast/pod-ready stage/pod/fast/pod-complete stage/pod/fast/pod-delete \
    metrics/resource/metrics-resource metrics/usage/usage-from-annotation; do
    echo "---"
    cat "$src/kustomize/$f.yaml"
  done >"$KWOK_STAGES.tmp"
  mv "$KWOK_STAGES.tmp" "$KWOK_STAGES"
fi
