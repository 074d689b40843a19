import { groupOf } from "../../k8s/api-groups.ts";
import { builtInKinds } from "../../k8s/schema.ts";
import { nearMatches } from "../../text/suggest.ts";
import { defineRule } from "../types.ts";
import { REMOVED_APIS } from "./api-removed.ts";
import { describe } from "./helpers.ts";

/** The built-in API as this release serves it: where each kind lives, and which groups exist. */
interface BuiltIn {
  /** kind → the apiVersions serving it, most stable first. */
  versionsOf: Map<string, string[]>;
  /** group → its kinds, in every version. */
  kindsOf: Map<string, Set<string>>;
  /** Every pair, as "apiVersion/kind". */
  pairs: Set<string>;
}

let builtIn: BuiltIn | undefined;

/** v1 before v1beta2 before v1alpha1; v2 before v1. */
function stability(version: string): number {
  const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!match) return 0;
  const level = match[2] === undefined ? 2 : match[2] === "beta" ? 1 : 0;
  return level * 1e6 + Number(match[1]) * 1e3 + Number(match[3] ?? 0);
}

const versionOf = (apiVersion: string) => apiVersion.slice(apiVersion.indexOf("/") + 1);

function load(): BuiltIn {
  const versionsOf = new Map<string, string[]>();
  const kindsOf = new Map<string, Set<string>>();
  const pairs = new Set<string>();
  const add = (apiVersion: string, kind: string, served: boolean) => {
    pairs.add(`${apiVersion}/${kind}`);
    const group = groupOf(apiVersion);
    if (!kindsOf.has(group)) kindsOf.set(group, new Set());
    kindsOf.get(group)!.add(kind);
    if (!served) return;
    if (!versionsOf.has(kind)) versionsOf.set(kind, []);
    versionsOf.get(kind)!.push(apiVersion);
  };
  for (const key of builtInKinds()) {
    const slash = key.lastIndexOf("/");
    add(key.slice(0, slash), key.slice(slash + 1), true);
  }
  // Removed versions are api-removed's to report; their groups and kinds still exist.
  for (const [apiVersion, kinds] of Object.entries(REMOVED_APIS)) {
    for (const kind of Object.keys(kinds)) add(apiVersion, kind, false);
  }
  for (const versions of versionsOf.values()) {
    versions.sort((a, b) => stability(versionOf(b)) - stability(versionOf(a)));
  }
  return { versionsOf, kindsOf, pairs };
}

export interface UnknownKind {
  message: string;
  /** The field to change. */
  path: "apiVersion" | "kind";
  /** The apiVersion that serves the kind, when one does. */
  servedAs?: string;
}

/** What is wrong with an apiVersion/kind pair, or undefined when it is built in or may be a CRD's. */
export function unknownKind(apiVersion: string, kind: string): UnknownKind | undefined {
  builtIn ??= load();
  if (builtIn.pairs.has(`${apiVersion}/${kind}`)) return undefined;
  const group = groupOf(apiVersion);
  const served = builtIn.versionsOf.get(kind);
  const kinds = builtIn.kindsOf.get(group);
  // A CustomResourceDefinition's group must contain a dot, so only a dotless group is certainly wrong.
  if (!kinds && group.includes(".")) return undefined;
  if (served) {
    return {
      message: `${kind} is served as ${served.join(" or ")}, not ${apiVersion}`,
      path: "apiVersion",
      servedAs: served[0],
    };
  }
  if (!kinds) {
    const groups = [...builtIn.kindsOf.keys()].filter(Boolean);
    return { message: `there is no API group "${group}"${nearMatches(group, groups)}`, path: "apiVersion" };
  }
  const near = nearMatches(kind, kinds) || nearMatches(kind, builtIn.versionsOf.keys());
  const where = group ? `the ${group} group` : "the core group (v1)";
  return { message: `${where} has no kind ${kind}${near}`, path: "kind" };
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
