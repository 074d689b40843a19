#!/usr/bin/env bash
# npm run test:integration: testbed up, integration tests against it, testbed down — always,
# even when the tests fail — and the tests' exit code.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

trap '"$here/down.sh"' EXIT
up_output="$("$here/up.sh")" || exit 1
eval "$(tail -n 1 <<<"$up_output")"
export KUBECONFIG
cd "$repo"
"$repo/node_modules/.bin/node" --test --test-reporter=spec "$@" "test/integration/**/*.test.ts"
