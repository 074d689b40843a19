import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const objectDuplicate = defineRule({
  id: "object-duplicate",
  title: "Each object is defined once",
  severity: "warning",
  category: "api",
  targets: "any",
  explain: `What breaks: when the same object (API group, kind, namespace, name) appears twice in what is
applied, the second definition silently replaces the first — \`kubectl apply\` reports both as configured,
and whichever comes last wins. A production setting in the first copy (the replicas, the probe, the
budget) simply is not there, and which copy wins can change with file order, a glob, or a kustomize
overlay.

Why: every production concern of the seed lives in one manifest per object (wordpress.yaml, mysql.yaml,
pdb.yaml…); concatenating files, overlays or chart outputs is how two diverging copies of "the"
Deployment end up in one apply.

Fix: keep one definition per object — merge the two, or rename one if they are meant to be distinct
objects. The finding points at the later copy and names the earlier one.`,
  check(subject, index) {
    const earlier = index.redefines(subject);
    if (!earlier) return [];
    return [
      {
        message: `${describe(subject)} is defined again here (first at ${earlier.file}:${earlier.position.line}): the later copy replaces the earlier one on apply`,
        fix: "Keep one definition of the object: merge the two copies, or rename one if both are wanted.",
        path: ["metadata", "name"],
      },
    ];
  },
});
