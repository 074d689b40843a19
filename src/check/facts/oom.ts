// The oom_score_adj the kubelet gives a container (pkg/kubelet/qos/policy.go, default feature gates):
// Guaranteed and node-critical pods -997, BestEffort 1000, Burstable by how much of the node's memory the
// container requests — a container requesting 10% of the node gets 900. Sidecars (restartable init
// containers) never score above the regular container with the smallest request, so the kernel kills the
// app before its sidecar. Pod-level memory requests not handed to containers are shared out equally.
import type { Container } from "kubernetes-types/core/v1.js";
import { tryParseQuantity } from "../../k8s/quantity.ts";
import { listOf } from "../shape.ts";
import { defaultedRequests, type PodSpecWithResources, qosClass } from "./qos.ts";

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BEST_EFFORT_OOM_SCORE_ADJ = 1000;

/** A memory request in whole bytes, rounded up as resource.Quantity.Value() does; 0 when unset. */
function memoryBytes(list: Record<string, unknown> | undefined): bigint {
  const value = tryParseQuantity(list?.memory as string | number | undefined);
  return value !== undefined && value > 0 ? BigInt(Math.ceil(value)) : 0n;
}

const containerMemoryRequest = (container: Container) => memoryBytes(defaultedRequests(container.resources));

const isSidecar = (container: Container) => container.restartPolicy === "Always";

/** Regular and init containers; input is unvalidated, so entries that are not objects read as empty. */
function podContainers(spec: PodSpecWithResources): { regular: Container[]; inits: Container[] } {
  return { regular: listOf<Container>(spec.containers), inits: listOf<Container>(spec.initContainers) };
}

/** The pod's effective memory request from its containers (component-helpers AggregateContainerRequests):
 * the larger of the steady state (regular containers + sidecars) and the peak while each init container
 * runs beside the sidecars started before it. */
function aggregateContainerMemoryRequest(spec: PodSpecWithResources): bigint {
  const { regular, inits } = podContainers(spec);
  let steady = regular.reduce((sum, c) => sum + containerMemoryRequest(c), 0n);
  let sidecars = 0n;
  let initPeak = 0n;
  for (const init of inits) {
    const request = containerMemoryRequest(init);
    let running: bigint;
    if (isSidecar(init)) {
      steady += request;
      sidecars += request;
      running = sidecars;
    } else {
      running = request + sidecars;
    }
    if (running > initPeak) initPeak = running;
  }
  return steady > initPeak ? steady : initPeak;
}

/** Bytes of a pod-level memory request that no container requested, per container (0 without one). */
function unallocatedPodMemoryPerContainer(spec: PodSpecWithResources): bigint {
  const podRequest = memoryBytes(defaultedRequests(spec.resources));
  if (podRequest === 0n) return 0n;
  const { regular, inits } = podContainers(spec);
  const count = BigInt(regular.length + inits.length);
  // BigInt division truncates toward zero, like Go's int64 division.
  return (podRequest - aggregateContainerMemoryRequest(spec)) / count;
}

/** The oom_score_adj of container `containerName` on a node with `memoryCapacity` bytes of memory. */
export function oomScoreAdj(
  spec: PodSpecWithResources,
  containerName: string,
  memoryCapacity: number,
): number {
  if (spec.priorityClassName === "system-node-critical") return GUARANTEED_OOM_SCORE_ADJ;
  const qos = qosClass(spec);
  if (qos === "Guaranteed") return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === "BestEffort") return BEST_EFFORT_OOM_SCORE_ADJ;

  const { regular, inits } = podContainers(spec);
  const all = [...regular, ...inits];
  const container = all.find((c) => c.name === containerName);
  if (!container) throw new RangeError(`no container named "${containerName}" in the pod`);
  const capacity = BigInt(Math.floor(memoryCapacity));
  const podLevel = Object.keys(defaultedRequests(spec.resources)).length > 0;
  const extra = podLevel ? unallocatedPodMemoryPerContainer(spec) : 0n;
  const adjFor = (request: bigint) => 1000n - (1000n * (request + extra)) / capacity;

  let adj = adjFor(containerMemoryRequest(container));
  const isInit = inits.includes(container);
  if (isInit && isSidecar(container) && regular.length > 0) {
    // The regular container with the smallest request scores highest (BigInt has no Math.max).
    let regularAdj = adjFor(containerMemoryRequest(regular[0]!));
    for (const other of regular) {
      const candidate = adjFor(containerMemoryRequest(other));
      if (candidate > regularAdj) regularAdj = candidate;
    }
    if (adj > regularAdj) adj = regularAdj;
  }
  // Burstable stays strictly between Guaranteed and BestEffort.
  if (adj < BigInt(1000 + GUARANTEED_OOM_SCORE_ADJ)) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BigInt(BEST_EFFORT_OOM_SCORE_ADJ)) return BEST_EFFORT_OOM_SCORE_ADJ - 1;
  return Number(adj);
}
