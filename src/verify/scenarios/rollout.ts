// verify rollout: load the service, restart the Deployment's pods the way `kubectl rollout restart`
// does (a pod-template annotation), watch the rollout to completion, keep loading a settle period,
// and hand back the timeline.
import type { Deployment } from "kubernetes-types/apps/v1.js";
import { deploymentReadiness } from "../../cluster/readiness.ts";
import type { KubeObject } from "../../k8s/object.ts";
import { deploymentUnderTest, liveObject } from "../related.ts";
import { type ScenarioWaits, type VerifyScenario, waitsOf } from "../scenario.ts";
import { Session, type SessionOptions } from "../session.ts";
import { parseDeploymentRef } from "../target.ts";
import { phaseAt, seconds, type Timeline, timeout } from "../timeline.ts";

export interface RolloutOptions extends SessionOptions {
  namespace: string;
  deployment: string;
  /** Load before triggering, so the chart shows a baseline. */
  warmupMs?: number;
  /** Load after the rollout completes: terminating pods finish their grace period meanwhile. */
  settleMs?: number;
  /** Give up waiting for the rollout after this long. */
  timeoutMs?: number;
}

const DEFAULTS: ScenarioWaits = { warmupMs: 2000, settleMs: 10_000, timeoutMs: 600_000 };

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

export async function verifyRollout(options: RolloutOptions): Promise<Timeline> {
  const { cluster, namespace, deployment: name } = options;
  const { warmupMs, settleMs, timeoutMs } = waitsOf(DEFAULTS, options);
  const { scope, subject, objects } = await deploymentUnderTest(cluster, namespace, name);
  const session = new Session(options, scope);
  return session.conduct({ scenario: "rollout", subject, objects }, async () => {
    await session.warmup(warmupMs);
    if (session.interrupted) return;
    const patched = await cluster.request<Deployment>(
      "PATCH",
      `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      {
        body: {
          spec: { template: { metadata: { annotations: { [RESTARTED_AT]: new Date().toISOString() } } } },
        },
        contentType: "application/strategic-merge-patch+json",
      },
    );
    const generation = patched.metadata?.generation ?? 0;
    session.recorder.phase("rollout-triggered", `generation ${generation}`);
    session.log(`rollout triggered (generation ${generation}); waiting for it to complete`);
    const complete = () => {
      const live = session.recorder.deployment;
      return (
        (live?.status?.observedGeneration ?? 0) >= generation &&
        !!live &&
        deploymentReadiness(live).state === "ready"
      );
    };
    if (await session.until(complete, timeoutMs)) {
      session.recorder.phase("rollout-complete");
      session.log(`rollout complete; settling ${settleMs / 1000} s under load`);
      if (await session.wait(settleMs)) session.recorder.phase("settled");
    } else if (!session.interrupted) {
      const live = session.recorder.deployment;
      const why = live
        ? await session.whyNotReady(liveObject(live, "apps/v1", "Deployment") as KubeObject)
        : "";
      const state = live ? deploymentReadiness(live).detail : "deployment gone";
      session.recorder.phase("timed-out", why ? `${state}: ${why}` : state);
    }
  });
}

export const rolloutScenario = {
  name: "rollout",
  target: { usage: "deploy/NAME", missing: "name the Deployment (deploy/NAME)", parse: parseDeploymentRef },
  summary: "restarts the Deployment's pods like `kubectl rollout restart` and waits until it completes",
  defaults: DEFAULTS,
  options: {},
  run: ({ session, waits, namespace, target }) =>
    verifyRollout({ ...session, ...waits, namespace: namespace.effective, deployment: target }),
  goal(timeline) {
    const { at: timedOut, why } = timeout(timeline);
    const triggered = phaseAt(timeline, "rollout-triggered");
    const complete = phaseAt(timeline, "rollout-complete");
    if (complete === undefined || triggered === undefined)
      return {
        met: false,
        summary: timedOut ? `rollout did not complete before the timeout${why}` : "rollout did not complete",
      };
    return { met: timedOut === undefined, summary: `rollout completed in ${seconds(complete - triggered)}` };
  },
  goalRules: ["rolling-update-unsafe"],
} as const satisfies VerifyScenario<"rollout">;
