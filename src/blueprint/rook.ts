// Storage provisioning as in the seed: a Rook CephFilesystem and the CephFS StorageClass that gives
// ReadWriteMany volumes, with reclaimPolicy Retain so deleting a claim never deletes the data.
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import type { App, Construct, Resource } from "./app.ts";
import { resource } from "./app.ts";
import { type Defaulted, withDefaults } from "./props.ts";

export interface CephFilesystemStorageProps {
  /** The StorageClass name claims use (seed: csi-cephfs). */
  storageClass?: string;
  /** The CephFilesystem name (seed: myfs). */
  filesystem?: string;
  /** Where the Rook operator and its CephCluster live. */
  rookNamespace?: string;
  /** Copies of each object Ceph keeps. */
  replicas?: number;
}

const DEFAULTS = {
  storageClass: "csi-cephfs",
  filesystem: "myfs",
  rookNamespace: "rook-ceph",
  // Three copies survive the loss of a node (or two, for reads).
  replicas: 3,
} satisfies Required<CephFilesystemStorageProps>;

export class CephFilesystemStorage implements Construct {
  readonly props: Defaulted<CephFilesystemStorageProps, typeof DEFAULTS>;

  constructor(app: App, props: CephFilesystemStorageProps = {}) {
    this.props = withDefaults(DEFAULTS, props);
    app.register(this);
  }

  resources(): Resource[] {
    const { storageClass, filesystem, rookNamespace: ns, replicas } = this.props;
    const cephFilesystem = {
      apiVersion: "ceph.rook.io/v1",
      kind: "CephFilesystem",
      metadata: { name: filesystem, namespace: ns },
      spec: {
        metadataPool: { replicated: { size: replicas } },
        dataPools: [{ name: "data0", replicated: { size: replicas } }],
        // A standby metadata server takes over at once when the active one is lost.
        metadataServer: { activeCount: 1, activeStandby: true },
      },
    };
    const secret = (kind: string) => ({
      [`csi.storage.k8s.io/${kind}-secret-namespace`]: ns,
    });
    const klass: StorageClass = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: storageClass },
      provisioner: `${ns}.cephfs.csi.ceph.com`,
      parameters: {
        clusterID: ns,
        fsName: filesystem,
        pool: `${filesystem}-data0`,
        // The operator generates these credentials in its own namespace.
        "csi.storage.k8s.io/provisioner-secret-name": "rook-csi-cephfs-provisioner",
        ...secret("provisioner"),
        "csi.storage.k8s.io/controller-expand-secret-name": "rook-csi-cephfs-provisioner",
        ...secret("controller-expand"),
        "csi.storage.k8s.io/node-stage-secret-name": "rook-csi-cephfs-node",
        ...secret("node-stage"),
      },
      reclaimPolicy: "Retain",
      allowVolumeExpansion: true,
    };
    return [
      resource(klass, {
        reclaimPolicy: "persistence: deleting the claim keeps the volume and its data",
        allowVolumeExpansion: "persistence: claims can grow without moving data",
      }),
      resource(cephFilesystem, {
        "spec.metadataPool": `persistence: ${replicas} copies of every object`,
      }),
    ];
  }
}
