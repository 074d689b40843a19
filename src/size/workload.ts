// The workload a size run measures: "deploy/NAME" or "sts/NAME" (kubectl's spellings), read live,
// with its pods (by the workload's own selector) and what each container runs with now.
import type { Cluster } from "../cluster/client.ts";
import { InputError } from "../errors.ts";
import { tryParseQuantity } from "../k8s/quantity.ts";
import type { ContainerSize } from "./result.ts";

const KINDS: Record<string, { kind: string; plural: string }> = {
  deploy: { kind: "Deployment", plural: "deployments" },
  deployment: { kind: "Deployment", plural: "deployments" },
  deployments: { kind: "Deployment", plural: "deployments" },
  sts: { kind: "StatefulSet", plural: "statefulsets" },
  statefulset: { kind: "StatefulSet", plural: "statefulsets" },
  statefulsets: { kind: "StatefulSet", plural: "statefulsets" },
};

export interface WorkloadRef {
  kind: string;
  plural: string;
  namespace: string;
  name: string;
}

export function parseWorkloadRef(text: string | undefined, namespace: string): WorkloadRef {
  if (!text) throw new InputError("name the workload, e.g. deploy/wordpress");
  const slash = text.indexOf("/");
  const spelled =
    slash < 0
      ? "deploy"
      : text
          .slice(0, slash)
          .toLowerCase()
          .replace(/\.apps$/, "");
  const name = slash < 0 ? text : text.slice(slash + 1);
  const kind = Object.hasOwn(KINDS, spelled) ? KINDS[spelled] : undefined;
  if (!kind)
    throw new InputError(`"${text}": size measures a Deployment or a StatefulSet (deploy/NAME, sts/NAME)`);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    throw new InputError(`"${name}" is not a valid object name`);
  return { ...kind, namespace, name };
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A LabelSelector as the `labelSelector` query the API server takes. */
export function selectorQuery(selector: Selector): string {
  const terms = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") terms.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") terms.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") terms.push(e.key);
    else if (e.operator === "DoesNotExist") terms.push(`!${e.key}`);
  }
  return terms.join(",");
}

interface ContainerSpec {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface LivePod {
  name: string;
  node?: string;
  ready: boolean;
  /** Container name → the OOM kill it last reported (its finishedAt, ms). */
  lastOom: Map<string, number>;
}

export interface Workload {
  ref: WorkloadRef;
  selector: string;
  containers: string[];
  current: Map<string, { requests: ContainerSize; limits: ContainerSize }>;
}

function size(list: Record<string, string> | undefined): ContainerSize {
  const cpu = tryParseQuantity(list?.cpu);
  const memory = tryParseQuantity(list?.memory);
  return { ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) };
}

export async function readWorkload(cluster: Cluster, ref: WorkloadRef): Promise<Workload> {
  const path = `/apis/apps/v1/namespaces/${ref.namespace}/${ref.plural}/${ref.name}`;
  const object = await cluster.request<
    { spec?: { selector?: Selector; template?: { spec?: { containers?: ContainerSpec[] } } } } | undefined
  >("GET", path, { allowMissing: true });
  if (!object) throw new InputError(`no ${ref.kind} ${ref.namespace}/${ref.name}`);
  const containers = object.spec?.template?.spec?.containers ?? [];
  return {
    ref,
    selector: selectorQuery(object.spec?.selector ?? {}),
    containers: containers.map((c) => c.name),
    current: new Map(
      containers.map((c) => [
        c.name,
        { requests: size(c.resources?.requests), limits: size(c.resources?.limits) },
      ]),
    ),
  };
}

interface PodJson {
  metadata?: { name?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: {
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      lastState?: { terminated?: { reason?: string; finishedAt?: string } };
    }[];
  };
}

export async function listPods(cluster: Cluster, workload: Workload): Promise<LivePod[]> {
  const list = await cluster.request<{ items: PodJson[] }>(
    "GET",
    `/api/v1/namespaces/${workload.ref.namespace}/pods`,
    {
      query: { labelSelector: workload.selector },
    },
  );
  return list.items
    .filter((p) => p.metadata?.name && !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata!.name!,
      ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
      ready: p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false,
      lastOom: new Map(
        (p.status?.containerStatuses ?? [])
          .filter((s) => s.lastState?.terminated?.reason === "OOMKilled" && s.lastState.terminated.finishedAt)
          .map((s) => [s.name, Date.parse(s.lastState!.terminated!.finishedAt!)]),
      ),
    }));
}
