#!/usr/bin/env bash
# npm run test:all: every suite, the fast ones first. A cold testbed build (the control plane,
# and as root the data plane's binaries and images) takes tens of minutes on 2 cores, so once
# the unit tests have passed it starts in the background at the lowest CPU priority: it
# overlaps the package and browser tests, and the data plane's part overlaps the KWOK suites,
# which mostly wait on the cluster. Each suite's testbed waits on the build's cache locks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm test

kind=() && ((EUID == 0)) && kind=(--data-plane)
build_log=.testbed-build.log
setsid nice -n 19 bash testbed/build-all.sh "${kind[@]}" >"$build_log" 2>&1 &
builder=$!
# A failed suite stops the run; the build it overlapped stops with it (the caches only ever
# keep finished binaries).
trap 'kill -TERM -- "-$builder" 2>/dev/null || true' EXIT
echo "testbed build started in the background (log: $build_log)"

npm run test:package
npm run test:browser
npm run test:integration
npm run test:soak
if ! wait "$builder"; then
  echo "the testbed build failed; its log:" >&2
  tail -n 40 "$build_log" >&2
  exit 1
fi
grep -E "built|cached" "$build_log" || true
npm run test:dataplane
