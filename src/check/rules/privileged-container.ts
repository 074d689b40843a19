import { record } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

export const privilegedContainer = defineRule({
  id: "privileged-container",
  title: "Containers do not run privileged",
  severity: "warning",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a privileged container has every capability and all host devices: a bug or a
compromised plugin in it (WordPress plugins are a classic entry point) is root on the node — it can read
other pods' Secrets and volumes, load kernel modules and escape the container. Adding SYS_ADMIN or ALL
capabilities is privileged in all but name. The namespace's Pod Security "baseline" or "restricted" level
rejects such pods outright.

Why: the seed treats security as part of production grade (安全性) — passwords in Secrets, HTTPS at the
edge; none of it matters if a web container can take over its node. A web app or a database never needs
privileges.

Fix: remove securityContext.privileged (and capabilities.add of SYS_ADMIN/ALL); run as non-root with
allowPrivilegeEscalation: false and capabilities.drop: [ALL], adding back only a specific capability
the process needs (e.g. NET_BIND_SERVICE).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const { container, path } of containersOf(w)) {
      const context = record(container.securityContext);
      if (context.privileged === true) {
        findings.push({
          message: `container "${containerName(container)}" of ${describe(subject)} runs privileged: a compromise of it is root on the node`,
          fix: `Remove securityContext.privileged from "${containerName(container)}"; drop ALL capabilities and add back only what it needs.`,
          path: [...path, "securityContext", "privileged"],
        });
      }
      const raw = record(context.capabilities).add;
      const caps = Array.isArray(raw) ? raw.map((c) => String(c).toUpperCase().replace(/^CAP_/, "")) : [];
      const broad = caps.findIndex((c) => c === "SYS_ADMIN" || c === "ALL");
      if (broad >= 0) {
        findings.push({
          message: `container "${containerName(container)}" of ${describe(subject)} adds capability ${caps[broad]}: privileged in all but name`,
          fix: `Remove ${caps[broad]} from securityContext.capabilities.add; add only the specific capability the process needs.`,
          path: [...path, "securityContext", "capabilities", "add", broad],
        });
      }
    }
    return findings;
  },
});
