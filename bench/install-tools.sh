#!/usr/bin/env bash
# Installs the anchors the benchmarks measure shipshape against (kube-score, kube-linter for
# bench/check.ts; fortio for bench/load.ts),
# built from source with `go install` into a cache outside the repo. Re-running is a no-op once built.
set -euo pipefail

BIN="${SHIPSHAPE_BENCH_BIN:-$HOME/.cache/shipshape-bench/bin}"
mkdir -p "$BIN"

# A tool that cannot be built (e.g. its module is not served by the Go proxy here) is reported and
# skipped: the benchmark measures whichever anchors exist and says which are missing.
install() { # name module
  if [ -x "$BIN/$1" ]; then
    echo "cached: $BIN/$1"
    return
  fi
  echo "building $1 from $2 …"
  GOBIN="$BIN" go install "$2" || echo "could not build $1; the benchmark will run without it" >&2
}

install kube-score github.com/zegl/kube-score/cmd/kube-score@latest
install kube-linter golang.stackrox.io/kube-linter/cmd/kube-linter@latest
# the anchor for bench/load.ts. Pinned: releases from 1.69 on need grol.io/grol, which the Go
# module proxy refused to serve (403) when this was written; try @latest first when updating.
install fortio fortio.org/fortio@v1.68.2
echo "tools in $BIN"
