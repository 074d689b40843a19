// deploy --verify: a release applied while load runs against the app's URL, kept only when its SLO
// holds through the rollout and a settle period after it, else rolled back (deploy's atomic
// rollback). The load, the recording and the verdict are verify rollout's (Session, the "rollout"
// timeline, verdict()); only the trigger differs: the deploy itself instead of a restart annotation.
import type { Cluster } from "../cluster/client.ts";
import { type DeployOptions, type DeployResult, deploy } from "../cluster/deploy.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { checkSlo, type SloCheck, type SloThreshold, sloBroken } from "../load/slo.ts";
import { auditObjects } from "./audit.ts";
import { GATE_WAITS } from "./gate-defaults.ts";
import { deploymentUnderTest } from "./related.ts";
import { Session, type SessionOptions } from "./session.ts";
import type { Timeline } from "./timeline.ts";
import { DEFAULT_VERDICT, type Verdict, verdict } from "./verdict.ts";

export interface GateOptions {
  session: SessionOptions;
  slo: SloThreshold[];
  waits?: { warmupMs?: number; settleMs?: number };
  /** The Deployment whose pods serve the URL; default: the input's only Deployment. */
  deployment?: string;
  windowMs?: number;
  /** The judgement of a release that became ready, before it is kept or rolled back: for the CLI to
   * print it first. (One that never became ready is rolled back by deploy, which says why.) */
  onVerdict?: (judged: GateJudgement) => void;
}

export interface GateJudgement {
  timeline: Timeline;
  verdict: Verdict;
  slo: SloCheck[];
  /** Why the release is refused; undefined when it is kept. */
  refused?: string;
}

export interface GatedDeploy {
  /** Absent when interrupted in the warm-up, before anything was applied. */
  deploy?: DeployResult;
  judgement: GateJudgement;
}

/** Why a release that became ready under load is refused, or undefined to keep it: a run cut short
 * proves nothing (refused), a rollout the recorder never saw complete is refused, then the SLO decides.
 * Downtime within the SLO (one failed request in 10 000 against success>=99.9%) keeps it. */
export function refusal(timeline: Timeline, judged: Verdict, slo: readonly SloCheck[]): string | undefined {
  if (timeline.interrupted) return `the verification was cut short (${timeline.interrupted})`;
  if (!judged.goal.met) return judged.goal.summary;
  return sloBroken(slo);
}

/** The Deployment whose rollout the load watches: the one named, or the input's only one. */
export function servingDeployment(
  objects: readonly KubeObject[],
  named: string | undefined,
): { name: string; namespace?: string } {
  const deployments = objects.filter((o) => o.kind === "Deployment" && o.apiVersion === "apps/v1");
  const pick = named ? deployments.find((d) => d.metadata.name === named) : deployments[0];
  if (named && !pick)
    throw new InputError(`the input has no Deployment "${named}" to verify`, { field: "--verify-target" });
  if (!pick) throw new InputError("--verify watches a Deployment's rollout, and the input has none");
  if (!named && deployments.length > 1)
    throw new InputError(
      `the input has ${deployments.length} Deployments (${deployments.map((d) => d.metadata.name).join(", ")}): name the one --verify's URL reaches with --verify-target deploy/NAME`,
    );
  return {
    name: pick.metadata.name!,
    ...(pick.metadata.namespace ? { namespace: pick.metadata.namespace } : {}),
  };
}

/** A promise with its resolve handed out: the gate waits on the verdict the load's end gives. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Deploys `objects` under load (see the header); refuses before anything is applied when the
 * Deployment is not live yet or the URL fails every request of the warm-up. */
export async function gatedDeploy(
  cluster: Cluster,
  objects: readonly KubeObject[],
  deployOptions: DeployOptions,
  gate: GateOptions,
): Promise<GatedDeploy> {
  const warmupMs = gate.waits?.warmupMs ?? GATE_WAITS.warmupMs;
  const settleMs = gate.waits?.settleMs ?? GATE_WAITS.settleMs;
  const target = servingDeployment(objects, gate.deployment);
  const namespace = target.namespace ?? deployOptions.namespace ?? cluster.defaultNamespace;
  const before = await deploymentUnderTest(cluster, namespace, target.name).catch((error: unknown) => {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(
      "is not live: --verify rolls a change out to a running app and rolls it back to the one running now; deploy it once without --verify",
      { object: `Deployment ${namespace}/${target.name}` },
    );
  });
  const session = new Session(gate.session, before.scope);
  const ready = deferred<void>();
  const decision = deferred<string | undefined>();
  let deploying: Promise<DeployResult> | undefined;
  let objectsAfter: KubeObject[] | undefined;
  let gateReached = false;
  let timeline: Timeline;
  try {
    timeline = await session.conduct(
      { scenario: "rollout", subject: before.subject, objects: before.objects },
      async () => {
        await session.warmup(warmupMs);
        if (session.interrupted) return;
        session.recorder.phase("rollout-triggered", "deploy");
        session.log("applying the release under load");
        deploying = deploy(cluster, objects, {
          ...deployOptions,
          atomic: true,
          gate: () => {
            ready.resolve();
            return decision.promise;
          },
        });
        const reachedReady = await Promise.race([
          ready.promise.then(() => true),
          deploying.then(() => false),
        ]);
        if (!reachedReady) return;
        gateReached = true;
        session.recorder.phase("rollout-complete");
        session.log(`rollout complete; settling ${settleMs / 1000} s under load`);
        if (await session.wait(settleMs)) session.recorder.phase("settled");
        // The verdict audits the release under test, not the one it replaced.
        objectsAfter = (await deploymentUnderTest(cluster, namespace, target.name)).objects;
      },
    );
  } catch (error) {
    // Whatever stopped the run, a release the gate holds is refused, and rolled back before the error.
    decision.resolve(`the verification failed: ${(error as Error).message}`);
    await deploying?.catch(() => undefined);
    // The session names the URL as verify's --url; here it is --verify's.
    if (error instanceof InputError && error.place.field === "--url")
      throw new InputError(error.message, { ...error.place, field: "--verify" });
    throw error;
  }
  if (objectsAfter) timeline = { ...timeline, objects: objectsAfter };
  const judged = verdict(timeline, auditObjects(timeline.objects), {
    ...DEFAULT_VERDICT,
    windowMs: gate.windowMs ?? DEFAULT_VERDICT.windowMs,
  });
  const slo = checkSlo(gate.slo, timeline.load);
  const refused = refusal(timeline, judged, slo);
  const judgement: GateJudgement = { timeline, verdict: judged, slo, ...(refused ? { refused } : {}) };
  if (gateReached) gate.onVerdict?.(judgement);
  decision.resolve(refused);
  return { ...(deploying ? { deploy: await deploying } : {}), judgement };
}
