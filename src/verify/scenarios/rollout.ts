// verify rollout: load the service, restart the Deployment's pods the way `kubectl rollout restart`
// does (a pod-template annotation), watch the rollout to completion, keep loading a settle period,
// and hand back the timeline.
import type { Deployment } from "kubernetes-types/apps/v1.js";
import { deploymentReadiness } from "../cluster/readiness.ts";
import type { KubeObject } from "../k8s/object.ts";
import { deploymentUnderTest, liveObject } from "./related.ts";
import { Session, type SessionOptions } from "./session.ts";
import type { Timeline } from "./timeline.ts";

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

export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

export async function verifyRollout(options: RolloutOptions): Promise<Timeline> {
  const {
    cluster,
    namespace,
    deployment: name,
    warmupMs = 2000,
    settleMs = 10_000,
    timeoutMs = 600_000,
  } = options;
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
