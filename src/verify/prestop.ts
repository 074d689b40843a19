// The preStop hook the live workloads of the failing pods have, so a failure after SIGTERM is never
// answered with "add a preStop" when one is there. A drain's subject is a node, so the workload is
// found per pod — from the owner its pod events name — and only then from the verified subject.
import type { PodSpec } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import type { Timeline } from "./timeline.ts";

export interface LivePreStop {
  /** "preStop sleep 20 s", "preStop exec", "preStop httpGet". */
  hook: string;
  /** The sleep's length, for a sleep hook. */
  sleepSeconds?: number;
  graceSeconds?: number;
}

function podSpecOf(workload: KubeObject | undefined): PodSpec | undefined {
  return (workload?.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
}

function preStopIn(spec: PodSpec | undefined): LivePreStop | undefined {
  for (const container of spec?.containers ?? []) {
    const hook = container.lifecycle?.preStop;
    if (!hook) continue;
    const kind = hook.sleep
      ? `preStop sleep ${hook.sleep.seconds} s`
      : hook.exec
        ? "preStop exec"
        : "preStop httpGet";
    return {
      hook: kind,
      ...(hook.sleep && { sleepSeconds: hook.sleep.seconds }),
      ...(spec?.terminationGracePeriodSeconds !== undefined && {
        graceSeconds: spec.terminationGracePeriodSeconds,
      }),
    };
  }
  return undefined;
}

/** The workload owning a pod whose events name its controller: a Deployment's ReplicaSet is
 * `<deployment>-<hash>`, a StatefulSet or ReplicaSet owns it by name. */
function ownerOf(timeline: Timeline, pod: string): KubeObject | undefined {
  const owner = timeline.events.find((e) => e.kind === "pod" && e.pod === pod && e.owner);
  const name = owner?.kind === "pod" ? owner.owner : undefined;
  if (!name) return undefined;
  return timeline.objects.find(
    (o) =>
      o.metadata.name === name ||
      (o.kind === "Deployment" &&
        new RegExp(`^${(o.metadata.name ?? "").replaceAll(".", "\\.")}-[a-z0-9]+$`).test(name)),
  );
}

/** The preStop every one of `pods`' workloads has (the first one's), or undefined when any of them
 * lacks one; pods whose workload is not known are judged by the verified subject. */
export function preStopOfPods(timeline: Timeline, pods: readonly string[]): LivePreStop | undefined {
  const subject = timeline.objects.find(
    (o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` === timeline.subject,
  );
  const hooks = (pods.length ? pods : [""]).map((pod) =>
    preStopIn(podSpecOf(ownerOf(timeline, pod) ?? subject)),
  );
  return hooks.every((h) => h !== undefined) ? hooks[0] : undefined;
}

/** When `failures` came after the latest Terminating of `pods` before each (watch slack allowed). */
export function sigtermTiming(
  timeline: Timeline,
  pods: readonly string[],
  failures: ReadonlyArray<{ t: number }>,
  slackMs: number,
): { fromMs: number; toMs: number } | undefined {
  const terminating = timeline.events.flatMap((e) =>
    e.kind === "pod" && e.change === "terminating" && pods.includes(e.pod) ? [e.t] : [],
  );
  const lags = failures.flatMap((f) => {
    const at = terminating.filter((t) => t <= f.t + slackMs).sort((a, b) => b - a)[0];
    return at === undefined ? [] : [Math.max(0, f.t - at)];
  });
  return lags.length ? { fromMs: Math.min(...lags), toMs: Math.max(...lags) } : undefined;
}
