# The pinned versions live in the wrapper modules' go.mod files (testbed/*/go.mod); this file
# derives the binary cache locations from them (sourced by the scripts).
testbed_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-testbed"

# digest_of <module dir>...: a short digest of their go.mod files, then their go.sum files.
digest_of() {
  local dirs=("$@")
  (cd "$testbed_dir" && cat "${dirs[@]/%//go.mod}" "${dirs[@]/%//go.sum}" | sha256sum | cut -c1-8)
}

K8S_VERSION="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes \(v[^ ]*\).*/\1/p' "$testbed_dir/k8s/go.mod")"
# The control plane's modules, listed so that the data plane's modules (node, coredns,
# local-path, images) neither enter its digest nor rebuild it. Any change to one of these
# pins (or a dependency) builds into a fresh cache directory.
pins_digest="$(digest_of etcd k8s kwok metrics-server)"
TESTBED_CACHE="$cache_root/$K8S_VERSION-$pins_digest"
TESTBED_BIN="$TESTBED_CACHE/bin"
KWOK_STAGES="$TESTBED_CACHE/kwok-stages.yaml"

# The data plane's binaries, each module in a cache directory of its own digest.
NODE_BIN="$cache_root/node-$K8S_VERSION-$(digest_of node)/bin"
COREDNS_BIN="$cache_root/coredns-$(digest_of coredns)/bin"
LOCAL_PATH_BIN="$cache_root/local-path-$(digest_of local-path)/bin"

# The ingress (build-ingress.sh): Traefik's binary, image and CRDs; Pebble's binary.
TRAEFIK_CACHE="$cache_root/traefik-$(digest_of traefik)"
PEBBLE_BIN="$cache_root/pebble-$(digest_of pebble)/bin"

# Rook's CRDs (rook.sh), from the module download: nothing is built.
ROOK_CACHE="$cache_root/rook-$(digest_of rook)"

# cert-manager (build-cert-manager.sh): the testbed's own controller and HTTP-01 solver linking
# the library, so their sources are part of the digest too; the solver's image; the CRDs.
CERT_MANAGER_CACHE="$cache_root/cert-manager-$(cd "$testbed_dir/cert-manager" &&
  cat go.mod go.sum controller/main.go acmesolver/main.go | sha256sum | cut -c1-8)"
