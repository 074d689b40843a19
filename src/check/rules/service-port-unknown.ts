import { int, list, record, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const servicePortUnknown = defineRule({
  id: "service-port-unknown",
  title: "A Service's targetPort is a port its pods declare",
  severity: "error",
  category: "network",
  targets: { kinds: ["Service"] },
  explain: `What breaks: a named targetPort (targetPort: wdport) is looked up in the selected pods' container
ports; if no container declares that name the Service has no usable endpoints and every connection fails.
A numeric targetPort that no container declares usually means a wrong number (80 vs 8080): traffic goes to
a port nothing listens on.

Why: the seed's Services route by name — targetPort: wdport to the WordPress container's
ports: [{containerPort: 80, name: wdport}], targetPort: dbport to MySQL's 3306. Names keep the Service
right when the port number changes, but only if the names match.

Fix: declare the port by that name in the pod template (ports: [{name: wdport, containerPort: 80}]) or
point targetPort at one the containers declare. A missing name is an error; an undeclared number is a
warning, as the process may still listen there.`,
  check(subject, index) {
    if (subject.object.kind !== "Service") return [];
    const selected = index.selectedBy(subject);
    if (selected.length === 0) return [];
    const declared = selected.flatMap((w) => w.containers.flatMap((c) => list(c.ports)));
    const names = new Set(declared.map((p) => text(p.name)).filter(Boolean));
    const numbers = new Set(declared.map((p) => int(p.containerPort)).filter((n) => n !== undefined));
    const findings: FindingDraft[] = [];
    list(record(subject.object.spec).ports).forEach((port, i) => {
      const target = port.targetPort ?? port.port;
      const field = port.targetPort !== undefined ? "targetPort" : "port";
      const path = ["spec", "ports", i, field];
      if (typeof target === "string" && !/^\d+$/.test(target) && !names.has(target)) {
        findings.push({
          message: `${describe(subject)} targets port "${target}", which no container of ${selected.map((w) => describe(w.source)).join(", ")} declares: the Service has no usable endpoints`,
          fix: `Name a containerPort "${target}" in the pod template, or use one of: ${[...names].join(", ") || "(no named ports)"}.`,
          path,
        });
      } else if (typeof target === "number" && numbers.size > 0 && !numbers.has(target)) {
        findings.push({
          message: `${describe(subject)} targets port ${target}, but the selected containers declare ${[...numbers].join(", ")}`,
          fix: `Point targetPort at a declared containerPort (${[...numbers].join(", ")}) or declare ${target}.`,
          path,
          severity: "warning",
        });
      }
    });
    return findings;
  },
});
