// Why is it not ready? Read the cluster's own evidence — pod conditions, container states, events,
// the last log lines of a crashing container — and say it in a few lines. Pure: the caller gathers
// the evidence (see evidence.ts), so every explanation is unit-tested on recorded objects.
import type {
  ContainerStateTerminated,
  ContainerStatus,
  Event,
  PersistentVolumeClaim,
  Pod,
} from "kubernetes-types/core/v1.js";

export interface Evidence {
  pods: readonly Pod[];
  /** Events about the workload, its ReplicaSets, its pods and its claims. */
  events: readonly Event[];
  pvcs?: readonly PersistentVolumeClaim[];
  /** Last log lines by "pod/container" (previous instance for a crashing container). */
  logs?: Readonly<Record<string, string>>;
}

export interface Explanation {
  /** e.g. "Unschedulable", "ImagePullBackOff", "CrashLoopBackOff", "ReadinessProbeFailing", "PVCPending". */
  reason: string;
  /** What the cluster said, verbatim where possible. */
  message: string;
  /** The objects it applies to, e.g. ["Pod web-7d9-abc", "Pod web-7d9-def"]. */
  subjects: string[];
  /** Supporting lines (log tail, events). */
  details: string[];
}

const IMAGE_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
/** Waiting reasons that are just a pod on its way up, not a problem. */
const TRANSIENT = new Set(["ContainerCreating", "PodInitializing"]);

function latestFirst(a: Event, b: Event): number {
  const time = (e: Event) =>
    Date.parse(String(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0)) || 0;
  return time(b) - time(a);
}

function eventsAbout(events: readonly Event[], kind: string, name: string): Event[] {
  return events
    .filter((e) => e.involvedObject?.kind === kind && e.involvedObject?.name === name)
    .sort(latestFirst);
}

function eventLine(e: Event): string {
  const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : "";
  return `${e.type ?? "Normal"} ${e.reason ?? ""}: ${e.message ?? ""}${count}`.trim();
}

function crashLoop(
  podName: string,
  status: ContainerStatus,
  last: ContainerStateTerminated | undefined,
  evidence: Evidence,
): Omit<Explanation, "subjects"> {
  const exit = last
    ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ""}`
    : "no previous exit recorded";
  const log = evidence.logs?.[`${podName}/${status.name}`]?.trimEnd();
  return {
    reason: "CrashLoopBackOff",
    message: `container ${status.name} keeps crashing: restarted ${status.restartCount} times, ${exit}`,
    details: log
      ? ["last log lines:", ...log.split("\n").map((line) => `  ${line}`)]
      : ["(no log lines available)"],
  };
}

function containerProblem(
  pod: Pod,
  status: ContainerStatus,
  evidence: Evidence,
): Omit<Explanation, "subjects"> | undefined {
  const waiting = status.state?.waiting;
  const podName = pod.metadata?.name ?? "";
  // Between two back-offs a kubelet reports the crashed run as terminated, often for many
  // seconds, before it says CrashLoopBackOff: a crash loop all the same.
  const crashed = status.restartCount > 0 ? status.state?.terminated : undefined;
  if (crashed) return crashLoop(podName, status, crashed, evidence);
  if (!waiting?.reason || TRANSIENT.has(waiting.reason)) return undefined;
  if (IMAGE_REASONS.has(waiting.reason)) {
    const pullEvent = eventsAbout(evidence.events, "Pod", podName).find(
      (e) => e.reason === "Failed" && /image/i.test(e.message ?? ""),
    );
    return {
      reason: waiting.reason,
      message: `container ${status.name} cannot pull image ${status.image}: ${waiting.message ?? pullEvent?.message ?? "no message"}`,
      details: [],
    };
  }
  if (waiting.reason === "CrashLoopBackOff") {
    return crashLoop(podName, status, status.lastState?.terminated, evidence);
  }
  return {
    reason: waiting.reason,
    message: `container ${status.name}: ${waiting.message ?? waiting.reason}`,
    details: [],
  };
}

function podProblems(pod: Pod, evidence: Evidence): Omit<Explanation, "subjects">[] {
  const conditions = pod.status?.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === "PodScheduled");
  if (scheduled?.status === "False") {
    return [
      {
        reason: scheduled.reason ?? "Unschedulable",
        message: scheduled.message ?? "not scheduled",
        details: [],
      },
    ];
  }
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const containerProblems = statuses.flatMap((s) => containerProblem(pod, s, evidence) ?? []);
  if (containerProblems.length) return containerProblems;
  const readyCondition = conditions.find((c) => c.type === "Ready");
  const allRunning = statuses.length > 0 && statuses.every((s) => s.state?.running);
  if (readyCondition?.status === "False" && allRunning) {
    const unhealthy = eventsAbout(evidence.events, "Pod", pod.metadata?.name ?? "").find(
      (e) => e.reason === "Unhealthy",
    );
    return [
      {
        reason: "ReadinessProbeFailing",
        message:
          unhealthy?.message ??
          `running but not Ready: ${readyCondition.message ?? "readiness probe not passing"}`,
        details: [],
      },
    ];
  }
  return [];
}

function pvcProblems(pvc: PersistentVolumeClaim, evidence: Evidence): Omit<Explanation, "subjects">[] {
  if (pvc.status?.phase !== "Pending") return [];
  const events = eventsAbout(evidence.events, "PersistentVolumeClaim", pvc.metadata?.name ?? "");
  const modes = (pvc.spec?.accessModes ?? []).join(",");
  const storageClass = pvc.spec?.storageClassName ?? "(default)";
  return [
    {
      reason: "PVCPending",
      message:
        events[0]?.message ??
        `Pending (storageClass ${storageClass}, ${modes}) and no events: is there a provisioner for it?`,
      details: [`storageClass ${storageClass}, accessModes ${modes}`, ...events.slice(0, 3).map(eventLine)],
    },
  ];
}

/** Warning events about controllers (ReplicaSet FailedCreate: quota, admission, missing ServiceAccount…). */
function controllerProblems(evidence: Evidence): Explanation[] {
  const controllers = new Set(["ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job"]);
  return evidence.events
    .filter((e) => e.type === "Warning" && controllers.has(e.involvedObject?.kind ?? ""))
    .sort(latestFirst)
    .map((e) => ({
      reason: e.reason ?? "Warning",
      message: e.message ?? "",
      subjects: [`${e.involvedObject.kind} ${e.involvedObject.name}`],
      details: [],
    }));
}

/** Explanations, one per distinct (reason, message), each naming every object it applies to. */
export function explain(evidence: Evidence): Explanation[] {
  const grouped = new Map<string, Explanation>();
  const add = (subject: string, problem: Omit<Explanation, "subjects">) => {
    const key = `${problem.reason}\n${problem.message}`;
    const existing = grouped.get(key);
    if (existing) existing.subjects.push(subject);
    else grouped.set(key, { ...problem, subjects: [subject] });
  };
  for (const pvc of evidence.pvcs ?? []) {
    for (const problem of pvcProblems(pvc, evidence))
      add(`PersistentVolumeClaim ${pvc.metadata?.name}`, problem);
  }
  for (const pod of evidence.pods) {
    for (const problem of podProblems(pod, evidence)) add(`Pod ${pod.metadata?.name}`, problem);
  }
  for (const problem of controllerProblems(evidence)) add(problem.subjects[0] ?? "", problem);
  return [...grouped.values()];
}

/** The lines a person reads: "Unschedulable (Pod a, Pod b): 0/3 nodes are available: …". */
export function formatExplanations(explanations: readonly Explanation[]): string[] {
  return explanations.flatMap((e) => [
    `${e.reason} (${e.subjects.join(", ")}): ${e.message}`,
    ...e.details.map((line) => `    ${line}`),
  ]);
}
