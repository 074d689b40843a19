#!/usr/bin/env bash
# Builds the data plane's ingress from its wrapper modules (traefik/, pebble/ go.mod), each into a
# cache of its own digest: Traefik's binary, wrapped as a one-layer image (it is static, so the
# image holds nothing else), with the CRDs of the same module download; and Pebble, the ACME
# server, which runs on the host. Prints "traefik <reference> <tarball>".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"

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

# The image: a docker-archive (manifest.json, config with the layer's diff_id, the layer) that
# `ctr images import` takes, named by the module digest so a new pin is a new reference.
digest="${TRAEFIK_CACHE##*-}"
ref="shipshape.test/traefik:$digest"
image="$TRAEFIK_CACHE/image.tar"
if [[ ! -s "$image" ]]; then
  work="$(mktemp -d "$TRAEFIK_CACHE/.image.XXXXXX")"
  mkdir "$work/root"
  cp "$TRAEFIK_CACHE/bin/traefik" "$work/root/traefik"
  tar -C "$work/root" --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" traefik
  diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  jq -nc --arg diff "sha256:$diff_id" '{architecture: "amd64", os: "linux",
    config: {Entrypoint: ["/traefik"]}, rootfs: {type: "layers", diff_ids: [$diff]}}' >"$work/config.json"
  config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_id.json"
  mv "$work/layer.tar" "$work/$diff_id.tar"
  jq -nc --arg c "$config_id.json" --arg r "$ref" --arg l "$diff_id.tar" \
    '[{Config: $c, RepoTags: [$r], Layers: [$l]}]' >"$work/manifest.json"
  tar -C "$work" -cf "$image.tmp" manifest.json "$config_id.json" "$diff_id.tar"
  mv "$image.tmp" "$image"
  rm -rf "$work"
fi
echo "traefik $ref $image"
