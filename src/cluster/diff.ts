// `shipshape diff`: what a deploy would change, per object — a server-side dry-run apply against the
// live object, both cut down to the fields shipshape manages, as a unified diff of their YAML.
import { stringify } from "yaml";
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import { ApiError, type Cluster } from "./client.ts";
import { isGeneratedSecret, prepare, secretsToGenerate } from "./deploy.ts";
import { unifiedDiff } from "./line-diff.ts";
import { appliedFields, comparable, mergeFieldSets } from "./managed-fields.ts";

export interface ObjectDiff {
  name: string;
  state: "new" | "changed" | "unchanged" | "generated";
  /** Unified diff of the managed fields ("" when unchanged). */
  diff: string;
  /** Set when another field manager owns fields this apply sets. */
  conflict?: string;
}

/** Secret values never reach a terminal: equal ones show as ***, changed ones as *** (before)/(after). */
function maskSecret(before: Record<string, unknown>, after: Record<string, unknown>): void {
  for (const field of ["data", "stringData"]) {
    const a = (before[field] ?? {}) as Record<string, unknown>;
    const b = (after[field] ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const same = a[key] === b[key];
      if (key in a) a[key] = same ? "***" : "*** (before)";
      if (key in b) b[key] = same ? "***" : "*** (after)";
    }
  }
}

async function dryRun(
  cluster: Cluster,
  object: KubeObject,
): Promise<{ result: KubeObject; conflict?: string }> {
  try {
    return { result: await cluster.apply(object, { dryRun: true }) };
  } catch (error) {
    // Its namespace does not exist yet (the input creates it): the object as written is what will be new.
    if (error instanceof ApiError && error.status === 404) return { result: object };
    if (!(error instanceof ApiError && error.status === 409)) throw error;
    // Show what forcing would do, and say that deploy will stop here without --force-conflicts.
    return { result: await cluster.apply(object, { dryRun: true, force: true }), conflict: error.message };
  }
}

export async function diffObjects(
  cluster: Cluster,
  input: readonly KubeObject[],
  options: { namespace?: string } = {},
): Promise<ObjectDiff[]> {
  const objects = await prepare(cluster, input, options.namespace);
  const generated = await Promise.all(
    secretsToGenerate(objects).map(async (secret): Promise<ObjectDiff> => {
      const exists = await cluster.get(secret);
      return { name: describeObject(secret), state: exists ? "unchanged" : "generated", diff: "" };
    }),
  );
  const applied = await Promise.all(
    objects
      .filter((o) => !isGeneratedSecret(o))
      .map(async (object): Promise<ObjectDiff> => {
        const name = describeObject(object);
        const live = await cluster.get(object);
        const { result, conflict } = await dryRun(cluster, object);
        const fields = mergeFieldSets(appliedFields(live), appliedFields(result));
        const before = live ? comparable(live, fields) : {};
        const after = comparable(result, fields);
        if (object.kind === "Secret") maskSecret(before, after);
        const diff = unifiedDiff(live ? stringify(before) : "", stringify(after), {
          from: `live ${name}`,
          to: `shipshape ${name}`,
        });
        const state = !live ? "new" : diff ? "changed" : "unchanged";
        return conflict ? { name, state, diff, conflict } : { name, state, diff };
      }),
  );
  return [...applied, ...generated];
}
