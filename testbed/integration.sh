#!/usr/bin/env bash
# npm run test:integration [-- files…]: testbed up, integration tests against it, testbed down — always,
# even when the tests fail — and the tests' exit code. With --data-plane first (npm run
# test:dataplane) the testbed has real nodes and the tests are test/dataplane/'s.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

up_args=() tests=("test/integration/**/*.test.ts")
if [[ "${1:-}" == --data-plane ]]; then
  shift
  # The files share one testbed and mostly wait on it: run them side by side. The oracle tests
  # whose pods must really run to mean the same thing there (QoS, disruptions, eviction) run too.
  up_args=(--data-plane) tests=(--test-concurrency=4 "test/dataplane/**/*.test.ts"
    test/integration/{qos,disruptions,eviction}-oracle.test.ts)
fi

# A testbed of its own (own state directory, own ports), so a developer's testbed or another
# run in the same tree is neither reused nor stopped by this one.
export TESTBED_STATE="$repo/.testbed-run-$$"
# Memory at the end (peaks included) goes to the log, then the testbed stops.
trap '[[ -d "$TESTBED_STATE/pids" ]] && "$here/status.sh" >&2; "$here/down.sh"' EXIT

# Testbeds of earlier runs that were killed before they could stop them (their pid is gone).
for stale in "$repo"/.testbed-run-*; do
  [[ -d "$stale" ]] && ! kill -0 "${stale##*-}" 2>/dev/null && TESTBED_STATE="$stale" "$here/down.sh"
done
up_output="$("$here/up.sh" "${up_args[@]}")" || exit 1
eval "$(tail -n 1 <<<"$up_output")"
export KUBECONFIG
cd "$repo"
# Arguments (test files, node --test options) replace the default of every test of the suite.
# In the background so that Ctrl-C or a TERM stops the tests at once and still runs the trap.
(($#)) && tests=("$@")
"$repo/node_modules/.bin/node" --test --test-reporter=spec "${tests[@]}" &
runner=$!
trap 'kill -TERM "$runner" 2>/dev/null; exit 130' INT
trap 'kill -TERM "$runner" 2>/dev/null; exit 143' TERM
wait "$runner"
