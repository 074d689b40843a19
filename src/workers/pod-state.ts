// What a worker pod is doing, in the cluster's own words: for the progress lines while the Job starts,
// and for the result when a worker died or never started.
import type { KubeObject } from "../k8s/object.ts";
import { WORKER_CONTAINER } from "./job.ts";

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

interface PodShape {
  status?: {
    phase?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerStatuses?: { name: string; state?: ContainerState }[];
  };
}

function containerState(pod: KubeObject): ContainerState | undefined {
  return (pod as PodShape).status?.containerStatuses?.find((c) => c.name === WORKER_CONTAINER)?.state;
}

/** The worker's container has started (its log can be read). */
export function hasStarted(pod: KubeObject): boolean {
  const state = containerState(pod);
  return state?.running !== undefined || state?.terminated !== undefined;
}

export function hasTerminated(pod: KubeObject): boolean {
  return containerState(pod)?.terminated !== undefined;
}

/** "Running", "Pending (Unschedulable: 0/4 nodes are available…)", "ErrImageNeverPull: …", "Error, exit code 137". */
export function podStory(pod: KubeObject): string {
  const state = containerState(pod);
  if (state?.terminated) {
    const t = state.terminated;
    return `${t.reason ?? "terminated"}, exit code ${t.exitCode ?? "?"}${t.message ? `: ${t.message}` : ""}`;
  }
  if (state?.running) return "Running";
  if (state?.waiting) {
    const w = state.waiting;
    return `${w.reason ?? "Waiting"}${w.message ? `: ${w.message}` : ""}`;
  }
  const status = (pod as PodShape).status;
  const unscheduled = status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False");
  if (unscheduled) return `Pending (${unscheduled.reason ?? "not scheduled"}: ${unscheduled.message ?? ""})`;
  return status?.phase ?? "Pending";
}
