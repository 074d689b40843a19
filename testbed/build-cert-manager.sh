#!/usr/bin/env bash
# Builds the data plane's cert-manager from its wrapper module (cert-manager/ go.mod) into a cache
# of its digest: the controller, which runs on the host; the HTTP-01 solver, wrapped as a
# one-layer image (it is static) that the controller's solver pods run; and the CRDs of the same
# module download. Prints "acmesolver <reference> <tarball>".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"
source "$here/static-image.sh"

need_go
bin="$CERT_MANAGER_CACHE/bin"
lock_bin "$bin" 5
compile "$bin" acmesolver cert-manager "-s -w" shipshape.testbed/cert-manager/acmesolver
compile "$bin" cert-manager-controller cert-manager "-s -w" shipshape.testbed/cert-manager/controller

# The CRDs (cert-manager.io, acme.cert-manager.io) as this version defines them: plain YAML in
# the module's deploy/crds, the source of upstream's Helm chart.
crds="$CERT_MANAGER_CACHE/crds.yaml"
if [[ ! -s "$crds" ]]; then
  module="$(cd "$here/cert-manager" && go list -m -f '{{.Dir}}' github.com/cert-manager/cert-manager)"
  for file in "$module"/deploy/crds/*.yaml; do
    echo "---"
    cat "$file"
  done >"$crds.tmp"
  mv "$crds.tmp" "$crds"
fi

# Upstream's solver image runs as a non-root user too; the solver pods require it.
ref="shipshape.test/acmesolver:${CERT_MANAGER_CACHE##*-}"
image="$CERT_MANAGER_CACHE/acmesolver.tar"
static_image "$image" "$ref" "$bin/acmesolver" 65534
echo "acmesolver $ref $image"
