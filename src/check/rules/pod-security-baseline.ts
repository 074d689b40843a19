import { enforcedLevel, grantsEverything } from "../facts/pod-security.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe, podSecurityOf } from "./helpers.ts";

export const podSecurityBaseline = defineRule({
  id: "pod-security-baseline",
  title: 'Pods meet the Pod Security Standard "baseline"',
  severity: "warning",
  category: "security",
  targets: "workloads",
  explain: `What breaks: the "baseline" Pod Security Standard forbids what lets a pod reach past its container:
host namespaces (hostNetwork, hostPID, hostIPC), hostPath volumes, host ports, capabilities beyond the
runtime's default set (NET_ADMIN, NET_RAW, SYS_PTRACE…), an unmasked /proc, Unconfined seccomp or
AppArmor, custom SELinux users, roles or types, sysctls outside the safe set, Windows HostProcess, and
probe or lifecycle handlers aimed at another host. A compromised web container with any of them reaches
the node or its neighbours. A namespace labelled pod-security.kubernetes.io/enforce: baseline (or
restricted) refuses such pods: a Deployment's ReplicaSet then creates none, and the app is down.

Why: the seed treats security as part of production grade (安全性); shipshape's blueprint namespace
enforces baseline. A web app or a database needs none of these. Privileged containers and SYS_ADMIN/ALL
capabilities have their own rule, privileged-container.

Fix: remove the field the finding names (hostNetwork, hostPath, hostPort, the extra capability, the sysctl,
procMount: Unmasked, seccompProfile/appArmorProfile type Unconfined, the SELinux user/role/type, the
handler's host). A warning; an error when the input's Namespace enforces baseline or restricted, since
the pods would then be refused. Judged as Pod Security admission judges at version "latest".`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const enforced = enforcedLevel(index.get("Namespace", "", w.namespace)?.object);
    const refused = enforced === "baseline" || enforced === "restricted";
    const findings: FindingDraft[] = [];
    for (const v of podSecurityOf(w)) {
      if (v.level !== "baseline" || grantsEverything(v)) continue;
      findings.push({
        message: `${v.setter} of ${describe(subject)}: ${v.problem} breaks Pod Security "baseline"${refused ? `, which namespace ${w.namespace} enforces: its pods will be refused` : ""}`,
        fix: `Remove it (${v.check}); a web app or database never needs it.`,
        path: v.path,
        ...(refused ? { severity: "error" as const } : {}),
      });
    }
    return findings;
  },
});
