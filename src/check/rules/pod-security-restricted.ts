import { enforcedLevel } from "../facts/pod-security.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe, podSecurityOf } from "./helpers.ts";

export const podSecurityRestricted = defineRule({
  id: "pod-security-restricted",
  title: 'Pods meet the Pod Security Standard "restricted"',
  severity: "info",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a pod that meets "baseline" but not "restricted" runs with more than it needs: as root
(runAsNonRoot unset, or runAsUser: 0), able to gain privileges through setuid binaries
(allowPrivilegeEscalation not false), with the runtime's default capabilities (no drop: [ALL]), without
a seccomp profile, or with volume types beyond configMap, secret, emptyDir, PVC, projected, downwardAPI,
CSI, ephemeral and image. Each widens what an exploited process can do. A namespace labelled
pod-security.kubernetes.io/enforce: restricted refuses such pods outright.

Why: hardening below the baseline is advice for most apps (official images such as wordpress:apache
start as root and drop to www-data), hence info; where the input's Namespace enforces restricted the
pods would be refused, so it is an error there.

Fix: in each container's securityContext set allowPrivilegeEscalation: false, capabilities.drop: [ALL]
(adding back only NET_BIND_SERVICE), runAsNonRoot: true with a non-zero runAsUser, and in the pod's
securityContext seccompProfile.type: RuntimeDefault. One finding per pod or container, naming each
setting it lacks.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const enforced = enforcedLevel(index.get("Namespace", "", w.namespace)?.object) === "restricted";
    // One finding per setter, at its first violation: a container short of four settings is one finding.
    const bySetter = new Map<string, ReturnType<typeof podSecurityOf>[number][]>();
    for (const v of podSecurityOf(w)) {
      if (v.level !== "restricted") continue;
      const mine = bySetter.get(v.setter);
      if (mine) mine.push(v);
      else bySetter.set(v.setter, [v]);
    }
    const findings: FindingDraft[] = [];
    for (const [setter, violations] of bySetter) {
      findings.push({
        message: `${setter} of ${describe(subject)} breaks Pod Security "restricted": ${violations.map((v) => v.problem).join("; ")}${enforced ? `; namespace ${w.namespace} enforces it, so its pods will be refused` : ""}`,
        fix: "Set allowPrivilegeEscalation: false, capabilities.drop: [ALL], runAsNonRoot: true and seccompProfile.type: RuntimeDefault; use only the restricted volume types.",
        path: violations[0]!.path,
        ...(enforced ? { severity: "error" as const } : {}),
      });
    }
    return findings;
  },
});
