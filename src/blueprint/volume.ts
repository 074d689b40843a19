// Storage the app claims: a PersistentVolumeClaim that one or many pods mount.
import type { PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { InputError } from "../errors.ts";
import { type App, type Construct, type Resource, resource } from "./app.ts";
import { type Defaulted, withDefaults } from "./props.ts";

export type AccessMode = "ReadWriteOnce" | "ReadWriteOncePod" | "ReadWriteMany" | "ReadOnlyMany";

export interface SharedVolumeProps {
  size?: string;
  /** Unset → the cluster's default StorageClass. */
  storageClass?: string;
  accessMode?: AccessMode;
  labels?: Record<string, string>;
}

const DEFAULTS = {
  // WordPress keeps uploads, plugins and themes here; a couple of GiB is a start that can be expanded.
  size: "2Gi",
  // Several web replicas on several nodes write the same files: only RWX lets them all mount it.
  accessMode: "ReadWriteMany",
} satisfies SharedVolumeProps;

export class SharedVolume implements Construct {
  readonly name: string;
  readonly namespace: string;
  readonly props: Defaulted<SharedVolumeProps, typeof DEFAULTS>;

  constructor(app: App, name: string, props: SharedVolumeProps = {}) {
    this.name = name;
    this.namespace = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    app.register(this);
  }

  /** Whether pods on different nodes can mount it at once. */
  get multiNode(): boolean {
    return this.props.accessMode === "ReadWriteMany" || this.props.accessMode === "ReadOnlyMany";
  }

  /** Throws when `replicas` pods could not all mount this volume. */
  assertMountableBy(replicas: number, owner: string): void {
    if (replicas > 1 && !this.multiNode) {
      throw new InputError(
        `${this.props.accessMode} volume "${this.name}" cannot be mounted by ${replicas} replicas on different nodes; use ReadWriteMany (e.g. CephFS) or one replica`,
        { object: owner, field: "accessMode" },
      );
    }
  }

  resources(): Resource[] {
    const { size, storageClass, accessMode, labels } = this.props;
    const claim: PersistentVolumeClaim = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: this.name, namespace: this.namespace, ...(labels && { labels }) },
      spec: {
        accessModes: [accessMode],
        ...(storageClass && { storageClassName: storageClass }),
        resources: { requests: { storage: size } },
      },
    };
    return [
      resource(claim, {
        "spec.accessModes": `persistence: ${accessMode} so every replica, on any node, mounts the same files`,
      }),
    ];
  }
}
