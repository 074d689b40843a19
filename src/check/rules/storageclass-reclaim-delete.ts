import { setField } from "../fix/patch.ts";
import { nameOf } from "../object-index.ts";
import { record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const storageclassReclaimDelete = defineRule({
  id: "storageclass-reclaim-delete",
  title: "Storage for data volumes is retained when its claim is deleted",
  severity: "warning",
  category: "data",
  targets: { kinds: ["PersistentVolume", "StorageClass"] },
  explain: `What breaks: with reclaimPolicy Delete (the default for StorageClasses) deleting a
PersistentVolumeClaim deletes the volume and its data with it. A \`helm uninstall\`, a pruned namespace, an
\`kubectl delete -f .\` that includes the claim, or a renamed StatefulSet is then an unrecoverable loss of
the database.

Why: the seed's CephFS StorageClass for WordPress's shared files says reclaimPolicy: Retain — a production
database or upload directory must survive the objects that happen to point at it.

Fix: set reclaimPolicy: Retain on the StorageClass used for data volumes (or
persistentVolumeReclaimPolicy: Retain on a PersistentVolume), and clean up released volumes deliberately.
A warning, since scratch volumes may rightly use Delete.`,
  check(subject, index) {
    const kind = subject.object.kind;
    if (kind === "PersistentVolume") {
      const policy = text(record(subject.object.spec).persistentVolumeReclaimPolicy);
      if (policy !== "Delete") return [];
      return [
        {
          message: `${describe(subject)} has persistentVolumeReclaimPolicy Delete: deleting its claim deletes the data`,
          fix: "Set spec.persistentVolumeReclaimPolicy: Retain.",
          path: ["spec", "persistentVolumeReclaimPolicy"],
          // A StorageClass's reclaimPolicy cannot change once created: that one stays a finding.
          autofix: {
            ops: [setField(["spec", "persistentVolumeReclaimPolicy"], "Retain")],
            comment: "the data outlives its claim (storageclass-reclaim-delete)",
          },
        },
      ];
    }
    if (kind !== "StorageClass") return [];
    const policy = text(subject.object.reclaimPolicy) ?? "Delete";
    if (policy !== "Delete") return [];
    const name = nameOf(subject);
    const users = index
      .byKind("PersistentVolumeClaim")
      .filter((pvc) => text(record(pvc.object.spec).storageClassName) === name)
      .map((pvc) => nameOf(pvc));
    return [
      {
        message: `${describe(subject)} has reclaimPolicy ${subject.object.reclaimPolicy === undefined ? "Delete (the default)" : "Delete"}: deleting a claim${users.length ? ` (${users.join(", ")})` : ""} deletes its data`,
        fix: "Set reclaimPolicy: Retain on StorageClasses used for data volumes.",
        path: subject.object.reclaimPolicy !== undefined ? ["reclaimPolicy"] : ["metadata", "name"],
      },
    ];
  },
});
