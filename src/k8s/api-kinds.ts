// Which apiVersion/kind pairs the built-in API groups of the pinned release serve: the kinds with a
// built-in schema, plus the removed versions (api-removed's to report; their groups and kinds still
// exist). A pair in no built-in group is a CRD's — unless its group has no dot, which no CRD may use.
import { groupOf } from "./api-groups.ts";
import { REMOVED_APIS } from "./api-removals.ts";
import { builtInKinds } from "./schema.ts";

/** Why a pair is not built in, with what a suggestion may be drawn from. */
export type KindProblem =
  /** The kind exists, in these apiVersions (most stable first). */
  | { problem: "elsewhere"; servedAs: string[] }
  /** A dotless group that is not built in; `groups` are those that are. */
  | { problem: "no-group"; group: string; groups: string[] }
  /** A built-in group without the kind; `kinds` are the group's, `allKinds` every built-in kind. */
  | { problem: "no-kind"; group: string; kinds: string[]; allKinds: string[] };

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
  for (const [apiVersion, kinds] of Object.entries(REMOVED_APIS)) {
    for (const kind of Object.keys(kinds)) add(apiVersion, kind, false);
  }
  for (const versions of versionsOf.values()) {
    versions.sort((a, b) => stability(versionOf(b)) - stability(versionOf(a)));
  }
  return { versionsOf, kindsOf, pairs };
}

/** What is wrong with an apiVersion/kind pair, or undefined when it is built in or may be a CRD's. */
export function kindProblem(apiVersion: string, kind: string): KindProblem | undefined {
  builtIn ??= load();
  if (builtIn.pairs.has(`${apiVersion}/${kind}`)) return undefined;
  const group = groupOf(apiVersion);
  const served = builtIn.versionsOf.get(kind);
  const kinds = builtIn.kindsOf.get(group);
  if (!kinds && group.includes(".")) return undefined;
  if (served) return { problem: "elsewhere", servedAs: served };
  if (!kinds) return { problem: "no-group", group, groups: [...builtIn.kindsOf.keys()].filter(Boolean) };
  return { problem: "no-kind", group, kinds: [...kinds], allKinds: [...builtIn.versionsOf.keys()] };
}
