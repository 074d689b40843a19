// The plan: what a deploy of `input` as `app` would create, change and prune, computed before anything
// is touched. `diff`, `deploy --dry-run` and `deploy` share it, so nothing is deleted that the plan did
// not show. Per object it is a server-side dry-run apply against the live object, both cut down to the
// fields shipshape manages; prunes come from the inventory, each proven to be the app's from its live
// object (inventory.ts), never from the inventory's word alone.
import { isDeepStrictEqual } from "node:util";
import { stringify } from "yaml";
import { InputError } from "../errors.ts";
import { GENERATED_SECRET_ANNOTATION } from "../k8s/annotations.ts";
import { APP_LABEL, appOf, labelled } from "../k8s/app-identity.ts";
import { generatedSecrets, generateSecret, type SecretNeed } from "../k8s/generated-secrets.ts";
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import { unifiedDiff } from "../text/line-diff.ts";
import { refusal } from "./apply.ts";
import { ApiError, type Cluster } from "./client.ts";
import {
  describeRef,
  inventoryName,
  isData,
  mergeRefs,
  notProvablyOurs,
  type ObjectRef,
  readInventory,
  refKey,
  refOf,
  scopeOf,
} from "./inventory.ts";
import { comparable, managedViews } from "./managed-fields.ts";
import { redactSecretValues } from "./secret-values.ts";

export interface PlanOptions {
  app: string;
  /** Namespace for objects that name none (else the context's); objects naming another one are refused. */
  namespace?: string;
  /** Also prune data (PVCs, Namespaces, Secrets, CRDs) that left the input. */
  pruneData?: boolean;
  /** false: prune nothing (--no-prune). */
  prune?: boolean;
  /** Take over objects labelled as another app's (--force-conflicts); else they are refused. */
  forceConflicts?: boolean;
}

export type StepAction = "create" | "update" | "unchanged" | "generate" | "keep";

export interface Step {
  name: string;
  object: KubeObject;
  action: StepAction;
  /** Unified diff of the managed fields, Secret values masked ("" when unchanged or generated). */
  diff: string;
  /** Set when another field manager owns fields this apply sets. */
  conflict?: string;
}

export interface Plan {
  app: string;
  /** Where the inventory lives: the namespace most of the app's objects are in. */
  home: string;
  /** The objects to apply, namespaces filled in and labelled as the app's. */
  objects: KubeObject[];
  /** Secrets to create when absent (never overwritten). */
  secrets: KubeObject[];
  steps: Step[];
  /** What the inventory recorded before this deploy. */
  previous: ObjectRef[];
  /** What this deploy records: the input. */
  current: ObjectRef[];
  /** Left the input, provably the app's: deleted once the new release is ready. */
  prune: ObjectRef[];
  /** Left the input but hold data: kept (--prune-data deletes them). */
  keep: ObjectRef[];
  /** In the inventory, but not provably the app's: left alone, and said. */
  ignored: Array<{ ref: ObjectRef; why: string }>;
}

const SERVER_FIELDS = [
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "managedFields",
  "generation",
  "selfLink",
] as const;

/** Fill in namespaces (namespaced kinds only) and refuse kinds the cluster cannot serve, before touching anything. */
export async function prepare(
  cluster: Cluster,
  objects: readonly KubeObject[],
  namespace: string | undefined,
): Promise<KubeObject[]> {
  const fallback = namespace ?? cluster.defaultNamespace;
  // Kinds that a CustomResourceDefinition in the input will define: served only after it is applied.
  const defined = new Map<string, boolean>();
  for (const crd of objects.filter((o) => o.kind === "CustomResourceDefinition")) {
    const spec = crd.spec as {
      group: string;
      scope: string;
      names: { kind: string };
      versions: Array<{ name: string }>;
    };
    for (const version of spec.versions ?? [])
      defined.set(`${spec.group}/${version.name}/${spec.names.kind}`, spec.scope === "Namespaced");
  }
  return Promise.all(
    objects.map(async (object) => {
      const name = describeObject(object);
      if (!object.metadata?.name) throw new InputError("object has no metadata.name", { object: name });
      const served = await cluster.resourceFor(object.apiVersion, object.kind);
      const key = `${object.apiVersion}/${object.kind}`;
      if (!served && !defined.has(key)) {
        throw new InputError(
          `the cluster serves no kind ${object.kind} in ${object.apiVersion}, and no CustomResourceDefinition in the input defines it`,
          { object: name },
        );
      }
      const namespaced = served ? served.namespaced : defined.get(key);
      const copy = structuredClone(object);
      // Server bookkeeping from a `kubectl get -o yaml` would make the apply a stale update.
      for (const field of SERVER_FIELDS) delete copy.metadata[field];
      if (!namespaced) {
        delete copy.metadata.namespace;
        return copy;
      }
      if (namespace && copy.metadata.namespace && copy.metadata.namespace !== namespace) {
        throw new InputError(
          `its namespace "${copy.metadata.namespace}" does not match --namespace "${namespace}"`,
          { object: name },
        );
      }
      copy.metadata.namespace ??= fallback;
      return copy;
    }),
  );
}

/** The namespace the inventory lives in: where most of the app's objects are. */
function homeNamespace(objects: readonly KubeObject[], fallback: string): string {
  const counts = new Map<string, number>();
  for (const o of objects)
    if (o.metadata.namespace) counts.set(o.metadata.namespace, (counts.get(o.metadata.namespace) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
}

export function isGeneratedSecret(object: KubeObject): boolean {
  return object.kind === "Secret" && object.metadata.annotations?.[GENERATED_SECRET_ANNOTATION] === "true";
}

/** Secrets deploy creates when absent and never overwrites: emitted generated ones, and declared needs. */
export function secretsToGenerate(objects: readonly KubeObject[]): KubeObject[] {
  const emitted = objects.filter(isGeneratedSecret);
  const declared = generatedSecrets(objects)
    .filter((need: SecretNeed) => !need.included)
    .map((need) => generateSecret(need) as KubeObject);
  return [...emitted, ...declared];
}

export function inventoryRef(app: string, home: string): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: inventoryName(app), namespace: home } };
}

/** What an apply would make of `object`: the dry-run result, and a conflict (forced to show it) if any. */
async function dryRun(
  cluster: Cluster,
  object: KubeObject,
): Promise<{ result: KubeObject; conflict?: string }> {
  try {
    return { result: await cluster.apply(object, { dryRun: true }) };
  } catch (error) {
    // Its namespace does not exist yet (the input creates it): the object as written is what will be new.
    if (error instanceof ApiError && error.status === 404) return { result: object };
    if (error instanceof ApiError && error.status === 409) {
      // Show what forcing would do, and say that deploy will stop here without --force-conflicts.
      const conflict = redactSecretValues(error.message, object);
      return { result: await cluster.apply(object, { dryRun: true, force: true }), conflict };
    }
    throw refusal(error, object);
  }
}

async function planStep(cluster: Cluster, object: KubeObject, options: PlanOptions): Promise<Step> {
  const name = describeObject(object);
  // A custom kind whose CRD comes with this input: nothing live yet, and no server to dry-run it.
  if (!(await cluster.resourceFor(object.apiVersion, object.kind))) {
    const diff = unifiedDiff("", stringify(comparable(object)), {
      from: `live ${name}`,
      to: `shipshape ${name}`,
    });
    return { name, object, action: "create", diff };
  }
  const [live, { result, conflict }] = await Promise.all([cluster.get(object), dryRun(cluster, object)]);
  // Two apps claiming one object would later prune each other's: the first keeps it unless forced.
  const owner = live && appOf(live);
  if (owner && owner !== options.app && !options.forceConflicts)
    throw new InputError(
      `belongs to app "${owner}" (label ${APP_LABEL}); deploying it as "${options.app}" would take it over (--force-conflicts to do so)`,
      { object: name },
    );
  const { before, after } = managedViews(live, result);
  const same = live !== undefined && isDeepStrictEqual(before, after);
  const diff = same
    ? ""
    : unifiedDiff(live ? stringify(before) : "", stringify(after), {
        from: `live ${name}`,
        to: `shipshape ${name}`,
      });
  const action: StepAction = !live ? "create" : same ? "unchanged" : "update";
  return conflict ? { name, object, action, diff, conflict } : { name, object, action, diff };
}

export async function plan(
  cluster: Cluster,
  input: readonly KubeObject[],
  options: PlanOptions,
): Promise<Plan> {
  if (input.length === 0) throw new InputError("the input holds no objects: nothing applied, nothing pruned");
  const objects = (await prepare(cluster, input, options.namespace)).map((o) => labelled(o, options.app));
  const home = homeNamespace(objects, options.namespace ?? cluster.defaultNamespace);
  const secrets = secretsToGenerate(objects).map((o) => labelled(o, options.app));
  const applied = objects.filter((o) => !isGeneratedSecret(o));
  const current = mergeRefs(
    applied.map((o) => refOf(o)),
    secrets.map((o) => refOf(o, true)),
  );
  const [inventory, steps, secretSteps] = await Promise.all([
    cluster.get(inventoryRef(options.app, home)),
    Promise.all(applied.map((o) => planStep(cluster, o, options))),
    Promise.all(
      secrets.map(
        async (secret): Promise<Step> => ({
          name: describeObject(secret),
          object: secret,
          action: (await cluster.get(secret)) ? "keep" : "generate",
          diff: "",
        }),
      ),
    ),
  ]);
  const previous = readInventory(inventory);
  const result: Plan = {
    app: options.app,
    home,
    objects,
    secrets,
    steps: [...steps, ...secretSteps],
    previous,
    current,
    prune: [],
    keep: [],
    ignored: [],
  };
  if (options.prune === false) return result;
  const wanted = new Set(current.map(refKey));
  const scope = scopeOf(objects, home);
  const gone = previous.filter((ref) => !wanted.has(refKey(ref)));
  await Promise.all(
    gone.map(async (ref) => {
      const live = await liveOf(cluster, ref);
      if (live === "gone") return;
      const why =
        live === "unknown kind" ? "its kind is not served" : notProvablyOurs(ref, live, options.app, scope);
      if (why) result.ignored.push({ ref, why });
      else if (isData(ref) && !options.pruneData) result.keep.push(ref);
      else result.prune.push(ref);
    }),
  );
  const order = (refs: ObjectRef[]) => refs.sort((a, b) => refKey(a).localeCompare(refKey(b)));
  order(result.prune);
  order(result.keep);
  result.ignored.sort((a, b) => refKey(a.ref).localeCompare(refKey(b.ref)));
  return result;
}

async function liveOf(cluster: Cluster, ref: ObjectRef): Promise<KubeObject | "gone" | "unknown kind"> {
  const metadata = ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
  if (!(await cluster.resourceFor(ref.apiVersion, ref.kind))) return "unknown kind";
  return (await cluster.get({ apiVersion: ref.apiVersion, kind: ref.kind, metadata })) ?? "gone";
}

/** Nothing would be created, changed or pruned. */
export function planIsEmpty(p: Plan): boolean {
  return p.prune.length === 0 && p.steps.every((s) => s.action === "unchanged" || s.action === "keep");
}

/** Deleting more than this many objects, or more than half of what the app had, needs a confirmation. */
export const PRUNE_CONFIRM_LIMIT = 3;

/** Why this plan's deletions need the user's yes, or undefined when they are few. */
export function pruneNeedsConfirmation(p: Plan): string | undefined {
  const deleting = p.prune.length;
  if (deleting === 0) return undefined;
  if (deleting > PRUNE_CONFIRM_LIMIT)
    return `it deletes ${deleting} objects (more than ${PRUNE_CONFIRM_LIMIT})`;
  if (deleting * 2 > p.previous.length)
    return `it deletes ${deleting} of the app's ${p.previous.length} objects`;
  return undefined;
}

/** The plan's lines as deploy, --dry-run and diff print them: one per object that changes. */
export function planSummary(p: Plan): string[] {
  const count = (action: StepAction) => p.steps.filter((s) => s.action === action).length;
  const lines = [
    `plan for app ${p.app} (inventory ${p.home}/${inventoryName(p.app)}): ${count("create")} to create, ${count("update")} to change, ${count("generate")} Secret(s) to generate, ${p.prune.length} to prune, ${count("unchanged") + count("keep")} unchanged`,
  ];
  for (const s of p.steps) {
    if (s.action === "create") lines.push(`  + create ${s.name}`);
    else if (s.action === "update") lines.push(`  ~ change ${s.name}`);
    else if (s.action === "generate")
      lines.push(`  + generate ${s.name} (fresh passwords, never overwritten)`);
    if (s.conflict) lines.push(`    conflict: ${s.conflict} (deploy needs --force-conflicts)`);
  }
  for (const ref of p.prune) lines.push(`  - prune ${describeRef(ref)}`);
  for (const ref of p.keep)
    lines.push(`  = keep ${describeRef(ref)}: holds data, left the input (prune with --prune-data)`);
  for (const { ref, why } of p.ignored)
    lines.push(`  ! leave ${describeRef(ref)}: in the inventory but ${why}`);
  return lines;
}
