# The Debian packages a data plane needs, by the command that shows each is installed. Sourced by
# dataplane.sh (before the nodes start) and build-all.sh (the image builds need mmdebstrap and jq
# before any node starts: on a fresh machine they are not there yet). Uses the caller's say.

declare -A DEBIAN_PACKAGES=([containerd]=containerd [runc]=runc [/usr/lib/cni/bridge]=containernetworking-plugins
  [mmdebstrap]=mmdebstrap [iptables]=iptables [conntrack]=conntrack [socat]=socat [jq]=jq [nsenter]=util-linux)

install_debian_packages() {
  local cmd missing=()
  for cmd in "${!DEBIAN_PACKAGES[@]}"; do
    command -v "$cmd" >/dev/null || missing+=("${DEBIAN_PACKAGES[$cmd]}")
  done
  ((${#missing[@]})) || return 0
  say "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
}
