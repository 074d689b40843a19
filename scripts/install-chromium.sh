#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser, `npm run test:browser`) when
# /usr/bin/chromium is missing. Re-running is a no-op once it is there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO apt-get install -y chromium
