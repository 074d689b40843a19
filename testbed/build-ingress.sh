#!/usr/bin/env bash
# Builds the data plane's ingress from its wrapper modules (traefik/, pebble/ go.mod), each into a
# cache of its own digest: Traefik's binary, wrapped as a one-layer image (it is static, so the
# image holds nothing else), with the CRDs of the same module download; and Pebble, the ACME
# server, which runs on the host. Prints "traefik <reference> <tarball>".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"
source "$here/static-image.sh"

need_go
lock_bin "$PEBBLE_BIN" 6
compile "$PEBBLE_BIN" pebble pebble "-s -w" github.com/letsencrypt/pebble/v2/cmd/pebble
lock_bin "$TRAEFIK_CACHE/bin" 5
compile "$TRAEFIK_CACHE/bin" traefik traefik "-s -w" github.com/traefik/traefik/v3/cmd/traefik

# The CRDs (traefik.io IngressRoute, Middleware, …) as this version defines them.
crds="$TRAEFIK_CACHE/crds.yaml"
if [[ ! -s "$crds" ]]; then
  module="$(cd "$here/traefik" && go list -m -f '{{.Dir}}' github.com/traefik/traefik/v3)"
  cp "$module/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml" "$crds.tmp"
  mv "$crds.tmp" "$crds"
fi

# The image, named by the module digest so a new pin is a new reference.
digest="${TRAEFIK_CACHE##*-}"
ref="shipshape.test/traefik:$digest"
image="$TRAEFIK_CACHE/image.tar"
static_image "$image" "$ref" "$TRAEFIK_CACHE/bin/traefik"
echo "traefik $ref $image"
