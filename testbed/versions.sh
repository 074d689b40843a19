# Pinned component versions and the binary cache they are built into (sourced by the scripts).
K8S_VERSION=v1.36.3
TESTBED_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-testbed"
TESTBED_BIN="$TESTBED_CACHE/$K8S_VERSION/bin"

KWOK_VERSION=v0.8.0
METRICS_SERVER_VERSION=v0.8.0
KWOK_STAGES="$TESTBED_CACHE/$K8S_VERSION/kwok-$KWOK_VERSION-stages.yaml"
