#!/usr/bin/env bash
# Builds the shipshape image (what `load --workers` runs in its pods) from Debian packages and this
# checkout: two layers, cached apart in the images cache, so a change of shipshape's sources rebuilds
# only the small one.
#  - the base: a Debian root with Node.js. bookworm's nodejs is 18, older than shipshape needs
#    (>= 22.18), so it comes from sid (unstable), through the host's own mirror (its sources file,
#    the suite replaced); digest over this script, image-archive.sh, images/shipshape/ and those sources.
#  - the app: /opt/shipshape, shipshape compiled (`npm run build` → dist/, in a scratch copy of the
#    sources) with its production dependencies from the npm registry (`npm ci --omit=dev` against
#    package-lock.json); digest over the base's and every file the build reads (src/, bin/,
#    package.json, package-lock.json, tsconfig*.json, scripts/build.ts).
# Not part of build-images.sh: that script is an input of every other image's digest, and they
# must not rebuild for this one. Prints "shipshape <reference> <tarball>".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
source "$here/versions.sh"
source "$here/compile.sh"
source "$here/image-archive.sh"

IMAGES_CACHE="$cache_root/images"
recipe="$here/images/shipshape"
host_sources=/etc/apt/sources.list.d/debian.sources

# The host's Debian mirror, as a deb822 sources file for sid (its first, non-security stanza).
sid_sources() {
  awk 'BEGIN { RS = ""; ORS = "\n\n" } !/debian-security/ { print; exit }' "$host_sources" |
    sed -E 's/^Suites:.*/Suites: sid/'
}

base_digest() {
  (cd "$here" && cat build-shipshape-image.sh image-archive.sh $(find images/shipshape -type f | sort) && sid_sources) |
    sha256sum | cut -c1-12
}

# What the compiled package is made of, in a stable order.
app_inputs() {
  (cd "$root" && { find src bin -type f; ls package.json package-lock.json tsconfig*.json scripts/build.ts; } | sort)
}

app_digest() {
  { echo "$1" && (cd "$root" && app_inputs | xargs -d '\n' sha256sum); } | sha256sum | cut -c1-12
}

slim=(--dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/share/locale/*')

# A tar of one layer, the same bytes for the same files (sorted, no times, root-owned).
layer_tar() {
  tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$2" .
}

build_base() {
  local out="$1" work="$2" start=$SECONDS
  say "building the shipshape image's base (Node.js from Debian sid via mmdebstrap; cached afterwards)"
  sid_sources >"$work/sid.sources"
  # The mirror's sid may be a snapshot whose Release is past its Valid-Until: its signature is still
  # checked, its age is not.
  nice -n 10 mmdebstrap --quiet --variant=essential --include="$(paste -sd, "$recipe/packages")" "${slim[@]}" \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log' \
    --format=tar sid "$work/base.tar" "$work/sid.sources" >"$work/base.log" 2>&1 || {
    say "building the shipshape image's base failed; last lines of its log:"
    tail -n 30 "$work/base.log" >&2
    exit 1
  }
  mv "$work/base.tar" "$out"
  say "built the shipshape image's base in $((SECONDS - start))s ($(du -m "$out" | cut -f1) MiB)"
}

build_app() {
  local out="$1" work="$2" start=$SECONDS app="$2/app/opt/shipshape" scratch="$2/scratch"
  say "building the shipshape image's app layer (npm run build, production dependencies)"
  mkdir -p "$scratch" "$app"
  (cd "$root" && app_inputs | tar -cf - -T -) | tar -C "$scratch" -xf -
  ln -s "$root/node_modules" "$scratch/node_modules"
  (cd "$scratch" && nice -n 10 "$root/node_modules/.bin/node" scripts/build.ts) >"$work/app.log" 2>&1 || {
    say "compiling shipshape failed; last lines of its log:" && tail -n 30 "$work/app.log" >&2 && exit 1
  }
  cp -a "$scratch/dist" "$scratch/bin" "$scratch/package.json" "$scratch/package-lock.json" "$app/"
  (cd "$app" && nice -n 10 npm ci --omit=dev --ignore-scripts --no-audit --no-fund) >>"$work/app.log" 2>&1 || {
    say "installing shipshape's dependencies failed; last lines of its log:" && tail -n 30 "$work/app.log" >&2 && exit 1
  }
  chmod -R a+rX "$work/app"
  layer_tar "$work/app" "$out"
  say "built the shipshape image's app layer in $((SECONDS - start))s ($(du -m "$out" | cut -f1) MiB)"
}

for tool in mmdebstrap jq npm; do
  command -v "$tool" >/dev/null || { say "building the shipshape image needs $tool (apt-get install $tool)"; exit 1; }
done
[[ -x "$root/node_modules/.bin/node" ]] || { say "building the shipshape image needs npm ci in $root first"; exit 1; }
lock_bin "$IMAGES_CACHE/.shipshape-lock" 5
base="$(base_digest)"
digest="$(app_digest "$base")"
ref="shipshape.test/shipshape:$digest"
out="$IMAGES_CACHE/shipshape-$digest.tar"
if [[ ! -s "$out" ]]; then
  start=$SECONDS
  work="$(mktemp -d "$IMAGES_CACHE/.shipshape.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  base_layer="$IMAGES_CACHE/shipshape-base-$base.layer"
  [[ -s "$base_layer" ]] || build_base "$base_layer" "$work"
  build_app "$work/app.tar" "$work"
  image_archive "$recipe/config.json" "$ref" "$out" "$work" "$base_layer" "$work/app.tar"
  # Earlier builds are never used again.
  find "$IMAGES_CACHE" -maxdepth 1 \( -name 'shipshape-*.tar' ! -path "$out" \) -delete
  find "$IMAGES_CACHE" -maxdepth 1 \( -name 'shipshape-base-*.layer' ! -path "$base_layer" \) -delete
  say "built image shipshape in $((SECONDS - start))s ($(du -m "$out" | cut -f1) MiB)"
fi
echo "shipshape $ref $out"
