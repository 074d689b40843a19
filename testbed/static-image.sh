# An image that holds one static binary and nothing else (sourced by build-ingress.sh and
# build-cert-manager.sh): one layer, written as every testbed image is (image-archive.sh).
source "$(dirname "${BASH_SOURCE[0]}")/image-archive.sh"

# static_image <tarball> <reference> <binary> [user]: writes the image unless it is there. The
# binary is /<its name>, the entrypoint; a numeric user lets a pod with runAsNonRoot start it.
static_image() {
  local image="$1" ref="$2" binary="$3" user="${4:-}" name work
  [[ -s "$image" ]] && return 0
  name="$(basename "$binary")"
  work="$(mktemp -d "$(dirname "$image")/.image.XXXXXX")"
  mkdir "$work/root"
  cp "$binary" "$work/root/$name"
  tar -C "$work/root" --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" "$name"
  jq -nc --arg entry "/$name" --arg user "$user" \
    '{Entrypoint: [$entry]} + if $user == "" then {} else {User: $user} end' >"$work/config.json"
  image_archive "$work/config.json" "$ref" "$image.tmp" "$work" "$work/layer.tar"
  mv "$image.tmp" "$image"
  rm -rf "$work"
}
