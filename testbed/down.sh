#!/usr/bin/env bash
# Stops the testbed's processes by their recorded pids and removes its state.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/versions.sh"
source "$here/state.sh"
lock_testbed

if [[ ! -d "$STATE" ]]; then
  echo "testbed: not running" >&2
  exit 0
fi
stop_all
rm -rf "$STATE"
echo "testbed: stopped, state removed" >&2
