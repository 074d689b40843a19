# Rook's CRDs on both kinds of testbed (sourced by up.sh): the `ceph.rook.io` kinds as Rook
# defines them, so `synth wordpress --rook` output (CephFilesystem + the CephFS StorageClass)
# meets the apiserver's real schema in a strict server-side dry-run. Only the CRDs and Rook's
# namespace: the operator and Ceph never run (no disks here), so a CephFilesystem is accepted
# but never provisioned, and the testbed-rwx class stands in for CephFS. Uses up.sh's kubectl
# and fail.

ROOK_NAMESPACE=rook-ceph

# rook_fetch: the CRDs of the pinned module download, cached by the pin's digest.
rook_fetch() {
  local crds="$ROOK_CACHE/crds.yaml" module tmp
  [[ -s "$crds" ]] && return 0
  mkdir -p "$ROOK_CACHE"
  module="$(cd "$here/rook" && go mod download github.com/rook/rook && go list -m -f '{{.Dir}}' github.com/rook/rook)" ||
    fail kube-apiserver "could not download Rook's module (pinned in testbed/rook/go.mod)"
  # A name of its own: another testbed may be fetching the same pin at this moment.
  tmp="$(mktemp "$crds.XXXXXX")"
  cp "$module/deploy/examples/crds.yaml" "$tmp"
  chmod 644 "$tmp"
  mv "$tmp" "$crds"
}

# rook_start: installs the CRDs (server-side: they are too large for the last-applied
# annotation) and Rook's namespace, where Rook's own install puts its objects, and publishes
# `rook.crds` and `rook.namespace` in kube-public/testbed.
rook_start() {
  rook_fetch
  kubectl apply --server-side --field-manager=testbed -f "$ROOK_CACHE/crds.yaml" >/dev/null ||
    fail kube-apiserver "could not install Rook's CRDs"
  kubectl create namespace "$ROOK_NAMESPACE" >/dev/null ||
    fail kube-apiserver "could not create namespace $ROOK_NAMESPACE"
  # One call for all: kubectl waits for each CRD in turn, ~0.1-0.2 s apiece on a loaded machine.
  kubectl wait --for=condition=Established --timeout=60s -f "$ROOK_CACHE/crds.yaml" >/dev/null ||
    fail kube-apiserver "Rook's CRDs were not established within 60 s"
  kubectl -n kube-public patch configmap testbed --type merge \
    -p "{\"data\": {\"rook.crds\": \"true\", \"rook.namespace\": \"$ROOK_NAMESPACE\"}}" >/dev/null ||
    fail kube-apiserver "could not publish Rook's CRDs in kube-public/testbed"
  say "Rook's CRDs installed (operator not run) ($((SECONDS - started))s)"
}
