import { databaseOf, isPersistentVolume, mountCovers } from "../facts/database.ts";
import { list, record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe, isLongRunning } from "./helpers.ts";

export const dbWithoutVolume = defineRule({
  id: "db-without-volume",
  title: "Databases keep their data directory on a persistent volume",
  severity: "error",
  category: "data",
  targets: "workloads",
  explain: `What breaks: a database container without a persistent volume at its data directory writes into
the container's own filesystem (or an emptyDir). Every restart, reschedule, rollout, node drain or image
change starts it with an empty database: the site is back at its installation page and the data is gone.

Why: the seed (持久化): "our data is not persisted yet — neither MySQL nor WordPress — which is clearly not an
acceptable production application". It creates a ReadWriteOnce claim (mysql-pvc on rook-ceph-block) and
mounts it at /var/lib/mysql; after that, "even if the database or WordPress crashes, no data is lost".

Fix: mount a PersistentVolumeClaim at the engine's data directory (/var/lib/mysql for MySQL/MariaDB,
/var/lib/postgresql/data or $PGDATA for PostgreSQL, /data/db for MongoDB, /bitnami/<name> for Bitnami
images) — best from a StatefulSet's volumeClaimTemplates, so each replica keeps its own volume — on a
StorageClass with reclaimPolicy: Retain.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w || !isLongRunning(w)) return [];
    const spec = record(subject.object.spec);
    const claimTemplates =
      w.kind === "StatefulSet"
        ? list(spec.volumeClaimTemplates)
            .map((t) => text(record(t.metadata).name))
            .filter((n): n is string => !!n)
        : [];
    return containersOf(w, { init: false }).flatMap(({ container, path }) => {
      const db = databaseOf(container);
      if (!db) return [];
      const persisted = list(container.volumeMounts).some((mount) => {
        const mountPath = text(mount.mountPath);
        const name = text(mount.name);
        return (
          !!mountPath &&
          !!name &&
          db.dataDirs.some((dir) => mountCovers(mountPath, dir)) &&
          isPersistentVolume(record(w.podSpec).volumes, claimTemplates, name)
        );
      });
      if (persisted) return [];
      return [
        {
          message: `${db.engine} container "${containerName(container)}" of ${describe(subject)} has no persistent volume at ${db.dataDirs[0]}: a restart or reschedule loses the database`,
          fix: `Mount a PersistentVolumeClaim (a StatefulSet volumeClaimTemplate) at ${db.dataDirs[0]} in "${containerName(container)}".`,
          path: list(container.volumeMounts).length > 0 ? [...path, "volumeMounts"] : path,
        },
      ];
    });
  },
});
