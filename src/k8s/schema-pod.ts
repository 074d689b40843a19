// A pod spec as the apiserver validates it in code (ValidatePodSpec and what it calls), wherever it appears:
// a Pod, or a workload's pod template. Only what apply would refuse — warnings are not here.
import { tryParseQuantity } from "./quantity.ts";
import { dns1123Label, portName, qualifiedName } from "./schema-names.ts";
import {
  type At,
  eachObject,
  items,
  labelSelector,
  nonNegative,
  num,
  obj,
  oneOf,
  portNumber,
  positive,
  requiredOneOf,
  str,
  type Violations,
} from "./schema-values.ts";

/**
 * The restart policies a pod may have where it lives: a bare Pod any; a Deployment, ReplicaSet, DaemonSet,
 * StatefulSet or ReplicationController only Always (the default); a Job or CronJob only OnFailure or Never,
 * and since the pod default is Always, a Job must say which.
 */
export type RestartRule = "any" | "always" | "job";

const RESTART_POLICIES = ["Always", "OnFailure", "Never"] as const;
const JOB_RESTART_POLICIES = ["OnFailure", "Never"] as const;
const PULL_POLICIES = ["Always", "IfNotPresent", "Never"] as const;
export const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"] as const;
const WHEN_UNSATISFIABLE = ["DoNotSchedule", "ScheduleAnyway"] as const;
const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const PROBE_COUNTS = [
  "initialDelaySeconds",
  "timeoutSeconds",
  "periodSeconds",
  "successThreshold",
  "failureThreshold",
  "terminationGracePeriodSeconds",
] as const;

export interface PodContext {
  /** How the owning kind restricts restartPolicy. */
  restart: RestartRule;
  /** The owning kind, for messages ("in a Deployment"). */
  kind: string;
  /** Volume names the pod gets from elsewhere (a StatefulSet's volumeClaimTemplates). */
  extraVolumes?: readonly string[];
}

export function validatePodSpec(out: Violations, at: At, value: unknown, context: PodContext): void {
  const spec = obj(value);
  if (!spec) return;
  restartPolicy(out, [...at, "restartPolicy"], spec.restartPolicy, context);
  if (context.restart === "always" && spec.activeDeadlineSeconds !== undefined) {
    out.add([...at, "activeDeadlineSeconds"], `must not be set in a ${context.kind}`);
  }
  oneOf(out, [...at, "dnsPolicy"], spec.dnsPolicy, DNS_POLICIES);
  const volumes = volumeNames(out, [...at, "volumes"], spec.volumes, context.extraVolumes ?? []);
  const names = new Set<string>();
  for (const list of ["containers", "initContainers"] as const) {
    items(spec[list]).forEach((container, i) => {
      validateContainer(out, [...at, list, i], container, names, volumes);
    });
  }
  topologySpread(out, [...at, "topologySpreadConstraints"], spec.topologySpreadConstraints);
}

function restartPolicy(out: Violations, at: At, value: unknown, context: PodContext): void {
  if (context.restart === "job") {
    if (value === undefined || value === "Always") {
      out.add(
        at,
        `must be "OnFailure" or "Never" in a ${context.kind}, got ${value === undefined ? "nothing (the pod default, Always)" : '"Always"'}`,
      );
    } else requiredOneOf(out, at, value, JOB_RESTART_POLICIES);
    return;
  }
  if (context.restart === "always" && (value === "OnFailure" || value === "Never")) {
    out.add(at, `must be "Always" in a ${context.kind}, got ${JSON.stringify(value)}`);
    return;
  }
  oneOf(out, at, value, RESTART_POLICIES);
}

/** The pod's volume names (checked: DNS labels, unique), with the ones it gets from elsewhere. */
function volumeNames(out: Violations, at: At, value: unknown, extra: readonly string[]): Set<string> {
  const names = new Set(extra);
  items(value).forEach((raw, i) => {
    const name = str(obj(raw)?.name);
    if (name === undefined) return;
    const bad = dns1123Label(name);
    if (bad) out.add([...at, i, "name"], bad);
    else if (names.has(name)) out.add([...at, i, "name"], `duplicate volume name ${JSON.stringify(name)}`);
    names.add(name);
  });
  return names;
}

function validateContainer(
  out: Violations,
  at: At,
  value: unknown,
  names: Set<string>,
  volumes: ReadonlySet<string>,
): void {
  const container = obj(value);
  if (!container) return;
  const name = str(container.name);
  if (name !== undefined) {
    const bad = dns1123Label(name);
    if (bad) out.add([...at, "name"], bad);
    else if (names.has(name)) out.add([...at, "name"], `duplicate container name ${JSON.stringify(name)}`);
    names.add(name);
  }
  oneOf(out, [...at, "imagePullPolicy"], container.imagePullPolicy, PULL_POLICIES);
  containerPorts(out, [...at, "ports"], container.ports);
  resources(out, [...at, "resources"], container.resources);
  items(container.volumeMounts).forEach((raw, i) => {
    const volume = str(obj(raw)?.name);
    if (volume !== undefined && !volumes.has(volume)) {
      out.add(
        [...at, "volumeMounts", i, "name"],
        `must name a volume of the pod: no volume ${JSON.stringify(volume)}`,
      );
    }
  });
  for (const probe of PROBES)
    validateProbe(out, [...at, probe], container[probe], probe !== "readinessProbe");
  const lifecycle = obj(container.lifecycle);
  for (const hook of ["postStart", "preStop"] as const)
    handlerPorts(out, [...at, "lifecycle", hook], lifecycle?.[hook]);
}

/** validateContainerPorts: names are IANA_SVC_NAMEs unique within the container, ports 1–65535. */
function containerPorts(out: Violations, at: At, value: unknown): void {
  const seen = new Set<string>();
  eachObject(value, at, (port, here) => {
    const name = str(port.name);
    if (name !== undefined && name !== "") {
      const bad = portName(name);
      if (bad) out.add([...here, "name"], bad);
      else if (seen.has(name))
        out.add([...here, "name"], `duplicate port name ${JSON.stringify(name)} in this container`);
      seen.add(name);
    }
    if (port.containerPort === 0)
      out.add([...here, "containerPort"], "required: a port number between 1 and 65535");
    else portNumber(out, [...here, "containerPort"], port.containerPort);
    if (port.hostPort !== 0) portNumber(out, [...here, "hostPort"], port.hostPort);
    oneOf(out, [...here, "protocol"], port.protocol, PROTOCOLS);
  });
}

/** Float noise ("300m" is 0.30000000000000004 cores) must not make a request exceed an equal limit. */
const SAME = 1 + 1e-9;

/** ValidateResourceRequirements: quantities are non-negative, and a request at most its limit. */
function resources(out: Violations, at: At, value: unknown): void {
  const requirements = obj(value);
  if (!requirements) return;
  const limits = obj(requirements.limits) ?? {};
  const requests = obj(requirements.requests) ?? {};
  for (const [field, map] of [
    ["limits", limits],
    ["requests", requests],
  ] as const) {
    for (const [resource, raw] of Object.entries(map)) {
      const amount = quantity(raw);
      if (amount !== undefined && amount < 0) {
        out.add([...at, field, resource], `must be greater than or equal to 0, got ${JSON.stringify(raw)}`);
      }
    }
  }
  for (const [resource, raw] of Object.entries(requests)) {
    const request = quantity(raw);
    const limit = quantity(limits[resource]);
    if (request === undefined || limit === undefined || request < 0 || limit < 0) continue;
    if (request > limit * SAME) {
      out.add(
        [...at, "requests", resource],
        `must be less than or equal to the ${resource} limit (${String(limits[resource])}), got ${JSON.stringify(raw)}`,
      );
    }
  }
}

function quantity(value: unknown): number | undefined {
  return typeof value === "string" || typeof value === "number" ? tryParseQuantity(value) : undefined;
}

function validateProbe(out: Violations, at: At, value: unknown, singleSuccess: boolean): void {
  const probe = obj(value);
  if (!probe) return;
  for (const count of PROBE_COUNTS) nonNegative(out, [...at, count], probe[count]);
  const success = num(probe.successThreshold);
  // 0 is defaulted to 1; a liveness or startup probe cannot need more than one success.
  if (singleSuccess && success !== undefined && success > 1) {
    out.add([...at, "successThreshold"], `must be 1 for a liveness or startup probe, got ${success}`);
  }
  handlerPorts(out, at, probe);
  portNumber(out, [...at, "grpc", "port"], obj(probe.grpc)?.port);
}

/** The port of an httpGet or tcpSocket handler: a number 1–65535 or a container port name. */
function handlerPorts(out: Violations, at: At, value: unknown): void {
  const handler = obj(value);
  if (!handler) return;
  for (const action of ["httpGet", "tcpSocket"] as const) {
    const port = obj(handler[action])?.port;
    numberOrName(out, [...at, action, "port"], port);
  }
}

/** ValidatePortNumOrName: an int-or-string port that refers to a port by number or by name. */
export function numberOrName(out: Violations, at: At, value: unknown): void {
  if (typeof value === "number") portNumber(out, at, value);
  else if (typeof value === "string") {
    const bad = portName(value);
    if (bad) out.add(at, `must be a port number or a port name: ${JSON.stringify(value)} ${bad}`);
  }
}

function topologySpread(out: Violations, at: At, value: unknown): void {
  const seen = new Set<string>();
  eachObject(value, at, (constraint, here) => {
    positive(out, [...here, "maxSkew"], constraint.maxSkew);
    const key = str(constraint.topologyKey);
    if (key === "")
      out.add([...here, "topologyKey"], "required: a node label key such as kubernetes.io/hostname");
    else if (key !== undefined) {
      const bad = qualifiedName(key);
      if (bad) out.add([...here, "topologyKey"], bad);
    }
    const when = str(constraint.whenUnsatisfiable);
    oneOf(out, [...here, "whenUnsatisfiable"], when, WHEN_UNSATISFIABLE);
    if (constraint.minDomains !== undefined) {
      positive(out, [...here, "minDomains"], constraint.minDomains);
      if (when !== undefined && when !== "DoNotSchedule") {
        out.add([...here, "minDomains"], "can only be set when whenUnsatisfiable is DoNotSchedule");
      }
    }
    const pair = JSON.stringify([key, when]);
    if (seen.has(pair)) {
      out.add(
        here,
        `duplicate constraint for topologyKey ${JSON.stringify(key)} and whenUnsatisfiable ${JSON.stringify(when)}`,
      );
    }
    seen.add(pair);
    labelSelector(out, [...here, "labelSelector"], constraint.labelSelector);
  });
}
