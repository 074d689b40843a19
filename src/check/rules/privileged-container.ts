import { grantsEverything } from "../facts/pod-security.ts";
import { defineRule } from "../types.ts";
import { describe, podSecurityOf } from "./helpers.ts";

export const privilegedContainer = defineRule({
  id: "privileged-container",
  title: "Containers do not run privileged",
  severity: "error",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a privileged container has every capability and all host devices: a bug or a
compromised plugin in it (WordPress plugins are a classic entry point) is root on the node — it can read
other pods' Secrets and volumes, load kernel modules and escape the container. Adding SYS_ADMIN or ALL
capabilities is privileged in all but name. The namespace's Pod Security "baseline" or "restricted" level
rejects such pods outright; the rest of baseline is pod-security-baseline.

Why: the seed treats security as part of production grade (安全性) — passwords in Secrets, HTTPS at the
edge; none of it matters if a web container can take over its node. A web app or a database never needs
privileges.

Fix: remove securityContext.privileged (and capabilities.add of SYS_ADMIN/ALL); run as non-root with
allowPrivilegeEscalation: false and capabilities.drop: [ALL], adding back only a specific capability
the process needs (e.g. NET_BIND_SERVICE).`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    return podSecurityOf(w)
      .filter(grantsEverything)
      .map((v) =>
        v.check === "privileged"
          ? {
              message: `${v.setter} of ${describe(subject)} runs privileged: a compromise of it is root on the node`,
              fix: `Remove securityContext.privileged from ${v.setter}; drop ALL capabilities and add back only what it needs.`,
              path: v.path,
            }
          : {
              message: `${v.setter} of ${describe(subject)} adds capability ${v.value}: privileged in all but name`,
              fix: `Remove ${v.value} from securityContext.capabilities.add; add only the specific capability the process needs.`,
              path: v.path,
            },
      );
  },
});
