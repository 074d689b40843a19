# An image that holds one static binary and nothing else (sourced by build-ingress.sh and
# build-cert-manager.sh): a one-layer docker-archive (manifest.json, the config with the layer's
# diff_id, the layer) that `ctr images import` takes.

# static_image <tarball> <reference> <binary> [user]: writes the image unless it is there. The
# binary is /<its name>, the entrypoint; a numeric user lets a pod with runAsNonRoot start it.
static_image() {
  local image="$1" ref="$2" binary="$3" user="${4:-}" name work diff_id config_id
  [[ -s "$image" ]] && return 0
  name="$(basename "$binary")"
  work="$(mktemp -d "$(dirname "$image")/.image.XXXXXX")"
  mkdir "$work/root"
  cp "$binary" "$work/root/$name"
  tar -C "$work/root" --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" "$name"
  diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  jq -nc --arg diff "sha256:$diff_id" --arg entry "/$name" --arg user "$user" '{architecture: "amd64",
    os: "linux", config: ({Entrypoint: [$entry]} + if $user == "" then {} else {User: $user} end),
    rootfs: {type: "layers", diff_ids: [$diff]}}' >"$work/config.json"
  config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_id.json"
  mv "$work/layer.tar" "$work/$diff_id.tar"
  jq -nc --arg c "$config_id.json" --arg r "$ref" --arg l "$diff_id.tar" \
    '[{Config: $c, RepoTags: [$r], Layers: [$l]}]' >"$work/manifest.json"
  tar -C "$work" -cf "$image.tmp" manifest.json "$config_id.json" "$diff_id.tar"
  mv "$image.tmp" "$image"
  rm -rf "$work"
}
