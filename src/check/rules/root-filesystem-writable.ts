import { record } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

export const rootFilesystemWritable = defineRule({
  id: "root-filesystem-writable",
  title: "Containers mount their root filesystem read-only",
  severity: "info",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a writable root filesystem lets an exploited process drop a web shell, replace a
binary or plant a cron entry that survives until the container is recreated, and lets a runaway log fill
the node's disk. No Pod Security level requires a read-only root; it is hardening advice.

Why: the seed keeps WordPress state where it belongs — /var/www/html on a volume, the database on its own
claim — so nothing else in the image has to be written. Many images still write to /tmp or /run at start,
hence advice (info), not a warning.

Fix: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir wherever the process must
write (/tmp, /var/run, a cache directory).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const { container, path } of containersOf(w)) {
      if (record(container.securityContext).readOnlyRootFilesystem === true) continue;
      findings.push({
        message: `container "${containerName(container)}" of ${describe(subject)} can write to its root filesystem`,
        fix: `Set securityContext.readOnlyRootFilesystem: true on "${containerName(container)}" and mount an emptyDir where it must write.`,
        path: container.securityContext ? [...path, "securityContext"] : path,
      });
    }
    return findings;
  },
});
