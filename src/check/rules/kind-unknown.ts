import { kindProblem } from "../../k8s/api-kinds.ts";
import { nearMatches } from "../../text/suggest.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export interface UnknownKind {
  message: string;
  /** The field to change. */
  path: "apiVersion" | "kind";
  /** The apiVersion that serves the kind, when one does. */
  servedAs?: string;
}

/** What is wrong with an apiVersion/kind pair, said for a reader; undefined when it is built in or a CRD's. */
export function unknownKind(apiVersion: string, kind: string): UnknownKind | undefined {
  const wrong = kindProblem(apiVersion, kind);
  if (!wrong) return undefined;
  switch (wrong.problem) {
    case "elsewhere":
      return {
        message: `${kind} is served as ${wrong.servedAs.join(" or ")}, not ${apiVersion}`,
        path: "apiVersion",
        servedAs: wrong.servedAs[0],
      };
    case "no-group":
      return {
        message: `there is no API group "${wrong.group}"${nearMatches(wrong.group, wrong.groups)}`,
        path: "apiVersion",
      };
    case "no-kind": {
      const near = nearMatches(kind, wrong.kinds) || nearMatches(kind, wrong.allKinds);
      const where = wrong.group ? `the ${wrong.group} group` : "the core group (v1)";
      return { message: `${where} has no kind ${kind}${near}`, path: "kind" };
    }
  }
}

export const kindUnknown = defineRule({
  id: "kind-unknown",
  title: "apiVersion and kind name a kind the built-in API groups serve",
  severity: "error",
  category: "api",
  targets: "any",
  explain: `What breaks: the apiserver serves each kind under one group and version; "no matches for kind
Deployment in version v1" fails the whole apply. A misspelt kind (Deploymnet) or a kind put in the wrong
group (apiVersion: v1 for a Deployment or a PodDisruptionBudget) is a common slip when a manifest is
written by hand or copied between tutorials — and until it is applied, every other check sees a
Deployment that the cluster will never run.

Why: every concern in the seed lives in an object the cluster must accept first; an object it refuses
protects nothing.

Checked against the API groups of the pinned Kubernetes release: a built-in group (the core group, apps,
batch, policy, networking.k8s.io, …) that does not serve the kind, or a group without a dot, which no
CustomResourceDefinition may use. Kinds in other groups (Traefik's IngressRoute, cert-manager's
Certificate) are left alone: they come from CRDs. Removed versions (policy/v1beta1) are api-removed's.

Fix: use the apiVersion the finding names (apps/v1 for Deployment, policy/v1 for PodDisruptionBudget), or
correct the kind's spelling; \`kubectl api-resources\` lists what a cluster serves.`,
  check(subject) {
    const { apiVersion, kind } = subject.object;
    if (typeof apiVersion !== "string" || typeof kind !== "string") return [];
    const wrong = unknownKind(apiVersion, kind);
    if (!wrong) return [];
    return [
      {
        message: `${describe(subject)}: ${wrong.message}`,
        fix: wrong.servedAs
          ? `Change apiVersion to ${wrong.servedAs}.`
          : `Correct the ${wrong.path} to one the cluster serves (\`kubectl api-resources\` lists them).`,
        path: [wrong.path],
      },
    ];
  },
});
