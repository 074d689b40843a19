import { list, record, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe, maxReplicas } from "./helpers.ts";

export const rwoVolumeShared = defineRule({
  id: "rwo-volume-shared",
  title: "A ReadWriteOnce claim is mounted by one pod at a time",
  severity: "error",
  category: "data",
  targets: "workloads",
  explain: `What breaks: a ReadWriteOnce volume attaches to one node. With several replicas (or an HPA, or a
DaemonSet, or two workloads sharing the claim) the pods on other nodes stay in ContainerCreating with
"Multi-Attach error … Volume is already used by pod(s)", so scaling and drains fail; pods that do land on
the same node all write into one directory that the app may not expect to share. ReadWriteOncePod allows
exactly one pod anywhere. Even one replica is at risk: a RollingUpdate starts the new pod before the old
one stops, and if it lands on another node the rollout hangs on the same error.

Why: the seed (持久化) runs one MySQL on a ReadWriteOnce Ceph RBD volume, but for WordPress "there are
several replicas, so they must read and write from several nodes at once: accessModes needs
ReadWriteMany, which Ceph RBD does not support" — so it builds CephFS and a ReadWriteMany claim.

Fix: for shared files use a ReadWriteMany claim (CephFS, NFS, EFS, Azure Files…); for per-replica data use a
StatefulSet with volumeClaimTemplates; for a single-replica Deployment on RWO storage use strategy
Recreate (or a StatefulSet).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    list(record(w.podSpec).volumes).forEach((volume, v) => {
      const claimName = text(record(volume.persistentVolumeClaim).claimName);
      const claim = claimName ? index.claim(w.namespace, claimName) : undefined;
      if (!claim || claim.accessModes.includes("ReadWriteMany") || claim.accessModes.includes("ReadOnlyMany"))
        return;
      const rwop = claim.accessModes.includes("ReadWriteOncePod");
      if (!rwop && !claim.accessModes.includes("ReadWriteOnce")) return;
      const mode = rwop ? "ReadWriteOncePod" : "ReadWriteOnce";
      const path = [...w.specPath, "volumes", v, "persistentVolumeClaim", "claimName"];
      const most = maxReplicas(w);
      const others = claim.users.filter((u) => u !== w);
      const strategy = text(record(record(subject.object.spec).strategy).type) ?? "RollingUpdate";
      let problem: string | undefined;
      let severity: "warning" | undefined;
      if (w.kind === "DaemonSet") problem = "a DaemonSet runs one pod per node";
      else if (most !== undefined && most > 1) problem = `it runs up to ${most} replicas`;
      else if (others.length > 0)
        problem = `${others.map((o) => describe(o.source)).join(", ")} mount${others.length === 1 ? "s" : ""} it too`;
      else if (w.kind === "Deployment" && strategy === "RollingUpdate" && most === 1) {
        problem = "a RollingUpdate starts the new pod before the old one releases the volume";
        severity = "warning";
      }
      if (!problem) return;
      findings.push({
        message: `${describe(subject)} mounts ${mode} claim "${claimName}" but ${problem}: pods on other nodes fail with a Multi-Attach error`,
        fix: severity
          ? `Use strategy.type: Recreate (or a StatefulSet) for ${w.name}, or a ReadWriteMany claim.`
          : `Use a ReadWriteMany claim for shared files, or a StatefulSet with volumeClaimTemplates for per-replica data.`,
        path,
        ...(severity ? { severity } : {}),
      });
    });
    return findings;
  },
});
