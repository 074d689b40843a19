// verify autoscale: load the service until its HorizontalPodAutoscaler scales the Deployment up,
// recording replicas (and the HPA's CPU reading) over time; keep loading a settle period so further
// steps show; optionally stop the load and wait, bounded, for the scale-down.
import { InputError } from "../../errors.ts";
import { deploymentUnderTest } from "../related.ts";
import { type ScenarioWaits, type VerifyScenario, waitsOf } from "../scenario.ts";
import { Session, type SessionOptions } from "../session.ts";
import { parseDeploymentRef } from "../target.ts";
import { phaseAt, seconds, type Timeline, timeout } from "../timeline.ts";

export interface AutoscaleOptions extends SessionOptions {
  namespace: string;
  deployment: string;
  /** Load this long before watching for the scale-up, to check the URL answers. */
  warmupMs?: number;
  /** Keep loading this long after the first scale-up, to see further steps. */
  settleMs?: number;
  /** Give up waiting for a scale-up (and for the scale-down) after this long. */
  timeoutMs?: number;
  waitScaleDown?: boolean;
}

const DEFAULTS: ScenarioWaits = { warmupMs: 2000, settleMs: 15_000, timeoutMs: 600_000 };

export async function verifyAutoscale(options: AutoscaleOptions): Promise<Timeline> {
  const { cluster, namespace, deployment: name } = options;
  const { warmupMs, settleMs, timeoutMs } = waitsOf(DEFAULTS, options);
  const { related, scope, subject, objects } = await deploymentUnderTest(cluster, namespace, name);
  if (!related.hpa) {
    throw new InputError("no HorizontalPodAutoscaler targets it: nothing would scale", { object: subject });
  }
  const hpaName = related.hpa.metadata?.name;
  const session = new Session(options, scope);
  const desired = () => session.recorder.deployment?.spec?.replicas ?? 1;
  const what = { scenario: "autoscale" as const, subject, objects };
  return session.conduct(what, async () => {
    const initial = desired();
    await session.warmup(warmupMs);
    const spec = related.hpa?.spec;
    const cpu = spec?.metrics?.find((m) => m.resource?.name === "cpu")?.resource?.target.averageUtilization;
    const stabilisation = spec?.behavior?.scaleDown?.stabilizationWindowSeconds;
    session.log(
      `HPA ${hpaName}: ${initial} replicas now, between ${spec?.minReplicas ?? 1} and ${spec?.maxReplicas}${cpu === undefined ? "" : `, target ${cpu} % CPU`}${stabilisation === undefined ? "" : `, scale-down window ${stabilisation} s`}; loading until it scales`,
    );
    if (!(await session.until(() => desired() > initial, timeoutMs))) {
      if (!session.interrupted) {
        const hpa = session.recorder.hpa;
        const able = hpa?.status?.conditions?.find((c) => c.status === "False");
        const why = able ? `; HPA ${able.type} is False: ${able.reason}: ${able.message}` : "";
        session.recorder.phase("timed-out", `still ${desired()} replicas${why}`);
      }
      return;
    }
    session.recorder.phase("scaled-up", `${initial} → ${desired()}`);
    session.log(`scaled up: ${initial} → ${desired()} replicas; loading ${settleMs / 1000} s more`);
    if (!(await session.wait(settleMs))) return;
    session.recorder.phase("settled", `${desired()} replicas`);
    if (!options.waitScaleDown) return;
    session.stopLoad();
    // The HPA holds the highest recommendation of this window before it scales down (API default 300 s).
    const window = session.recorder.hpa?.spec?.behavior?.scaleDown?.stabilizationWindowSeconds ?? 300;
    const note = `the HPA stabilises scale-down over ${window} s`;
    session.log(
      `load stopped; waiting up to ${timeoutMs / 1000} s for the scale-down to ${initial} (${note})`,
    );
    if (timeoutMs < window * 1000)
      session.log(`warning: --timeout is shorter than that: the scale-down cannot be seen`);
    if (await session.until(() => desired() <= initial, timeoutMs)) {
      session.recorder.phase("scaled-down", `→ ${desired()}`);
    } else if (!session.interrupted) {
      session.recorder.phase("timed-out", `still ${desired()} replicas; ${note}`);
    }
  });
}

export const autoscaleScenario = {
  name: "autoscale",
  target: { usage: "deploy/NAME", missing: "name the Deployment (deploy/NAME)", parse: parseDeploymentRef },
  summary: `waits until the Deployment's HorizontalPodAutoscaler scales it up, recording replicas
over time (and, with --wait-scale-down, the scale-down once the load stops)`,
  defaults: DEFAULTS,
  options: {
    "wait-scale-down": {
      type: "boolean",
      help: "after scaling up, stop the load and wait for the scale-down",
    },
  },
  run: ({ session, waits, namespace, target, options }) =>
    verifyAutoscale({
      ...session,
      ...waits,
      namespace: namespace.effective,
      deployment: target,
      waitScaleDown: options["wait-scale-down"] ?? false,
    }),
  goal(timeline) {
    const { at: timedOut, why } = timeout(timeline);
    const since = (t: number) => seconds(t - timeline.startedAt);
    const replicas = timeline.events.filter((e) => e.kind === "replicas");
    const first = replicas[0];
    if (!first) return { met: false, summary: "no replica counts observed" };
    const peak = replicas.reduce((a, b) => (b.desired > a.desired ? b : a));
    const up = phaseAt(timeline, "scaled-up");
    const down = phaseAt(timeline, "scaled-down");
    if (peak.desired <= first.desired)
      return { met: false, summary: `did not scale: stayed at ${first.desired} replicas${why}` };
    const parts = [`scaled ${first.desired} → ${peak.desired} replicas in ${since(peak.t)}`];
    if (up !== undefined) parts.push(`scale-up seen at ${since(up)}`);
    if (down !== undefined) parts.push(`scaled back down at ${since(down)}`);
    else if (timedOut !== undefined) parts.push(`did not scale down before the timeout${why}`);
    return { met: timedOut === undefined, summary: parts.join("; ") };
  },
  goalRules: ["hpa-without-requests"],
} as const satisfies VerifyScenario<"autoscale">;
