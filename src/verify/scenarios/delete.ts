// verify delete: load the service, delete one pod the way `kubectl delete pod` does (its own grace
// period), and wait until its controller has a replacement Ready — what losing a pod costs the users,
// e.g. the one MySQL pod behind a WordPress site. The pod's Services are watched, so the timeline
// shows when it left and rejoined the rotation and the verdict ties each failure to that gap.
import type { Pod } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { InputError } from "../../errors.ts";
import { describeObject, type KubeObject } from "../../k8s/object.ts";
import { matchesSelector } from "../../k8s/selector.ts";
import type { RecordScope } from "../cluster-recorder.ts";
import { liveObject, objectsOf, ownerWorkload, relatedTo } from "../related.ts";
import { type ScenarioWaits, type VerifyScenario, waitsOf } from "../scenario.ts";
import { Session, type SessionOptions } from "../session.ts";
import { parsePodRef } from "../target.ts";
import { phaseAt, seconds, type Timeline, timeout } from "../timeline.ts";

export interface DeleteOptions extends SessionOptions {
  namespace: string;
  pod: string;
  /** Load before the delete, for a baseline. */
  warmupMs?: number;
  /** Load after the replacement is Ready. */
  settleMs?: number;
  /** Give up waiting for the replacement after this long. */
  timeoutMs?: number;
}

const DEFAULTS: ScenarioWaits = { warmupMs: 2000, settleMs: 10_000, timeoutMs: 600_000 };

const isReady = (pod: Pod): boolean =>
  !pod.metadata?.deletionTimestamp &&
  (pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);

export async function verifyDelete(options: DeleteOptions): Promise<Timeline> {
  const { cluster, namespace, pod: name } = options;
  const { warmupMs, settleMs, timeoutMs } = waitsOf(DEFAULTS, options);
  const found = await cluster.get({ apiVersion: "v1", kind: "Pod", metadata: { namespace, name } });
  if (!found) throw new InputError("not found", { object: `Pod ${namespace}/${name}` });
  const pod = liveObject(found, "v1", "Pod") as Pod;
  const owner = await ownerWorkload(cluster, pod);
  // Deleting a pod nothing recreates is a loss, not a disruption to measure.
  if (!owner)
    throw new InputError("no controller owns it, so nothing would replace it: nothing deleted", {
      object: `Pod ${namespace}/${name}`,
    });
  const selector = (owner.spec as { selector?: LabelSelector } | undefined)?.selector;
  const labels = pod.metadata?.labels ?? {};
  const related = await relatedTo(
    cluster,
    namespace,
    { kind: owner.kind, name: owner.metadata.name! },
    labels,
  );
  const scope: RecordScope = {
    namespaces: [namespace],
    pods: (p) => matchesSelector(selector, p.metadata?.labels),
    services: related.services.map((s) => `${namespace}/${s.metadata?.name}`),
  };
  if (owner.kind === "Deployment") scope.deployment = owner.metadata.name!;
  // The load is aimed at the app that uses the pod (WordPress for its MySQL), so it is traced to any
  // of the namespace's pods, not only the deleted one's siblings.
  const [pods, services] = await Promise.all(
    ["Pod", "Service"].map(async (kind) => (await cluster.list("v1", kind, namespace)).items),
  );
  scope.reach = {
    pods: pods as Pod[],
    services: services!.map((s) => `${namespace}/${s.metadata?.name}`),
    what: `the workloads of namespace ${namespace}`,
  };
  const subject = `Pod ${namespace}/${name} (of ${describeObject(owner)})`;
  const session = new Session(options, scope);
  const what = { scenario: "delete" as const, subject, objects: objectsOf(owner, related) };
  return session.conduct(what, async () => {
    await session.warmup(warmupMs);
    if (session.interrupted) return;
    // The pod's siblings (a ReplicaSet's others) are Ready all along: the replacement is a pod that
    // was not there when the delete went out.
    const before = new Set([...session.recorder.pods.values()].map((p) => p.metadata?.uid));
    before.add(pod.metadata?.uid);
    // The delete honours the pod's terminationGracePeriodSeconds and preStop, as kubectl's does.
    await cluster.delete({ apiVersion: "v1", kind: "Pod", metadata: { namespace, name } });
    session.recorder.phase("pod-deleted", name);
    session.log(`pod ${name} deleted; waiting for ${describeObject(owner)} to have a replacement Ready`);
    const fresh = () =>
      [...session.recorder.pods.values()].find((p) => !before.has(p.metadata?.uid) && isReady(p));
    if (await session.until(() => fresh() !== undefined, timeoutMs)) {
      session.recorder.phase("pod-replaced", fresh()?.metadata?.name);
      session.log(`replacement ${fresh()?.metadata?.name} Ready; settling ${settleMs / 1000} s under load`);
      if (await session.wait(settleMs)) session.recorder.phase("settled");
    } else if (!session.interrupted) {
      const why = await session.whyNotReady(owner as KubeObject);
      session.recorder.phase("timed-out", why ? `no replacement Ready: ${why}` : "no replacement Ready");
    }
  });
}

export const deleteScenario = {
  name: "delete",
  target: { usage: "pod/NAME", missing: "name the pod to delete (pod/NAME)", parse: parsePodRef },
  summary: `deletes the pod as \`kubectl delete pod\` does (grace period and preStop honoured), then
waits until its controller has a replacement Ready: what losing it costs (the one database pod…)`,
  defaults: DEFAULTS,
  options: {},
  run: ({ session, waits, namespace, target }) =>
    verifyDelete({ ...session, ...waits, namespace: namespace.effective, pod: target }),
  goal(timeline) {
    const { at: timedOut, why } = timeout(timeline);
    const deleted = phaseAt(timeline, "pod-deleted");
    const replaced = phaseAt(timeline, "pod-replaced");
    if (deleted === undefined) return { met: false, summary: "the pod was not deleted" };
    if (replaced === undefined)
      return {
        met: false,
        summary: timedOut ? `no replacement was Ready before the timeout${why}` : "no replacement was Ready",
      };
    return {
      met: true,
      summary: `pod deleted; its replacement was Ready ${seconds(replaced - deleted)} later`,
    };
  },
  goalRules: [],
} as const satisfies VerifyScenario<"delete">;
