// The preStop hook each failing pod has, so a failure after SIGTERM is never answered with "add a
// preStop" when one is there. A pod is judged by its own spec, recorded when the recorder first saw it:
// a rollout's old pods keep the template they were made from, whatever the workload's says by the end.
// Older recordings have no pod specs; their pods are judged by their workload's template — found per
// pod from the owner its pod events name (a drain's subject is a node), else the verified subject.
import type { PodSpec } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../k8s/object.ts";
import type { PodStop, Timeline } from "./timeline.ts";

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

/** What the verdict needs of a pod's spec: its preStop hooks and grace period (the rest is bulk). */
export function podStopOf(spec: PodSpec | undefined): PodStop {
  const stop: PodStop = {
    containers: (spec?.containers ?? []).map((c) => {
      const preStop = c.lifecycle?.preStop;
      return preStop ? { name: c.name, lifecycle: { preStop } } : { name: c.name };
    }),
  };
  if (spec?.terminationGracePeriodSeconds !== undefined)
    stop.terminationGracePeriodSeconds = spec.terminationGracePeriodSeconds;
  return stop;
}

function preStopIn(spec: PodStop | undefined): LivePreStop | undefined {
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

/** Failing pods that stop alike: the preStop their own specs have (none when undefined), and the one
 * their workload's template has now, when it differs (a rollout that adds a preStop still replaces
 * pods made without it). */
export interface PreStopGroup {
  pods: string[];
  preStop?: LivePreStop;
  templatePreStop?: LivePreStop;
}

/** `pods` grouped by how their own specs stop them, in the order the pods come. */
export function podsByPreStop(timeline: Timeline, pods: readonly string[]): PreStopGroup[] {
  const subject = timeline.objects.find(
    (o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}` === timeline.subject,
  );
  const groups = new Map<string, PreStopGroup>();
  for (const pod of pods) {
    const template = podSpecOf(ownerOf(timeline, pod) ?? subject);
    const recorded = timeline.podStops?.[pod];
    const now = preStopIn(template);
    const preStop = recorded ? preStopIn(recorded) : now;
    const templatePreStop = !preStop && now ? now : undefined;
    const key = JSON.stringify([preStop, templatePreStop]);
    const group = groups.get(key) ?? {
      pods: [],
      ...(preStop && { preStop }),
      ...(templatePreStop && { templatePreStop }),
    };
    group.pods.push(pod);
    groups.set(key, group);
  }
  return [...groups.values()];
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
