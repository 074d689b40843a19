#!/usr/bin/env bash
# Builds the testbed's binaries from the wrapper modules in testbed/*/go.mod (sources from
# the Go module proxy) into a cache outside the work tree, once per set of pins, so fresh
# clones on the same machine (CI) reuse them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"

say() { echo "testbed: $*" >&2; }

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
mkdir -p "$TESTBED_BIN"
# Two checkouts building at once would write the same files.
exec 8<"$TESTBED_BIN"
flock 8

# The version stamps `kubectl version` and /version report, set as upstream's build does.
k8s_ldflags() {
  local major minor flags="-s -w" pkg
  major="${K8S_VERSION#v}" && major="${major%%.*}"
  minor="${K8S_VERSION#v*.}" && minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# compile <name> <module dir> <ldflags> <package>: builds one binary into the cache unless it
# is there, showing progress (packages compiled so far) every 20 s. Written under a temporary
# name first, so an interrupted build never leaves a broken binary in the cache.
compile() {
  local name="$1" dir="$2" ldflags="$3" pkg="$4"
  [[ -x "$TESTBED_BIN/$name" ]] && return 0
  local log="$TESTBED_BIN/.$name.log" tmp="$TESTBED_BIN/.$name.tmp" start=$SECONDS pid
  say "building $name from $dir/go.mod (a cold build takes minutes; cached afterwards)"
  (cd "$here/$dir" && exec nice -n 10 go build -v -trimpath -tags=selinux,notest -ldflags="$ldflags" -o "$tmp" "$pkg") \
    2>"$log" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (((SECONDS - start) % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
      say "building $name: $(grep -cv '^go: ' "$log") packages compiled, $((SECONDS - start))s"
    fi
  done
  if ! wait "$pid"; then
    say "building $name failed; last lines of $log:"
    tail -n 30 "$log" >&2
    exit 1
  fi
  mv "$tmp" "$TESTBED_BIN/$name"
  rm -f "$log"
  say "built $name in $((SECONDS - start))s"
}

if ! command -v go >/dev/null; then
  say "building needs Go (1.26 or newer) on PATH, and the Go module proxy reachable"
  exit 1
fi
k8s="$(k8s_ldflags)"
compile kube-apiserver k8s "$k8s" k8s.io/kubernetes/cmd/kube-apiserver
compile kube-controller-manager k8s "$k8s" k8s.io/kubernetes/cmd/kube-controller-manager
compile kube-scheduler k8s "$k8s" k8s.io/kubernetes/cmd/kube-scheduler
compile kubectl k8s "$k8s" k8s.io/kubernetes/cmd/kubectl
compile etcd etcd "-s -w" go.etcd.io/etcd/server/v3
compile kwok kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok
compile metrics-server metrics-server "-s -w" sigs.k8s.io/metrics-server/cmd/metrics-server

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
