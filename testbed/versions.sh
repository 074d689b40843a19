# The pinned versions live in the wrapper modules' go.mod files (testbed/*/go.mod); this file
# derives the binary cache location from them (sourced by the scripts).
testbed_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

K8S_VERSION="$(sed -n 's/^[[:space:]]*k8s.io\/kubernetes \(v[^ ]*\).*/\1/p' "$testbed_dir/k8s/go.mod")"
# Any change to a pin (or a dependency) builds into a fresh cache directory.
pins_digest="$(cd "$testbed_dir" && cat */go.mod */go.sum | sha256sum | cut -c1-8)"
TESTBED_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-testbed/$K8S_VERSION-$pins_digest"
TESTBED_BIN="$TESTBED_CACHE/bin"
KWOK_STAGES="$TESTBED_CACHE/kwok-stages.yaml"
