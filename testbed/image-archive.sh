# The docker-archive every testbed image is written as (sourced by build-images.sh,
# build-shipshape-image.sh and static-image.sh): manifest.json, the image config with its layers'
# diff_ids, and the layers, which `ctr images import` accepts.

# image_archive <config json> <reference> <out> <work dir> <layer tar>…: the image whose config is the
# file's object (Entrypoint, Env, User, StopSignal, …) over those layers, bottom first, written to
# <out>; the layers are linked (or copied) into <work dir>/archive.
image_archive() {
  local config="$1" ref="$2" out="$3" work="$4/archive" diff_ids=() layers=() layer diff config_id
  shift 4
  mkdir "$work"
  for layer in "$@"; do
    diff="$(sha256sum "$layer" | cut -d' ' -f1)"
    diff_ids+=("sha256:$diff")
    layers+=("$diff.tar")
    ln "$layer" "$work/$diff.tar" 2>/dev/null || cp "$layer" "$work/$diff.tar"
  done
  jq -c --args '{architecture: "amd64", os: "linux", config: ., rootfs: {type: "layers", diff_ids: $ARGS.positional}}' \
    "${diff_ids[@]}" <"$config" >"$work/config.json"
  config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$config_id.json"
  jq -nc --arg c "$config_id.json" --arg r "$ref" --args '[{Config: $c, RepoTags: [$r], Layers: $ARGS.positional}]' \
    "${layers[@]}" >"$work/manifest.json"
  tar -C "$work" -cf "$work/image.tar" manifest.json "$config_id.json" "${layers[@]}"
  mv "$work/image.tar" "$out"
}
