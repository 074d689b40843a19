#!/usr/bin/env bash
# testbed/build-all.sh [--data-plane]: builds (or finds cached) everything a testbed of that kind
# needs, without starting it: the control plane's binaries and, for a data plane, the nodes'
# binaries and the images (shipshape's own among them). The images (mostly downloads and
# unpacking) build beside the Go binaries (mostly CPU). `npm run test:all` runs it in the
# background so that cold builds overlap the suites that need no testbed; up.sh waits on the same
# cache locks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
start=$SECONDS
images=
say() { echo "testbed: $*" >&2; }
if [[ "${1:-}" == --data-plane ]]; then
  source "$here/debian-packages.sh"
  install_debian_packages
  { "$here/build-images.sh" && "$here/build-shipshape-image.sh"; } >/dev/null &
  images=$!
fi
"$here/build.sh"
if [[ -n "$images" ]]; then
  "$here/build-node.sh"
  "$here/build-ingress.sh" >/dev/null
  "$here/build-cert-manager.sh" >/dev/null
  wait "$images"
fi
echo "testbed: every binary${images:+ and image} built or cached ($((SECONDS - start))s)" >&2
