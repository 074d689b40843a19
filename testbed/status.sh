#!/usr/bin/env bash
# Shows each testbed component: running or not, its pid, resident memory now and at its peak.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/state.sh"

total=0 total_peak=0
for name in "${COMPONENTS[@]}"; do
  if running "$name"; then
    pid="$(pid_of "$name")"
    rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")"
    peak="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")"
    total=$((total + rss)) total_peak=$((total_peak + peak))
    printf '%-24s pid %-8s RSS %6d MiB, peak %6d MiB\n' "$name" "$pid" $((rss / 1024)) $((peak / 1024))
  else
    printf '%-24s not running\n' "$name"
  fi
done
printf '%-24s %-12s RSS %6d MiB, peaks %5d MiB\n' total "" $((total / 1024)) $((total_peak / 1024))
