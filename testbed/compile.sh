# Compiling one Go binary into a cache directory (sourced by build.sh and build-node.sh).

say() { echo "testbed: $*" >&2; }

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-buildvcs=false

# The version stamps `kubectl version`, /version and the Node's kubeletVersion report, set as
# upstream's build does.
k8s_ldflags() {
  local major minor flags="-s -w" pkg
  major="${K8S_VERSION#v}" && major="${major%%.*}"
  minor="${K8S_VERSION#v*.}" && minor="${minor%%.*}"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$flags"
}

# compile <bin dir> <name> <module dir> <ldflags> <package>: builds one binary into the cache
# unless it is there, showing progress (packages compiled so far) every 20 s. Written under a
# temporary name first, so an interrupted build never leaves a broken binary in the cache.
compile() {
  local bin="$1" name="$2" dir="$3" ldflags="$4" pkg="$5"
  [[ -x "$bin/$name" ]] && return 0
  local log="$bin/.$name.log" tmp="$bin/.$name.tmp" start=$SECONDS pid
  say "building $name from $dir/go.mod (a cold build takes minutes; cached afterwards)"
  (cd "$here/$dir" && exec nice -n 10 go build -v -trimpath -tags=selinux,notest -ldflags="$ldflags" -o "$tmp" "$pkg") \
    2>"$log" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    if (((SECONDS - start) % 20 == 0)) && kill -0 "$pid" 2>/dev/null; then
      say "building $name: $(grep -cv '^go: ' "$log") packages compiled, $((SECONDS - start))s"
    fi
  done
  if ! wait "$pid"; then
    say "building $name failed; last lines of $log:"
    tail -n 30 "$log" >&2
    exit 1
  fi
  mv "$tmp" "$bin/$name"
  rm -f "$log"
  say "built $name in $((SECONDS - start))s"
}

# lock_bin <dir> <fd>: creates a cache directory and holds its lock, since two checkouts
# building at once would write the same files.
lock_bin() {
  mkdir -p "$1"
  eval "exec $2<\"\$1\""
  flock -n "$2" && return 0
  say "waiting for another build into $1 to finish"
  flock "$2"
}

need_go() {
  if ! command -v go >/dev/null; then
    say "building needs Go (1.26 or newer) on PATH, and the Go module proxy reachable"
    exit 1
  fi
}
