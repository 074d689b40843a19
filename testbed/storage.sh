# Storage for both kinds of testbed (sourced by up.sh): local-path-provisioner, built from its
# Go module, serving a ReadWriteOnce class and a ReadWriteMany class with reclaimPolicy Retain,
# as the seed has; and the ConfigMap kube-public/testbed that tells tests and scripts the
# class names (and on a data plane the images). Uses up.sh's start and kubectl.
#
# On the data plane a volume is a directory: RWO ones on the node they are first used on,
# RWX ones on a filesystem every node shares (the nodes are one machine). On KWOK nothing
# mounts them, but claims bind the same way: kwok/storage-helper-complete.yaml finishes the
# provisioner's helper pods, which KWOK cannot run.

STORAGE_RWO=testbed-rwo
STORAGE_RWX=testbed-rwx

# storage_config <helper image>: the provisioner's configuration and its helper pod.
storage_config() {
  mkdir -p "$STATE/local-path" "$STATE/volumes/rwo" "$STATE/volumes/rwx"
  cat >"$STATE/local-path/config.json" <<EOF2
{"storageClassConfigs": {
  "$STORAGE_RWO": {"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": ["$STATE/volumes/rwo"]}]},
  "$STORAGE_RWX": {"sharedFileSystemPath": "$STATE/volumes/rwx"}}}
EOF2
  cat >"$STATE/local-path/helperPod.yaml" <<EOF2
apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
  labels: {testbed.shipshape.dev/storage-helper: "true"}
spec:
  containers:
  - name: helper-pod
    image: $1
    imagePullPolicy: Never
EOF2
}

storage_objects() {
  cat <<EOF2
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: $STORAGE_RWO
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: $STORAGE_RWX}
provisioner: rancher.io/local-path
volumeBindingMode: Immediate
# As the seed: the shared WordPress files outlive their claim.
reclaimPolicy: Retain
---
apiVersion: v1
kind: Namespace
metadata: {name: local-path-storage}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: local-path-provisioner, namespace: local-path-storage}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: local-path-config, namespace: local-path-storage}
data:
  setup: |-
    #!/bin/sh
    set -eu
    mkdir -m 0777 -p "\$VOL_DIR"
  teardown: |-
    #!/bin/sh
    set -eu
    rm -rf "\$VOL_DIR"
EOF2
}

# storage_start <helper image>
storage_start() {
  storage_config "$1"
  storage_objects | kubectl apply -f - >/dev/null || fail kube-apiserver "could not create the storage classes"
  start local-path-provisioner "$LOCAL_PATH_BIN/local-path-provisioner" --debug start \
    --kubeconfig "$KUBECONFIG_FILE" --config "$STATE/local-path/config.json" --namespace local-path-storage \
    --service-account-name local-path-provisioner --helper-image "$1" \
    --helper-pod-file "$STATE/local-path/helperPod.yaml" --configmap-name local-path-config
}

# testbed_configmap [KEY: VALUE…]: what this testbed offers, for tests and scripts to read
# instead of hard-coding it; the data plane adds its images.
testbed_configmap() {
  local entry
  cat <<EOF2
---
apiVersion: v1
kind: ConfigMap
metadata: {name: testbed, namespace: kube-public}
data:
  mode: $MODE
  storage.rwo: $STORAGE_RWO
  storage.rwx: $STORAGE_RWX
EOF2
  for entry in "$@"; do echo "  $entry"; done
}
