// Static PersistentVolumes for the blueprint's claims, as on a cluster with no provisioner for the class
// (many have none for RWX): tests and the deploy benchmark pre-bind a volume to each claim. The testbed's
// own classes (ConfigMap kube-public/testbed) provision claims dynamically instead.
import type { KubeObject } from "../../src/k8s/object.ts";

export interface StaticClaim {
  claim: string;
  storageClass: string;
  accessMode: "ReadWriteOnce" | "ReadWriteMany";
  size: string;
}

/** A PersistentVolume pre-bound (claimRef) to one claim, so it binds to that claim and no other. */
export function staticVolume(namespace: string, c: StaticClaim): KubeObject {
  const name = `${namespace}-${c.claim}`.slice(0, 63);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, labels: { "shipshape.test/integration": "true" } },
    spec: {
      capacity: { storage: c.size },
      accessModes: [c.accessMode],
      storageClassName: c.storageClass,
      persistentVolumeReclaimPolicy: "Retain",
      claimRef: { namespace, name: c.claim },
      hostPath: { path: `/srv/${name}` },
    },
  };
}

/** The blueprint's two claims (web RWX, MySQL RWO), in a class nothing provisions. */
export const BLUEPRINT_CLAIMS: StaticClaim[] = [
  { claim: "wordpress-data", storageClass: "static", accessMode: "ReadWriteMany", size: "2Gi" },
  { claim: "data-wordpress-mysql-0", storageClass: "static", accessMode: "ReadWriteOnce", size: "20Gi" },
];
