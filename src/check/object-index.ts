// One pass over the input that builds every lookup the cross-object rules need, so each rule stays a pure
// function of (object, index) and the whole check stays linear in the number of objects.
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import type { LabelSelector } from "kubernetes-types/meta/v1.js";
import { GENERATED_SECRETS_ANNOTATION } from "../k8s/annotations.ts";
import { isBuiltinGroup } from "../k8s/api-groups.ts";
import { kindProblem } from "../k8s/api-kinds.ts";
import { generatedSecrets } from "../k8s/generated-secrets.ts";
import type { KubeObject } from "../k8s/object.ts";
import { matchesLabels, matchesSelector } from "../k8s/selector.ts";
import type { SourceObject } from "../manifest/types.ts";
import { CONTROLLER_KEYS, controllerSets } from "./controller-labels.ts";
import type { PodSpecWithResources } from "./facts/qos.ts";
import { exposesOnlyMetrics } from "./metrics-service.ts";
import { int, type Json, list, listOf, record, stringMap, text } from "./shape.ts";

export type Path = Array<string | number>;

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Record<string, Path> = {
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  Pod: [],
};

/** Kinds whose controller keeps `spec.replicas` long-running copies of the pod. */
const REPLICATED = new Set(["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"]);

export interface Workload {
  source: SourceObject;
  kind: string;
  namespace: string;
  name: string;
  /** Path of the pod template (its `metadata` and `spec` sit below); [] for a bare Pod. */
  templatePath: Path;
  /** Path of the pod spec, for findings: e.g. ["spec","template","spec"]. */
  specPath: Path;
  podSpec: PodSpecWithResources;
  containers: Container[];
  initContainers: Container[];
  podLabels: Record<string, string>;
  /** Long-running replicas kept by a controller (Deployment, StatefulSet, ReplicaSet, ReplicationController). */
  replicated: boolean;
  /** `spec.replicas` as written, undefined when absent. */
  declaredReplicas: number | undefined;
  /** Replicas it runs without an HPA: spec.replicas ?? 1 for replicated kinds, 1 for a bare Pod,
   * undefined for DaemonSets, Jobs and CronJobs (not a replica count). */
  replicas: number | undefined;
  /** Services in the namespace whose selector matches the pod labels. */
  services: SourceObject[];
  /** Those of `services` that send it user traffic (not only a metrics scrape). */
  trafficServices: SourceObject[];
  /** PodDisruptionBudgets whose selector matches the pod labels. */
  pdbs: SourceObject[];
  /** HorizontalPodAutoscalers whose scaleTargetRef names this workload. */
  hpas: SourceObject[];
}

export interface SecretInfo {
  /** The Secret itself, or the workload that declares it for `shipshape deploy` to generate. */
  source: SourceObject;
  keys: Set<string>;
}

export interface ClaimInfo {
  source: SourceObject;
  accessModes: string[];
  storageClassName: string | undefined;
  /** Workloads that mount it through `persistentVolumeClaim.claimName`. */
  users: Workload[];
}

export interface IngressBackend {
  service: string;
  port: string | number | undefined;
  /** Path of the backend inside the Ingress, for findings. */
  path: Path;
}

export interface ObjectIndex {
  objects: readonly SourceObject[];
  byKind(kind: string): readonly SourceObject[];
  /** A namespaced object by kind, namespace and name (namespace ignored for cluster-scoped kinds). */
  get(kind: string, namespace: string, name: string): SourceObject | undefined;
  workloads: readonly Workload[];
  /** The earlier object with the same kind, namespace and name that this one replaces, if any. */
  redefines(source: SourceObject): SourceObject | undefined;
  /** Objects of kinds an operator serves (groups outside Kubernetes itself) in a namespace. */
  customResourcesIn(namespace: string): readonly SourceObject[];
  /** Workloads in a namespace (for "is anything deployed here at all?"). */
  workloadsIn(namespace: string): readonly Workload[];
  workloadOf(source: SourceObject): Workload | undefined;
  /** Workloads whose pods a Service or PodDisruptionBudget selects. */
  selectedBy(source: SourceObject): readonly Workload[];
  /** The workload an HPA scales, when it is in the input. */
  hpaTarget(hpa: SourceObject): Workload | undefined;
  secret(namespace: string, name: string): SecretInfo | undefined;
  claim(namespace: string, name: string): ClaimInfo | undefined;
  storageClass(name: string): SourceObject | undefined;
  /** The StorageClass marked `storageclass.kubernetes.io/is-default-class: "true"`, if the input has one. */
  defaultStorageClass: SourceObject | undefined;
  ingressBackends(ingress: SourceObject): readonly IngressBackend[];
  /** The Ingresses and IngressRoutes that send traffic to a Service. */
  routedBy(service: SourceObject): readonly SourceObject[];
}

/** The namespace an object lands in: objects without one go where `kubectl apply` puts them by default. */
export function namespaceOf(source: SourceObject): string {
  return text(record(source.object.metadata).namespace) || "default";
}

export function nameOf(source: SourceObject): string {
  return text(record(source.object.metadata).name) ?? "";
}

const CLUSTER_SCOPED = new Set([
  "Namespace",
  "Node",
  "PersistentVolume",
  "StorageClass",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "IngressClass",
]);

/**
 * Values by kind, namespace (none for cluster-scoped kinds) and name, in maps nested by those strings as
 * the objects hold them: no key string is built per object, which at 100,000 objects was megabytes.
 */
class ByName<V> {
  private readonly kinds = new Map<string, Map<string, Map<string, V>>>();

  get(kind: string, namespace: string, name: string): V | undefined {
    return this.kinds.get(kind)?.get(scope(kind, namespace))?.get(name);
  }

  set(kind: string, namespace: string, name: string, value: V): void {
    within(within(this.kinds, kind), scope(kind, namespace)).set(name, value);
  }
}

/** The map under `key`, made on first use. */
function within<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  const inner = map.get(key);
  if (inner) return inner;
  const made = new Map<string, V>();
  map.set(key, made);
  return made;
}

function scope(kind: string, namespace: string): string {
  return CLUSTER_SCOPED.has(kind) ? "" : namespace;
}

function at(root: unknown, path: Path): Json {
  let node: unknown = root;
  for (const step of path) node = record(node)[step];
  return record(node);
}

function toWorkload(source: SourceObject): Workload | undefined {
  const kind = source.object.kind;
  // Own keys only: a kind named "__proto__" or "constructor" is no workload.
  const templatePath = Object.hasOwn(TEMPLATE_PATHS, kind) ? TEMPLATE_PATHS[kind] : undefined;
  // A kind in a group that does not serve it (v1 Deployment) is no workload: the apiserver refuses it.
  if (!templatePath || kindProblem(String(source.object.apiVersion), kind)) return undefined;
  const template = at(source.object, templatePath);
  const spec = record(template.spec);
  const declared = int(record(source.object.spec).replicas);
  const replicated = REPLICATED.has(kind);
  return {
    source,
    kind,
    namespace: namespaceOf(source),
    name: nameOf(source),
    templatePath,
    specPath: SPEC_PATHS[kind]!,
    podSpec: spec as unknown as PodSpec,
    containers: listOf<Container>(spec.containers),
    initContainers: listOf<Container>(spec.initContainers),
    podLabels: labelsOf(record(template.metadata).labels),
    replicated,
    declaredReplicas: declared,
    replicas: replicated ? (declared ?? 1) : kind === "Pod" ? 1 : undefined,
    services: NONE,
    trafficServices: NONE,
    pdbs: NONE,
    hpas: NONE,
  };
}

const SPEC_PATHS: Record<string, Path> = Object.fromEntries(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, [...path, "spec"]]),
);

/** A workload's relations until it has one: shared and frozen, replaced by its own list on the first. */
const NONE: SourceObject[] = Object.freeze([]) as unknown as SourceObject[];

function related(list: SourceObject[], object: SourceObject): SourceObject[] {
  if (list === NONE) return [object];
  list.push(object);
  return list;
}

/** The pod labels as strings: the object itself when it holds only strings, as written labels do. */
function labelsOf(value: unknown): Record<string, string> {
  const labels = record(value);
  for (const v of Object.values(labels)) if (typeof v !== "string") return stringMap(labels);
  return labels as Record<string, string>;
}

/** The Services an Ingress (networking.k8s.io, extensions) or a Traefik IngressRoute sends traffic to. */
function backendsOf(ingress: SourceObject): IngressBackend[] {
  const spec = record(ingress.object.spec);
  const out: IngressBackend[] = [];
  if (ingress.object.kind === "IngressRoute") {
    list(spec.routes).forEach((route, r) => {
      list(route.services).forEach((service, i) => {
        const name = text(service.name);
        // Traefik's TraefikService kind balances other services; only plain Services are looked up.
        if (!name || (service.kind !== undefined && service.kind !== "Service")) return;
        out.push({
          service: name,
          port: int(service.port) ?? text(service.port),
          path: ["spec", "routes", r, "services", i],
        });
      });
    });
    return out;
  }
  const add = (backend: Json, path: Path) => {
    const service = record(backend.service);
    // networking.k8s.io/v1 nests `service: {name, port: {number|name}}`; v1beta1 has serviceName/servicePort.
    const name = text(service.name) ?? text(backend.serviceName);
    if (!name) return;
    const port = record(service.port);
    const legacyPort = int(backend.servicePort) ?? text(backend.servicePort);
    out.push({ service: name, port: int(port.number) ?? text(port.name) ?? legacyPort, path });
  };
  const fallback = Object.keys(record(spec.defaultBackend)).length > 0 ? "defaultBackend" : "backend";
  add(record(spec[fallback]), ["spec", fallback]);
  list(spec.rules).forEach((rule, r) => {
    list(record(rule.http).paths).forEach((p, i) => {
      add(record(p.backend), ["spec", "rules", r, "http", "paths", i, "backend"]);
    });
  });
  return out;
}

/** Builds the index in one pass over `sources` (plus one pass per relation over the small kinds). */
export function buildObjectIndex(sources: readonly SourceObject[]): ObjectIndex {
  const kinds = new Map<string, SourceObject[]>();
  // The last object of each kind, namespace and name; an object defined again (whatever its API group)
  // points back at the one before it, so a redefinition in the same group is found along that chain.
  const byKey = new ByName<SourceObject>();
  const before = new Map<SourceObject, SourceObject>();
  const redefined = new Map<SourceObject, SourceObject>();
  const workloads: Workload[] = [];
  const workloadBySource = new Map<SourceObject, Workload>();
  // Candidate workloads per namespace and per namespace, label and value, so selectors need not scan them all.
  const byNamespace = new Map<string, Workload[]>();
  const byLabel = new Map<string, Map<string, Map<string, Workload[]>>>();
  const customByNamespace = new Map<string, SourceObject[]>();
  const push = <K, V>(map: Map<K, V[]>, k: K, v: V) => {
    const bucket = map.get(k);
    if (bucket) bucket.push(v);
    else map.set(k, [v]);
  };

  for (const source of sources) {
    const kind = source.object.kind;
    push(kinds, kind, source);
    const namespace = namespaceOf(source);
    const name = nameOf(source);
    const group = groupOf(source);
    const previous = byKey.get(kind, namespace, name);
    if (previous) {
      before.set(source, previous);
      let earlier: SourceObject | undefined = previous;
      while (earlier && groupOf(earlier) !== group) earlier = before.get(earlier);
      if (earlier && name) redefined.set(source, earlier);
    }
    byKey.set(kind, namespace, name, source);
    if (!isBuiltinGroup(group)) push(customByNamespace, namespace, source);
    const workload = toWorkload(source);
    if (!workload) continue;
    workloads.push(workload);
    workloadBySource.set(source, workload);
    push(byNamespace, workload.namespace, workload);
    const labels = within(byLabel, workload.namespace);
    for (const [label, value] of Object.entries(workload.podLabels))
      push(within(labels, label), value, workload);
  }
  const ofKind = (kind: string) => kinds.get(kind) ?? [];

  const candidates = (namespace: string, pairs: Record<string, string>): Workload[] => {
    let best = byNamespace.get(namespace) ?? [];
    const labels = byLabel.get(namespace);
    for (const [label, value] of Object.entries(pairs)) {
      if (CONTROLLER_KEYS.has(label)) continue;
      const bucket = labels?.get(label)?.get(value) ?? [];
      if (bucket.length < best.length) best = bucket;
    }
    return best;
  };

  const selected = new Map<SourceObject, Workload[]>();
  for (const service of ofKind("Service")) {
    const selector = stringMap(record(service.object.spec).selector);
    const hits =
      Object.keys(selector).length === 0
        ? []
        : candidates(namespaceOf(service), selector).filter((w) => {
            const rest = beyondController(w, selector);
            return rest !== undefined && (Object.keys(rest).length === 0 || matchesLabels(rest, w.podLabels));
          });
    selected.set(service, hits);
    const traffic = !exposesOnlyMetrics(service);
    for (const w of hits) {
      w.services = related(w.services, service);
      if (traffic) w.trafficServices = related(w.trafficServices, service);
    }
  }
  for (const pdb of ofKind("PodDisruptionBudget")) {
    const raw = record(pdb.object.spec).selector;
    // policy/v1: an empty selector selects every pod in the namespace; policy/v1beta1: none.
    const selector = (raw === undefined || raw === null ? undefined : record(raw)) as
      | LabelSelector
      | undefined;
    const emptyMatchesAll = pdb.object.apiVersion !== "policy/v1beta1";
    const isEmpty = !!selector && Object.keys(selector).length === 0;
    const hits =
      isEmpty && !emptyMatchesAll
        ? []
        : candidates(namespaceOf(pdb), stringMap(selector?.matchLabels)).filter((w) => {
            const labels = selector?.matchLabels;
            if (!selector || labels === null || typeof labels !== "object" || Array.isArray(labels))
              return matchesSelector(selector, w.podLabels);
            const rest = beyondController(w, stringMap(labels));
            return rest !== undefined && matchesSelector({ ...selector, matchLabels: rest }, w.podLabels);
          });
    selected.set(pdb, hits);
    for (const w of hits) w.pdbs = related(w.pdbs, pdb);
  }
  const targets = new Map<SourceObject, Workload>();
  for (const hpa of ofKind("HorizontalPodAutoscaler")) {
    const ref = record(record(hpa.object.spec).scaleTargetRef);
    const target = byKey.get(text(ref.kind) ?? "", namespaceOf(hpa), text(ref.name) ?? "");
    const workload = target && workloadBySource.get(target);
    if (!workload) continue;
    targets.set(hpa, workload);
    workload.hpas = related(workload.hpas, hpa);
  }

  const secrets = new Map<string, SecretInfo>();
  for (const secret of ofKind("Secret")) {
    const keys = new Set([
      ...Object.keys(record(secret.object.data)),
      ...Object.keys(record(secret.object.stringData)),
    ]);
    secrets.set(`${namespaceOf(secret)}/${nameOf(secret)}`, { source: secret, keys });
  }
  // Secrets a workload declares in shipshape.dev/generated-secrets are created by `shipshape deploy`.
  const declaring = sources.filter(
    (s) => typeof record(record(s.object.metadata).annotations)[GENERATED_SECRETS_ANNOTATION] === "string",
  );
  for (const need of generatedSecrets(declaring.map((s) => s.object as KubeObject))) {
    const id = `${need.namespace}/${need.name}`;
    const declarer = declaring.find((s) => namespaceOf(s) === need.namespace)!;
    if (!secrets.has(id)) secrets.set(id, { source: declarer, keys: new Set(need.keys) });
  }
  const claims = new Map<string, ClaimInfo>();
  for (const pvc of ofKind("PersistentVolumeClaim")) {
    const spec = record(pvc.object.spec);
    claims.set(`${namespaceOf(pvc)}/${nameOf(pvc)}`, {
      source: pvc,
      accessModes: Array.isArray(spec.accessModes) ? spec.accessModes.filter(isString) : [],
      storageClassName: text(spec.storageClassName),
      users: [],
    });
  }
  for (const w of workloads) {
    for (const volume of list(w.podSpec.volumes)) {
      const claimName = text(record(volume.persistentVolumeClaim).claimName);
      const claim = claimName && claims.get(`${w.namespace}/${claimName}`);
      if (claim && !claim.users.includes(w)) claim.users.push(w);
    }
  }
  const storageClasses = ofKind("StorageClass");
  const defaultStorageClass = storageClasses.find(
    (sc) =>
      stringMap(record(sc.object.metadata).annotations)["storageclass.kubernetes.io/is-default-class"] ===
      "true",
  );
  const backends = new Map<SourceObject, IngressBackend[]>();
  const routes = new Map<SourceObject, SourceObject[]>();
  for (const ingress of [...ofKind("Ingress"), ...ofKind("IngressRoute")]) {
    const found = backendsOf(ingress);
    backends.set(ingress, found);
    for (const backend of found) {
      const service = byKey.get("Service", namespaceOf(ingress), backend.service);
      if (service && !routes.get(service)?.includes(ingress)) push(routes, service, ingress);
    }
  }

  return {
    objects: sources,
    byKind: ofKind,
    get: (kind, namespace, name) => byKey.get(kind, namespace, name),
    workloads,
    customResourcesIn: (namespace) => customByNamespace.get(namespace) ?? [],
    workloadsIn: (namespace) => byNamespace.get(namespace) ?? [],
    redefines: (source) => redefined.get(source),
    workloadOf: (source) => workloadBySource.get(source),
    selectedBy: (source) => selected.get(source) ?? [],
    hpaTarget: (hpa) => targets.get(hpa),
    secret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    claim: (namespace, name) => claims.get(`${namespace}/${name}`),
    storageClass: (name) => byKey.get("StorageClass", "", name),
    defaultStorageClass,
    ingressBackends: (ingress) => backends.get(ingress) ?? [],
    routedBy: (service) => routes.get(service) ?? [],
  };
}

/** The selector pairs the pod template must carry, once those the workload's controller adds to its pods
 * are taken out; undefined when a controller label has a value no pod of the workload gets. */
function beyondController(w: Workload, pairs: Record<string, string>): Record<string, string> | undefined {
  const rest: Record<string, string> = {};
  for (const [label, value] of Object.entries(pairs)) {
    if (Object.hasOwn(w.podLabels, label) || !CONTROLLER_KEYS.has(label)) rest[label] = value;
    else if (!controllerSets(w.kind, w.name, label, value)) return undefined;
  }
  return rest;
}

function groupOf(source: SourceObject): string {
  const apiVersion = String(source.object.apiVersion);
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}
