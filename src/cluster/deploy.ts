// `shipshape deploy` as a library call: apply in dependency order, record the inventory, prune what
// left it (never data unless asked), wait for readiness, explain failures from the cluster, and with
// `atomic` put changed workloads back to their previous configuration.
import { setTimeout as sleep } from "node:timers/promises";
import {
  GENERATED_SECRET_ANNOTATION,
  generatedSecrets,
  generateSecret,
  type SecretNeed,
} from "../blueprint/secret.ts";
import { InputError } from "../errors.ts";
import { applyPhase, orderForApply, orderForDelete } from "../k8s/apply-order.ts";
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import { applyObject, type Change, previousConfiguration } from "./apply.ts";
import { ApiError, type Cluster } from "./client.ts";
import { explain, formatExplanations } from "./diagnose.ts";
import { gatherEvidence } from "./evidence.ts";
import {
  describeRef,
  inventoryName,
  inventoryObject,
  mergeRefs,
  type ObjectRef,
  planPrune,
  readInventory,
  refOf,
} from "./inventory.ts";
import { needsWait, type ObjectProgress, type WaitResult, waitForReady } from "./wait.ts";

export interface DeployOptions {
  /** Names the inventory; one app per inventory. */
  app: string;
  /** Namespace for objects that name none (else the context's); objects naming another one are refused. */
  namespace?: string;
  timeoutMs: number;
  atomic?: boolean;
  forceConflicts?: boolean;
  pruneData?: boolean;
  onChange?: (change: Change) => void;
  onProgress?: (objects: readonly ObjectProgress[]) => void;
  onRollback?: (name: string) => void;
  signal?: AbortSignal;
}

export interface NotReady {
  name: string;
  detail: string;
  /** Lines explaining why, from pod conditions, events and logs. */
  why: string[];
}

export interface DeployResult {
  outcome: "ready" | "not-ready" | "rolled-back" | "apply-failed";
  changes: Change[];
  pruned: ObjectRef[];
  /** Left the input but hold data: kept (use --prune-data). */
  keptData: ObjectRef[];
  notReady: NotReady[];
  wait?: WaitResult;
  rollback?: { restored: string[]; notRestorable: string[]; wait: WaitResult };
  /** Why applying stopped (conflict, API refusal). */
  error?: string;
  elapsedMs: number;
}

/** Nothing was created, changed or pruned. */
export function noChanges(result: DeployResult): boolean {
  return (
    result.pruned.length === 0 && result.changes.every((c) => c.action === "unchanged" || c.action === "kept")
  );
}

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

const SERVER_FIELDS = [
  "resourceVersion",
  "uid",
  "creationTimestamp",
  "managedFields",
  "generation",
  "selfLink",
] as const;

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

async function applyAll(
  cluster: Cluster,
  objects: readonly KubeObject[],
  secrets: readonly KubeObject[],
  options: DeployOptions,
  changes: Change[],
  afterNamespaces: () => Promise<void>,
) {
  const applied = objects.filter((o) => !isGeneratedSecret(o));
  const phases = new Map<number, KubeObject[]>();
  for (const object of orderForApply([...applied, ...secrets])) {
    const rank = applyPhase(object);
    phases.set(rank, [...(phases.get(rank) ?? []), object]);
  }
  // Read every live object up front, concurrently: the state to compare with (and roll back to).
  const befores = new Map(
    applied.map((o) => {
      const before = cluster.get(o);
      before.catch(() => {}); // awaited (and its error surfaced) when the object's phase comes
      return [o, before];
    }),
  );
  let namespacesDone = false;
  for (const [rank, phase] of phases) {
    if (!namespacesDone && rank > applyPhase({ kind: "Namespace" })) {
      namespacesDone = true;
      await afterNamespaces();
    }
    // Within a phase nothing depends on anything else: apply concurrently.
    const results = await Promise.all(
      phase.map(async (object) => {
        if (secrets.includes(object)) {
          const created = await cluster.createIfAbsent(object);
          return {
            name: describeObject(object),
            action: created ? "generated" : "kept",
            live: created,
          } as Change;
        }
        return applyObject(cluster, object, {
          force: options.forceConflicts ?? false,
          // A custom kind was not served when read up front (its CRD came in this deploy): read it now.
          before: befores.get(object)?.catch((error) => {
            if (error instanceof InputError) return cluster.get(object);
            throw error;
          }),
        });
      }),
    );
    for (const change of results) {
      changes.push(change);
      options.onChange?.(change);
    }
    // Custom objects need their CRD served before the next phase can be applied.
    const crds = results.filter((c) => c.live?.kind === "CustomResourceDefinition").map((c) => c.live!);
    if (crds.length) await crdsServed(cluster, crds, options.signal);
  }
  if (!namespacesDone) await afterNamespaces();
}

const CRD_TIMEOUT_MS = 60_000;

/** Established, and then in discovery (the API server publishes a new group a moment later). */
async function crdsServed(cluster: Cluster, crds: KubeObject[], signal?: AbortSignal): Promise<void> {
  const wait = await waitForReady(cluster, crds, { timeoutMs: CRD_TIMEOUT_MS, signal });
  if (!wait.ready) {
    const states = wait.objects.map((o) => `${o.name} (${o.readiness.detail})`);
    throw new Error(`CustomResourceDefinitions not Established: ${states.join(", ")}`);
  }
  const deadline = Date.now() + CRD_TIMEOUT_MS;
  for (const crd of crds) {
    const spec = crd.spec as {
      group: string;
      names: { kind: string };
      versions: Array<{ name: string; served: boolean }>;
    };
    for (const version of spec.versions.filter((v) => v.served)) {
      // Discovery has no watch: ask again shortly until the kind is listed.
      while (!(await cluster.resourceFor(`${spec.group}/${version.name}`, spec.names.kind))) {
        if (Date.now() > deadline)
          throw new Error(`${describeObject(crd)} is Established but not served in discovery`);
        await sleep(100);
      }
    }
  }
}

async function explainNotReady(cluster: Cluster, wait: WaitResult): Promise<NotReady[]> {
  const stuck = wait.objects.filter((o) => o.readiness.state !== "ready");
  return Promise.all(
    stuck.map(async (o) => ({
      name: o.name,
      detail: `${o.readiness.state === "failed" ? "failed" : "waiting for"} ${o.readiness.detail}`,
      why: formatExplanations(explain(await gatherEvidence(cluster, o.object))),
    })),
  );
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

async function rollBack(
  cluster: Cluster,
  changes: readonly Change[],
  options: DeployOptions,
  timeoutMs: number,
) {
  const changed = changes.filter(
    (c) => c.live && WORKLOADS.has(c.live.kind) && (c.action === "configured" || c.action === "created"),
  );
  const restorable = changed.filter((c) => c.before);
  for (const change of restorable) {
    options.onRollback?.(change.name);
    await cluster.apply(previousConfiguration(change.before!), { force: true });
  }
  const targets = await Promise.all(restorable.map(async (c) => (await cluster.get(c.before!)) ?? c.before!));
  const wait = await waitForReady(cluster, targets, {
    timeoutMs,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  return {
    restored: restorable.map((c) => c.name),
    notRestorable: changed
      .filter((c) => !c.before)
      .map((c) => `${c.name} (created by this deploy: no previous revision)`),
    wait,
  };
}

export async function deploy(
  cluster: Cluster,
  input: readonly KubeObject[],
  options: DeployOptions,
): Promise<DeployResult> {
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  const objects = await prepare(cluster, input, options.namespace);
  const home = homeNamespace(objects, options.namespace ?? cluster.defaultNamespace);
  const inventoryRef = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: inventoryName(options.app), namespace: home },
  };

  const secrets = secretsToGenerate(objects);
  const current = mergeRefs(
    objects.filter((o) => !isGeneratedSecret(o)).map((o) => refOf(o)),
    secrets.map((o) => refOf(o, true)),
  );
  const result: DeployResult = {
    outcome: "ready",
    changes: [],
    pruned: [],
    keptData: [],
    notReady: [],
    elapsedMs: 0,
  };
  let previous: ObjectRef[] = [];
  const writeInventory = async (refs: ObjectRef[]) => {
    try {
      await cluster.apply(inventoryObject(options.app, home, refs), { force: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new InputError(
          `namespace "${home}" does not exist: create it, or include its Namespace object`,
        );
      }
      throw error;
    }
  };

  try {
    await applyAll(cluster, objects, secrets, options, result.changes, async () => {
      // Record intent before the rest is applied, so an interrupted deploy leaks nothing the next one cannot prune.
      previous = readInventory(await cluster.get(inventoryRef));
      await writeInventory(mergeRefs(previous, current));
    });
  } catch (error) {
    if (error instanceof InputError && !result.changes.length) throw error;
    result.outcome = "apply-failed";
    result.error = error instanceof InputError ? error.oneLine() : (error as Error).message;
  }

  if (result.outcome !== "apply-failed") {
    const plan = planPrune(previous, current, { pruneData: options.pruneData ?? false });
    for (const ref of orderForDelete(plan.prune)) {
      const metadata = { name: ref.name, namespace: ref.namespace };
      if (!(await cluster.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata }))) continue;
      result.pruned.push(ref);
      options.onChange?.({ name: describeRef(ref), action: "pruned" });
    }
    result.keptData = plan.keep;
    await writeInventory(mergeRefs(current, plan.keep));

    const waitable = result.changes.flatMap((c) => (c.live && needsWait(c.live) ? [c.live] : []));
    result.wait = await waitForReady(cluster, waitable, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      onProgress: options.onProgress,
      signal: options.signal,
    });
    if (!result.wait.ready) {
      result.outcome = "not-ready";
      result.notReady = await explainNotReady(cluster, result.wait);
    }
  }

  if (result.outcome !== "ready" && options.atomic) {
    result.rollback = await rollBack(cluster, result.changes, options, options.timeoutMs);
    result.outcome = "rolled-back";
  }
  result.elapsedMs = Date.now() - startedAt;
  return result;
}
