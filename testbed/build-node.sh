#!/usr/bin/env bash
# Builds the data plane's binaries (kubelet, kube-proxy, CoreDNS) from
# their wrapper modules (node/, coredns/ go.mod) into caches of their own, so the
# control plane's cache stays valid whatever the node pins do.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"

need_go
k8s="$(k8s_ldflags)"
lock_bin "$NODE_BIN" 7
compile "$NODE_BIN" kubelet node "$k8s" k8s.io/kubernetes/cmd/kubelet
compile "$NODE_BIN" kube-proxy node "$k8s" k8s.io/kubernetes/cmd/kube-proxy
lock_bin "$COREDNS_BIN" 6
compile "$COREDNS_BIN" coredns coredns "-s -w" github.com/coredns/coredns
