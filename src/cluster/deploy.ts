// `shipshape deploy` as a library call: plan (plan.ts), then apply in dependency order, wait for
// readiness, and only once the new release is ready prune what left it (never data unless asked).
// Failures are explained from the cluster; with `atomic` every object of the app returns to the previous
// release and what the failed one created is removed (data kept). A `gate` may refuse a release that is
// ready (deploy --verify: its SLO broke under load), which then fails as one that never became ready.
// Each deploy is recorded as a release.
import { setTimeout as sleep } from "node:timers/promises";
import { InputError } from "../errors.ts";
import { applyPhase, orderForApply, orderForDelete } from "../k8s/apply-order.ts";
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import { ApplyConflict, applyObject, type Change, previousConfiguration } from "./apply.ts";
import { ApiError, type Cluster } from "./client.ts";
import { explain, formatExplanations } from "./diagnose.ts";
import { gatherEvidence } from "./evidence.ts";
import { describeRef, inventoryObject, isData, mergeRefs, type ObjectRef, refOf } from "./inventory.ts";
import { isGeneratedSecret, type Plan, type PlanOptions, plan } from "./plan.ts";
import { recordRelease } from "./releases.ts";
import { needsWait, type ObjectProgress, type WaitResult, waitForReady } from "./wait.ts";

export interface DeployOptions extends PlanOptions {
  timeoutMs: number;
  atomic?: boolean;
  forceConflicts?: boolean;
  /** Plan only: nothing is changed. */
  dryRun?: boolean;
  /** Shown the plan before anything changes; false stops the deploy with nothing done. */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
  /** How the release is described in `history` (default: "deploy"). */
  description?: string;
  onPlan?: (plan: Plan) => void;
  onChange?: (change: Change) => void;
  onProgress?: (objects: readonly ObjectProgress[]) => void;
  onRollback?: (line: string) => void;
  /** Asked once the release is ready, before anything is pruned or recorded: a reason returned refuses
   * it, and the deploy fails as if it had not become ready (rolled back when atomic). */
  gate?: () => Promise<string | undefined>;
  /** Aborted (Ctrl-C, SIGTERM): stop applying or waiting, then roll back if atomic. */
  signal?: AbortSignal;
}

export interface NotReady {
  name: string;
  detail: string;
  /** Lines explaining why, from pod conditions, events and logs. */
  why: string[];
}

export interface Rollback {
  /** Put back to their configuration in the previous release. */
  restored: string[];
  /** Created by the failed release, deleted. */
  removed: string[];
  /** Created by the failed release but holding data: kept. */
  kept: string[];
  /** Could not be put back, with the reason. */
  failed: string[];
  /** The restored objects' readiness. */
  wait: WaitResult;
}

export interface DeployResult {
  outcome:
    | "ready"
    | "not-ready"
    | "refused"
    | "rolled-back"
    | "apply-failed"
    | "interrupted"
    | "planned"
    | "cancelled";
  plan: Plan;
  changes: Change[];
  pruned: ObjectRef[];
  notReady: NotReady[];
  wait?: WaitResult;
  rollback?: Rollback;
  /** Why applying stopped (conflict, API refusal). */
  error?: string;
  /** Why the gate refused the ready release. */
  refused?: string;
  /** The failure is the input's (invalid object, conflict): exit 2, whether or not something was applied. */
  inputError?: boolean;
  /** The release number recorded (none for a dry run or a cancelled deploy). */
  release?: number;
  elapsedMs: number;
}

/** Nothing was created, changed or pruned. */
export function noChanges(result: DeployResult): boolean {
  return (
    result.pruned.length === 0 && result.changes.every((c) => c.action === "unchanged" || c.action === "kept")
  );
}

class Interrupted extends Error {}

async function applyAll(
  cluster: Cluster,
  p: Plan,
  options: DeployOptions,
  changes: Change[],
  afterNamespaces: () => Promise<void>,
) {
  const applied = p.objects.filter((o) => !isGeneratedSecret(o));
  const phases = new Map<number, KubeObject[]>();
  for (const object of orderForApply([...applied, ...p.secrets])) {
    const rank = applyPhase(object);
    phases.set(rank, [...(phases.get(rank) ?? []), object]);
  }
  let namespacesDone = false;
  for (const [rank, phase] of phases) {
    if (options.signal?.aborted) throw new Interrupted();
    if (!namespacesDone && rank > applyPhase({ kind: "Namespace" })) {
      namespacesDone = true;
      await afterNamespaces();
    }
    // Within a phase nothing depends on anything else: apply concurrently, and record every outcome
    // (a rollback must know what did change even when a sibling failed).
    const results = await Promise.allSettled(
      phase.map(async (object): Promise<Change> => {
        if (p.secrets.includes(object)) {
          const created = await cluster.createIfAbsent(object);
          return { name: describeObject(object), action: created ? "generated" : "kept", live: created };
        }
        return applyObject(cluster, object, { force: options.forceConflicts ?? false });
      }),
    );
    for (const settled of results) {
      if (settled.status === "rejected") continue;
      changes.push(settled.value);
      options.onChange?.(settled.value);
    }
    const failure = results.find((r) => r.status === "rejected");
    if (failure) throw (failure as PromiseRejectedResult).reason;
    // Custom objects need their CRD served before the next phase can be applied.
    const crds = changes.filter((c) => c.live?.kind === "CustomResourceDefinition").map((c) => c.live!);
    if (crds.length) await crdsServed(cluster, crds, options.signal);
  }
  if (!namespacesDone) await afterNamespaces();
}

const CRD_TIMEOUT_MS = 60_000;

/** Established, and then in discovery (the API server publishes a new group a moment later). */
async function crdsServed(cluster: Cluster, crds: KubeObject[], signal?: AbortSignal): Promise<void> {
  const wait = await waitForReady(cluster, crds, { timeoutMs: CRD_TIMEOUT_MS, signal });
  if (signal?.aborted) throw new Interrupted();
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

/** Every object the failed release touched goes back: changed ones to their previous configuration,
 * created ones deleted — except data (PVCs, Secrets, Namespaces, CRDs), which is kept. */
async function rollBack(
  cluster: Cluster,
  changes: readonly Change[],
  options: DeployOptions,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Rollback> {
  const result: Rollback = {
    restored: [],
    removed: [],
    kept: [],
    failed: [],
    wait: { objects: [], ready: true, timedOut: false },
  };
  const touched = changes.filter((c) => c.live && ["configured", "created", "generated"].includes(c.action));
  const restoredObjects: KubeObject[] = [];
  const reverse = orderForDelete(touched.map((change) => ({ kind: change.live!.kind, change })));
  for (const { change } of reverse) {
    const live = change.live!;
    try {
      if (change.action === "configured" && change.before) {
        options.onRollback?.(`restoring ${change.name}`);
        restoredObjects.push(await cluster.apply(previousConfiguration(change.before), { force: true }));
        result.restored.push(change.name);
      } else if (change.action === "generated" || isData(refOf(live))) {
        result.kept.push(change.name);
      } else {
        options.onRollback?.(`removing ${change.name}`);
        await cluster.delete(live);
        result.removed.push(change.name);
      }
    } catch (error) {
      result.failed.push(`${change.name}: ${(error as Error).message}`);
    }
  }
  const waitable = restoredObjects.filter(needsWait);
  result.wait = await waitForReady(cluster, waitable, { timeoutMs, onProgress: options.onProgress, signal });
  return result;
}

/** Deploys `input` as `options.app`; see the header. A dry run, or a plan the user declines, changes nothing. */
export async function deploy(
  cluster: Cluster,
  input: readonly KubeObject[],
  options: DeployOptions,
): Promise<DeployResult> {
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  const p = await plan(cluster, input, options);
  options.onPlan?.(p);
  const result: DeployResult = {
    outcome: "ready",
    plan: p,
    changes: [],
    pruned: [],
    notReady: [],
    elapsedMs: 0,
  };
  const done = () => {
    result.elapsedMs = Date.now() - startedAt;
    return result;
  };
  if (options.dryRun) {
    result.outcome = "planned";
    return done();
  }
  // A conflict the plan found stops the deploy before anything is applied, not halfway through it.
  const conflicts = options.forceConflicts ? [] : p.steps.filter((s) => s.conflict);
  if (conflicts.length) {
    result.outcome = "apply-failed";
    result.error = conflicts.map((s) => new ApplyConflict(s.object, s.conflict!).message).join("; ");
    result.inputError = true;
    return done();
  }
  if (options.confirm && !(await options.confirm(p))) {
    result.outcome = "cancelled";
    return done();
  }

  const writeInventory = async (refs: ObjectRef[]) => {
    const ignored = p.ignored.map((i) => i.ref);
    try {
      await cluster.apply(inventoryObject(p.app, p.home, mergeRefs(refs, ignored)), { force: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new InputError(
          `namespace "${p.home}" does not exist: create it, or include its Namespace object`,
        );
      }
      throw error;
    }
  };

  try {
    // Record intent before the rest is applied (once its namespace exists), so an interrupted deploy
    // leaks nothing the next one cannot prune.
    await applyAll(cluster, p, options, result.changes, () =>
      writeInventory(mergeRefs(p.previous, p.current)),
    );
  } catch (error) {
    if (error instanceof Interrupted) result.outcome = "interrupted";
    else {
      if (error instanceof InputError && !result.changes.length) throw error;
      result.outcome = "apply-failed";
      result.error = error instanceof InputError ? error.oneLine() : (error as Error).message;
      result.inputError = error instanceof InputError || error instanceof ApplyConflict;
    }
  }

  if (result.outcome === "ready") {
    const waitable = result.changes.flatMap((c) => (c.live && needsWait(c.live) ? [c.live] : []));
    result.wait = await waitForReady(cluster, waitable, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      onProgress: options.onProgress,
      signal: options.signal,
    });
    if (options.signal?.aborted) result.outcome = "interrupted";
    else if (!result.wait.ready) {
      result.outcome = "not-ready";
      result.notReady = await explainNotReady(cluster, result.wait);
    }
  }
  if (result.outcome === "ready" && options.gate) {
    const refused = await options.gate();
    if (options.signal?.aborted) result.outcome = "interrupted";
    else if (refused) {
      result.outcome = "refused";
      result.refused = refused;
    }
  }

  const releaseObjects = p.objects.filter((o) => !isGeneratedSecret(o));
  if (result.outcome === "ready") {
    // Only a ready release replaces the old one: until then what left the input keeps serving.
    for (const ref of p.prune) {
      const metadata = ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
      if (!(await cluster.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata }))) continue;
      result.pruned.push(ref);
      options.onChange?.({ name: describeRef(ref), action: "pruned" });
    }
    // With --no-prune what left the input stays recorded, so a later deploy can still prune it.
    await writeInventory(
      options.prune === false ? mergeRefs(p.previous, p.current) : mergeRefs(p.current, p.keep),
    );
    result.release = await recordRelease(
      cluster,
      p.app,
      p.home,
      releaseObjects,
      "deployed",
      options.description ?? "deploy",
    );
    return done();
  }

  if (options.atomic) {
    // A second Ctrl-C quits at once (the CLI's handler); the first one must not cut the rollback short.
    result.rollback = await rollBack(cluster, result.changes, options, options.timeoutMs, undefined);
    const kept = result.changes
      .filter((c) => result.rollback!.kept.includes(c.name) && c.live)
      .map((c) => refOf(c.live!, c.action === "generated"));
    await writeInventory(mergeRefs(p.previous, kept)).catch(() => {});
    result.outcome = result.outcome === "interrupted" ? "interrupted" : "rolled-back";
    result.release = await recordRelease(
      cluster,
      p.app,
      p.home,
      releaseObjects,
      "rolled-back",
      options.description ?? "deploy",
    ).catch(() => undefined);
  } else {
    result.release = await recordRelease(
      cluster,
      p.app,
      p.home,
      releaseObjects,
      "failed",
      options.description ?? "deploy",
    ).catch(() => undefined);
  }
  return done();
}
