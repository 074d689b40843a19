#!/usr/bin/env bash
# Builds the testbed's binaries once per pinned version into a cache outside the work tree,
# so fresh clones on the same machine (CI) reuse them. Go modules come from the module proxy.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false
mkdir -p "$TESTBED_BIN"

# Prints the names among "$@" that are not yet in the cache.
missing() {
  local name
  for name in "$@"; do [[ -x "$TESTBED_BIN/$name" ]] || echo "$name"; done
}

# The version stamps kubectl --version and /version report, as upstream's build sets them.
k8s_ldflags() {
  local v="$K8S_VERSION" major minor flags="-s -w" pkg
  major="${v#v}" && major="${major%%.*}"
  minor="${v#v*.}" && minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# build <module dir> <ldflags> <binary=package>...: builds the missing binaries into the cache.
build() {
  local dir="$1" ldflags="$2" spec name start
  shift 2
  for spec in "$@"; do
    name="${spec%%=*}"
    [[ -x "$TESTBED_BIN/$name" ]] && continue
    echo "testbed: building $name (a cold build takes minutes; cached afterwards)" >&2
    start=$SECONDS
    (cd "$dir" && nice -n 10 go build -trimpath -tags=selinux,notest -ldflags="$ldflags" -o "$TESTBED_BIN/$name" "${spec#*=}")
    echo "testbed: built $name in $((SECONDS - start))s" >&2
  done
}

build "$here/k8s" "$(k8s_ldflags)" \
  kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
  kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
  kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
  kubectl=k8s.io/kubernetes/cmd/kubectl

build "$here/etcd" "-s -w" etcd=go.etcd.io/etcd/server/v3

# kwok and metrics-server have no replace directives, so go install at a version works.
install() {
  local name="$1" pkg="$2"
  [[ -x "$TESTBED_BIN/$name" ]] && return 0
  echo "testbed: building $name" >&2
  local start=$SECONDS
  GOBIN="$TESTBED_BIN" nice -n 10 go install -trimpath -ldflags="-s -w" "$pkg"
  echo "testbed: built $name in $((SECONDS - start))s" >&2
}
install kwok "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
install metrics-server "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"

# The bare kwok binary has no behaviour: its stages ship as YAML in the kwok module.
if [[ ! -s "$KWOK_STAGES" ]]; then
  src="$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
  for f in stage/node/fast/node-initialize stage/node/heartbeat-with-lease/node-heartbeat-with-lease \
    stage/pod/fast/pod-ready stage/pod/fast/pod-complete stage/pod/fast/pod-delete \
    metrics/resource/metrics-resource metrics/usage/usage-from-annotation; do
    echo "---"
    cat "$src/kustomize/$f.yaml"
  done >"$KWOK_STAGES.tmp"
  mv "$KWOK_STAGES.tmp" "$KWOK_STAGES"
fi
