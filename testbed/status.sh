#!/usr/bin/env bash
# Shows each testbed component: running or not, its pid and resident memory.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/state.sh"

total=0
for name in "${COMPONENTS[@]}"; do
  if running "$name"; then
    pid="$(pid_of "$name")"
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
    total=$((total + rss))
    printf '%-24s pid %-8s RSS %6d MiB\n' "$name" "$pid" $((rss / 1024))
  else
    printf '%-24s not running\n' "$name"
  fi
done
printf '%-24s %-12s RSS %6d MiB\n' total "" $((total / 1024))
