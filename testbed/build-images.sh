#!/usr/bin/env bash
# Builds the data plane's container images (pause, web, wordpress, mysql) from Debian packages
# with mmdebstrap, since no registry is reachable, into a cache outside the work tree: each
# image is a docker-archive tarball named by a digest of its inputs (its recipe under
# images/<name>/, this script and image-archive.sh, the Go module of the testbed's own programs, the apt sources),
# so an unchanged image is never rebuilt. Prints "<name> <reference> <tarball>" per image.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"
source "$here/image-archive.sh"

IMAGES_CACHE="$cache_root/images"
# Debian's mirror as the host's apt knows it: mmdebstrap takes the sources file itself.
sources=/etc/apt/sources.list.d/debian.sources
suite=bookworm

# Files that end up in no image, left out to keep the images small.
slim=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-include=/usr/share/locale/locale.alias')

digest_inputs() {
  local name="$1"
  (cd "$here" && cat build-images.sh image-archive.sh images/go.mod $(find "images/$name" -type f | sort) "$sources") |
    sha256sum | cut -c1-12
}

# go_program <name> <out dir>: the testbed's own static program for an image.
go_program() {
  (cd "$here/images" && go build -trimpath -ldflags='-s -w' -o "$2/$1" "./$1")
}

# rootfs <name> <out tar> <work dir>: the image's Debian root filesystem, as a tar.
# images/<name>/packages lists what to install; images/<name>/files/ is copied over the
# root, and images/<name>/setup (if any) runs inside it afterwards.
rootfs() {
  local name="$1" out="$2" work="$3" dir="$here/images/$name" hooks=()
  if [[ -f "$dir/main.go" ]]; then
    mkdir -p "$work/files/usr/local/bin"
    go_program "$name" "$work/files/usr/local/bin"
  fi
  [[ -d "$dir/files" ]] && cp -a "$dir/files/." "$work/files/"
  [[ -d "$work/files" ]] && hooks+=(--customize-hook="sync-in '$work/files' /")
  [[ -f "$dir/setup" ]] && hooks+=(--customize-hook="chroot \"\$1\" sh -eu < '$dir/setup'")
  # apt's lists and caches are of no use in an image.
  hooks+=(--customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log')
  nice -n 10 mmdebstrap --quiet --variant=essential --include="$(paste -sd, "$dir/packages")" \
    "${slim[@]}" "${hooks[@]}" --format=tar "$suite" "$out" "$sources"
}

build_image() {
  local name="$1" digest ref out work start=$SECONDS
  digest="$(digest_inputs "$name")"
  ref="shipshape.test/$name:$digest"
  out="$IMAGES_CACHE/$name-$digest.tar"
  if [[ ! -s "$out" ]]; then
    say "building image $name (Debian packages via mmdebstrap; cached afterwards)"
    work="$(mktemp -d "$IMAGES_CACHE/.$name.XXXXXX")"
    # The rootfs is the one layer; pause needs no Debian at all, only its program.
    if [[ -f "$here/images/$name/packages" ]]; then
      rootfs "$name" "$work/layer.tar" "$work" >"$work/build.log" 2>&1 || {
        say "building image $name failed; last lines of its log:"
        tail -n 30 "$work/build.log" >&2
        exit 1
      }
    else
      mkdir "$work/root"
      go_program "$name" "$work/root"
      tar -C "$work/root" --owner=0 --group=0 -cf "$work/layer.tar" "$name"
    fi
    # images/<name>/config.json holds the image config (Entrypoint, Env, StopSignal, …)
    image_archive "$here/images/$name/config.json" "$ref" "$out.tmp" "$work" "$work/layer.tar"
    mv "$out.tmp" "$out"
    rm -rf "$work"
    # Earlier builds of this image are never used again.
    find "$IMAGES_CACHE" -maxdepth 1 -name "$name-*.tar" ! -path "$out" -delete
    say "built image $name in $((SECONDS - start))s ($(du -m "$out" | cut -f1) MiB)"
  fi
  echo "$name $ref $out"
}

for tool in mmdebstrap jq; do
  command -v "$tool" >/dev/null || { say "building images needs $tool (apt-get install $tool)"; exit 1; }
done
need_go
lock_bin "$IMAGES_CACHE" 4
images=("$@")
((${#images[@]})) || images=(pause web wordpress mysql)
for name in "${images[@]}"; do build_image "$name"; done
