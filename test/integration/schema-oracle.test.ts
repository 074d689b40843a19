// Offline validation against the apiserver as the oracle: each object is server-side applied with
// dryRun=All and fieldValidation=Strict, and the apiserver must accept exactly the objects that
// validateObject finds no violation in — every built-in object the blueprint emits, broken variants (the
// schema's: an unknown field, a wrong type, a bad quantity, a repeated list-map key, a missing required
// field; and the validation code's: names, enums, ranges, selectors, strategies, restart policies per
// kind), and unusual valid ones that both must accept. Each case states its verdict, so a case that both
// sides get wrong the same way fails too. Last, the kinds: the apiserver serves an apiVersion/kind pair
// exactly when neither kind-unknown nor api-removed says it does not.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import { type WordPressProps, wordpress } from "../../src/blueprint/blueprints/wordpress.ts";
import { unknownKind } from "../../src/check/rules/kind-unknown.ts";
import { ApiError, Cluster } from "../../src/cluster/client.ts";
import { removal } from "../../src/k8s/api-removals.ts";
import type { KubeObject } from "../../src/k8s/object.ts";
import { hasSchema, validateObject } from "../../src/k8s/schema.ts";
import { freshNamespace, kubeConfig } from "./support/cluster.ts";

const cluster = new Cluster(kubeConfig());
let ns = "";

before(async () => {
  ns = await freshNamespace("schema-oracle");
});

/** The apiserver's verdict: undefined when accepted, else its message. */
async function apiserverRejects(object: KubeObject): Promise<string | undefined> {
  try {
    await cluster.request(HttpMethod.PATCH, await cluster.objectPath(object), {
      query: {
        fieldManager: "shipshape-schema-oracle",
        dryRun: "All",
        fieldValidation: "Strict",
        force: true,
      },
      body: object,
      contentType: "application/apply-patch+yaml",
    });
    return undefined;
  } catch (error) {
    // Schema errors come back as 400/422, or as 500 when server-side apply cannot even build the typed object.
    if (error instanceof ApiError) return `${error.status} ${error.message}`;
    throw error;
  }
}

function blueprintObjects(props: WordPressProps): KubeObject[] {
  return wordpress({ ...props, namespace: ns })
    .objects()
    .filter((o) => hasSchema(o.apiVersion, o.kind) && o.kind !== "Namespace");
}

describe("blueprint objects", () => {
  for (const props of [
    {},
    { ingress: "none", antiAffinity: "hard", liveness: true, nodePort: true, withSecrets: true },
    { antiAffinity: "spread", autoscale: false, rook: true },
  ] as WordPressProps[]) {
    test(`valid offline and accepted by the apiserver: ${JSON.stringify(props)}`, async () => {
      for (const object of blueprintObjects(props)) {
        assert.deepEqual(validateObject(object), [], `${object.kind} offline`);
        assert.equal(await apiserverRejects(object), undefined, `${object.kind} ${object.metadata.name}`);
      }
    });
  }
});

type Edit = (spec: Record<string, unknown>, container: Record<string, unknown>) => void;
type Json = Record<string, unknown>;

/** A Deployment edit, and whether the apiserver refuses the result. */
interface DeploymentCase {
  refused: boolean;
  edit: Edit;
}

const refused = (edit: Edit): DeploymentCase => ({ refused: true, edit });
const accepted = (edit: Edit): DeploymentCase => ({ refused: false, edit });
const podOf = (spec: Json) => (spec.template as { spec: Json }).spec;
const templateLabels = (spec: Json) => (spec.template as { metadata: { labels: Json } }).metadata.labels;
const spread = (extra: Json) => ({
  maxSkew: 1,
  topologyKey: "topology.kubernetes.io/zone",
  whenUnsatisfiable: "DoNotSchedule",
  labelSelector: { matchLabels: { app: "wordpress" } },
  ...extra,
});

const DEPLOYMENT_CASES: Record<string, DeploymentCase> = {
  // the schema's
  "an unknown field (spec.replica)": refused((spec) => {
    spec.replica = 3;
  }),
  "an unknown container field": refused((_, c) => {
    c.imagePolicy = "Always";
  }),
  "a port as a string": refused((_, c) => {
    c.ports = [{ name: "http", containerPort: "80" }];
  }),
  "a malformed quantity (100MB)": refused((_, c) => {
    c.resources = { requests: { memory: "100MB" }, limits: { memory: "100MB" } };
  }),
  "a repeated env var name": refused((_, c) => {
    c.env = [
      { name: "A", value: "1" },
      { name: "A", value: "2" },
    ];
  }),
  "a container without a name": refused((_, c) => {
    delete c.name;
  }),
  "replicas beyond int32": refused((spec) => {
    spec.replicas = 2 ** 31;
  }),
  "a boolean where an integer belongs": refused((spec) => {
    spec.minReadySeconds = true;
  }),
  "a null field (unset)": accepted((_, c) => {
    c.lifecycle = null;
  }),
  "numeric quantities and a percentage IntOrString": accepted((spec, c) => {
    c.resources = { requests: { cpu: 1, memory: 134217728 }, limits: { cpu: "1000m", memory: "128Mi" } };
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } };
  }),
  "ports differing only in protocol": accepted((_, c) => {
    c.ports = [
      { name: "http", containerPort: 80 },
      { name: "quic", containerPort: 80, protocol: "UDP" },
    ];
  }),
  // enums
  "strategy type Rolling": refused((spec) => {
    spec.strategy = { type: "Rolling" };
  }),
  "Recreate with rollingUpdate": refused((spec) => {
    spec.strategy = { type: "Recreate", rollingUpdate: { maxSurge: 1 } };
  }),
  "Recreate alone": accepted((spec) => {
    spec.strategy = { type: "Recreate" };
  }),
  "restartPolicy Never in a Deployment": refused((spec) => {
    podOf(spec).restartPolicy = "Never";
  }),
  "restartPolicy Always in a Deployment": accepted((spec) => {
    podOf(spec).restartPolicy = "Always";
  }),
  "imagePullPolicy always (lower case)": refused((_, c) => {
    c.imagePullPolicy = "always";
  }),
  "imagePullPolicy IfNotPresent": accepted((_, c) => {
    c.imagePullPolicy = "IfNotPresent";
  }),
  "protocol tcp (lower case)": refused((_, c) => {
    c.ports = [{ name: "http", containerPort: 80, protocol: "tcp" }];
  }),
  "protocol SCTP": accepted((_, c) => {
    c.ports = [{ name: "http", containerPort: 80, protocol: "SCTP" }];
  }),
  "dnsPolicy ClusterFirstt": refused((spec) => {
    podOf(spec).dnsPolicy = "ClusterFirstt";
  }),
  "whenUnsatisfiable Never": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ whenUnsatisfiable: "Never" })];
  }),
  "a selector operator in (lower case)": refused((spec) => {
    spec.selector = { matchExpressions: [{ key: "app", operator: "in", values: ["wordpress"] }] };
  }),
  // ranges
  "containerPort 70000": refused((_, c) => {
    c.ports = [{ name: "http", containerPort: 70000 }];
  }),
  "containerPort 0": refused((_, c) => {
    c.ports = [{ name: "http", containerPort: 0 }];
  }),
  "hostPort 70000": refused((_, c) => {
    c.ports = [{ name: "http", containerPort: 80, hostPort: 70000 }];
  }),
  "containerPort 65535": accepted((_, c) => {
    c.ports = [{ name: "http", containerPort: 65535 }];
  }),
  "replicas -1": refused((spec) => {
    spec.replicas = -1;
  }),
  "replicas 0": accepted((spec) => {
    spec.replicas = 0;
  }),
  "minReadySeconds -1": refused((spec) => {
    spec.minReadySeconds = -1;
  }),
  "progressDeadlineSeconds not above minReadySeconds": refused((spec) => {
    spec.minReadySeconds = 30;
    spec.progressDeadlineSeconds = 30;
  }),
  "maxSurge 0 and maxUnavailable 0": refused((spec) => {
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } };
  }),
  "maxSurge 0 alone (maxUnavailable defaults to 25%)": accepted((spec) => {
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 0 } };
  }),
  "maxUnavailable 150%": refused((spec) => {
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "150%" } };
  }),
  "maxSurge 200%": accepted((spec) => {
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "200%" } };
  }),
  "maxSurge a word": refused((spec) => {
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "one" } };
  }),
  "a negative cpu request": refused((_, c) => {
    c.resources = { requests: { cpu: "-100m" } };
  }),
  "a request above its limit": refused((_, c) => {
    c.resources = { requests: { memory: "512Mi" }, limits: { memory: "256Mi" } };
  }),
  "a request equal to its limit, written differently": accepted((_, c) => {
    c.resources = { requests: { cpu: "300m", memory: "1Gi" }, limits: { cpu: "0.3", memory: "1073741824" } };
  }),
  "maxSkew 0": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ maxSkew: 0 })];
  }),
  "minDomains 0": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ minDomains: 0 })];
  }),
  "minDomains with ScheduleAnyway": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ minDomains: 2, whenUnsatisfiable: "ScheduleAnyway" })];
  }),
  "minDomains 2 with DoNotSchedule": accepted((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ minDomains: 2 })];
  }),
  "an empty topologyKey": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({ topologyKey: "" })];
  }),
  "two constraints on the same key and action": refused((spec) => {
    podOf(spec).topologySpreadConstraints = [spread({}), spread({ maxSkew: 2 })];
  }),
  "a probe port 0": refused((_, c) => {
    c.readinessProbe = { httpGet: { path: "/", port: 0 } };
  }),
  "a probe port name in upper case": refused((_, c) => {
    c.readinessProbe = { tcpSocket: { port: "HTTP" } };
  }),
  "a negative periodSeconds": refused((_, c) => {
    c.readinessProbe = { tcpSocket: { port: 80 }, periodSeconds: -1 };
  }),
  "a liveness probe needing two successes": refused((_, c) => {
    c.livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 };
  }),
  "a readiness probe needing two successes": accepted((_, c) => {
    c.readinessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 };
  }),
  "activeDeadlineSeconds in a Deployment": refused((spec) => {
    podOf(spec).activeDeadlineSeconds = 60;
  }),
  // names
  "a port name of 16 characters": refused((_, c) => {
    c.ports = [{ name: "http-alternative", containerPort: 80 }];
  }),
  "a port name of 15 characters": accepted((_, c) => {
    c.ports = [{ name: "http-alternativ", containerPort: 80 }];
    c.readinessProbe = { tcpSocket: { port: 80 } };
  }),
  "a port name in upper case": refused((_, c) => {
    c.ports = [{ name: "HTTP", containerPort: 80 }];
  }),
  "a port name of digits only": refused((_, c) => {
    c.ports = [{ name: "8080", containerPort: 8080 }];
  }),
  "a port name with a double hyphen": refused((_, c) => {
    c.ports = [{ name: "http--x", containerPort: 8080 }];
  }),
  "two ports named alike in one container": refused((_, c) => {
    c.ports = [
      { name: "http", containerPort: 80 },
      { name: "http", containerPort: 81 },
    ];
  }),
  "two containers each with a port named http (a warning only)": accepted((spec) => {
    (podOf(spec).containers as Json[]).push({
      name: "sidecar",
      image: "registry.example.com/sidecar:1.0.3",
      ports: [{ name: "http", containerPort: 8080 }],
    });
  }),
  "a container name in upper case": refused((_, c) => {
    c.name = "WordPress";
  }),
  "a volumeMount of no volume": refused((_, c) => {
    c.volumeMounts = [{ name: "nope", mountPath: "/data" }];
  }),
  "a volume name with a dot": refused((spec, c) => {
    podOf(spec).volumes = [{ name: "wp.data", emptyDir: {} }];
    c.volumeMounts = [{ name: "wp.data", mountPath: "/data" }];
  }),
  "a template label key starting with a hyphen": refused((spec) => {
    templateLabels(spec)["-tier"] = "web";
  }),
  "a template label value with a space": refused((spec) => {
    templateLabels(spec).team = "shop front";
  }),
  "a template label value of 64 characters": refused((spec) => {
    templateLabels(spec).team = "x".repeat(64);
  }),
  "a prefixed label key and an empty value": accepted((spec) => {
    templateLabels(spec)["example.com/tier"] = "";
  }),
  // the selector and the template
  "a selector the template labels do not match": refused((spec) => {
    spec.selector = { matchLabels: { app: "wordpress", tier: "backend" } };
  }),
  "an empty selector": refused((spec) => {
    spec.selector = {};
  }),
  "a selector of expressions matching the template": accepted((spec) => {
    spec.selector = {
      matchExpressions: [
        { key: "app", operator: "In", values: ["wordpress"] },
        { key: "tier", operator: "Exists" },
      ],
    };
  }),
  "an In expression without values": refused((spec) => {
    spec.selector = { matchExpressions: [{ key: "app", operator: "In", values: [] }] };
  }),
  "an Exists expression with values": refused((spec) => {
    spec.selector = { matchExpressions: [{ key: "app", operator: "Exists", values: ["wordpress"] }] };
  }),
};

function editedDeployment(edit: Edit): KubeObject {
  const deployment = structuredClone(blueprintObjects({}).find((o) => o.kind === "Deployment")!);
  const spec = deployment.spec as Record<string, unknown>;
  const pod = (spec.template as { spec: { containers: Record<string, unknown>[] } }).spec;
  edit(spec, pod.containers[0]!);
  return deployment;
}

/** Both verdicts, checked against the case's: the offline one first, then the apiserver's. */
async function assertVerdict(object: KubeObject, expectRefused: boolean): Promise<void> {
  const violations = validateObject(object) ?? [];
  assert.equal(
    violations.length > 0,
    expectRefused,
    expectRefused ? "offline validation found nothing" : `offline: ${JSON.stringify(violations)}`,
  );
  const answer = await apiserverRejects(object);
  assert.equal(
    answer !== undefined,
    expectRefused,
    expectRefused
      ? `the apiserver accepted what offline validation refused: ${JSON.stringify(violations)}`
      : `the apiserver refused: ${answer}`,
  );
}

describe("Deployments", () => {
  for (const [name, { refused, edit }] of Object.entries(DEPLOYMENT_CASES)) {
    test(`${name}: ${refused ? "refused" : "accepted"} offline and by the apiserver`, async () => {
      await assertVerdict(editedDeployment(edit), refused);
    });
  }
});

const IMAGE = "registry.example.com/app:1.0.3";

function object(apiVersion: string, kind: string, name: string, spec?: Json, extra: Json = {}): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: ns },
    ...(spec ? { spec } : {}),
    ...extra,
  } as KubeObject;
}

const pod = (extra: Json = {}, container: Json = {}) => ({
  containers: [{ name: "app", image: IMAGE, ...container }],
  ...extra,
});
const template = (extra: Json = {}, container: Json = {}) => ({
  metadata: { labels: { app: "app" } },
  spec: pod(extra, container),
});
const selected = { selector: { matchLabels: { app: "app" } } };
const job = (name: string, podExtra: Json) =>
  object("batch/v1", "Job", name, { template: { spec: pod(podExtra) } });
const cronJob = (name: string, podExtra: Json) =>
  object("batch/v1", "CronJob", name, {
    schedule: "0 3 * * *",
    jobTemplate: { spec: { template: { spec: pod(podExtra) } } },
  });
const statefulSet = (name: string, spec: Json = {}, container: Json = {}) =>
  object("apps/v1", "StatefulSet", name, {
    serviceName: name,
    ...selected,
    template: template({}, container),
    ...spec,
  });
const daemonSet = (spec: Json, podExtra: Json = {}) =>
  object("apps/v1", "DaemonSet", "agent", { ...selected, template: template(podExtra), ...spec });
const service = (spec: Json, name = "web") => object("v1", "Service", name, spec);
const budget = (spec: Json, name = "web") =>
  object("policy/v1", "PodDisruptionBudget", name, { ...selected, ...spec });
const autoscaler = (spec: Json) =>
  object("autoscaling/v2", "HorizontalPodAutoscaler", "web", {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
    metrics: [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
      },
    ],
    ...spec,
  });
const claim = {
  metadata: { name: "data" },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
};

/** Objects of other kinds: name, whether the apiserver refuses it, the object (built lazily: `ns` is set in before()). */
const OTHER_CASES: [string, boolean, () => KubeObject][] = [
  // restart policies per kind
  ["a Job without restartPolicy (the pod default, Always)", true, () => job("migrate", {})],
  ["a Job with restartPolicy Always", true, () => job("migrate", { restartPolicy: "Always" })],
  ["a Job with restartPolicy OnFailure", false, () => job("migrate", { restartPolicy: "OnFailure" })],
  ["a CronJob with restartPolicy Always", true, () => cronJob("nightly", { restartPolicy: "Always" })],
  ["a CronJob with restartPolicy Never", false, () => cronJob("nightly", { restartPolicy: "Never" })],
  [
    "a Pod with restartPolicy Sometimes",
    true,
    () => object("v1", "Pod", "app", pod({ restartPolicy: "Sometimes" })),
  ],
  [
    "a Pod with restartPolicy Never",
    false,
    () => object("v1", "Pod", "app", pod({ restartPolicy: "Never" })),
  ],
  ["a DaemonSet with restartPolicy OnFailure", true, () => daemonSet({}, { restartPolicy: "OnFailure" })],
  // names per kind
  ["a CronJob name of 53 characters", true, () => cronJob("n".repeat(53), { restartPolicy: "Never" })],
  ["a CronJob name of 52 characters", false, () => cronJob("n".repeat(52), { restartPolicy: "Never" })],
  ["a Job name of 64 characters", true, () => job("j".repeat(64), { restartPolicy: "Never" })],
  ["a Job name of 63 characters", false, () => job("j".repeat(63), { restartPolicy: "Never" })],
  ["a StatefulSet name with a dot", true, () => statefulSet("db.primary")],
  ["a Deployment name with a dot", false, () => editedDeploymentNamed("web.v2")],
  ["a Deployment name with an underscore", true, () => editedDeploymentNamed("web_v2")],
  ["a Service name with a dot", true, () => service({ ports: [{ port: 80 }] }, "web.svc")],
  ["a Service name starting with a digit", false, () => service({ ports: [{ port: 80 }] }, "1web")],
  [
    "a ConfigMap name in upper case",
    true,
    () => object("v1", "ConfigMap", "App_Config", undefined, { data: {} }),
  ],
  [
    "a ConfigMap name with dots",
    false,
    () => object("v1", "ConfigMap", "app.config.v2", undefined, { data: {} }),
  ],
  [
    "a PodDisruptionBudget name in upper case (not validated)",
    false,
    () => budget({ maxUnavailable: 1 }, "Web_Budget"),
  ],
  [
    "a Role name with a colon (a path segment)",
    false,
    () => object("rbac.authorization.k8s.io/v1", "Role", "system:shop-reader", undefined, { rules: [] }),
  ],
  [
    "a Namespace name with a dot",
    true,
    () => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop.prod" } }) as KubeObject,
  ],
  ["an annotation key with two slashes", true, () => annotated("a/b/c")],
  ["an annotation key in upper case", false, () => annotated("Example.COM/Owner")],
  // StatefulSets and DaemonSets
  [
    "a StatefulSet podManagementPolicy Ordered",
    true,
    () => statefulSet("db", { podManagementPolicy: "Ordered" }),
  ],
  [
    "a StatefulSet OnDelete with rollingUpdate",
    true,
    () => statefulSet("db", { updateStrategy: { type: "OnDelete", rollingUpdate: { partition: 0 } } }),
  ],
  [
    "a StatefulSet maxUnavailable 0 (accepted with the pinned release's default feature gates)",
    false,
    () =>
      statefulSet("db", { updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } } }),
  ],
  [
    "a StatefulSet mounting its volumeClaimTemplate",
    false,
    () =>
      statefulSet(
        "db",
        { volumeClaimTemplates: [claim] },
        { volumeMounts: [{ name: "data", mountPath: "/data" }] },
      ),
  ],
  [
    "a StatefulSet mounting no volume",
    true,
    () =>
      statefulSet(
        "db",
        { volumeClaimTemplates: [claim] },
        { volumeMounts: [{ name: "logs", mountPath: "/logs" }] },
      ),
  ],
  [
    "a DaemonSet maxSurge 1 (maxUnavailable defaults to 1)",
    true,
    () => daemonSet({ updateStrategy: { rollingUpdate: { maxSurge: 1 } } }),
  ],
  [
    "a DaemonSet maxSurge 1 and maxUnavailable 0",
    false,
    () => daemonSet({ updateStrategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }),
  ],
  ["a DaemonSet with an empty selector", true, () => daemonSet({ selector: {} })],
  // Services
  ["a Service type Nodeport", true, () => service({ type: "Nodeport", ports: [{ port: 80 }] })],
  ["a Service port 0", true, () => service({ ports: [{ port: 0 }] })],
  ["a Service port 70000", true, () => service({ ports: [{ port: 70000 }] })],
  ["a Service protocol HTTP", true, () => service({ ports: [{ port: 80, protocol: "HTTP" }] })],
  ["a Service without ports", true, () => service({ selector: { app: "app" } })],
  ["a headless Service without ports", false, () => service({ clusterIP: "None", selector: { app: "app" } })],
  ["an ExternalName Service without externalName", true, () => service({ type: "ExternalName" })],
  ["an ExternalName Service", false, () => service({ type: "ExternalName", externalName: "db.example.com" })],
  [
    "a Service with a second, unnamed port",
    true,
    () => service({ ports: [{ name: "http", port: 80 }, { port: 81 }] }),
  ],
  ["a Service port name in upper case", true, () => service({ ports: [{ name: "Http", port: 80 }] })],
  [
    "a Service port name of 20 characters (a DNS label)",
    false,
    () => service({ ports: [{ name: "http-alternative-web", port: 80 }] }),
  ],
  [
    "two Service ports with one name",
    true,
    () =>
      service({
        ports: [
          { name: "http", port: 80 },
          { name: "http", port: 81 },
        ],
      }),
  ],
  [
    "a targetPort name with an underscore",
    true,
    () => service({ ports: [{ port: 80, targetPort: "http_port" }] }),
  ],
  ["a targetPort 0 (defaulted to the port)", false, () => service({ ports: [{ port: 80, targetPort: 0 }] })],
  ["a nodePort on a ClusterIP Service", true, () => service({ ports: [{ port: 80, nodePort: 30080 }] })],
  [
    "a nodePort on a NodePort Service",
    false,
    () => service({ type: "NodePort", ports: [{ port: 80, nodePort: 30080 }] }),
  ],
  [
    "externalTrafficPolicy on a ClusterIP Service",
    true,
    () => service({ externalTrafficPolicy: "Local", ports: [{ port: 80 }] }),
  ],
  [
    "externalTrafficPolicy on a NodePort Service",
    false,
    () => service({ type: "NodePort", externalTrafficPolicy: "Local", ports: [{ port: 80 }] }),
  ],
  ["sessionAffinity Sticky", true, () => service({ sessionAffinity: "Sticky", ports: [{ port: 80 }] })],
  [
    "a Service selector value with a space",
    true,
    () => service({ selector: { app: "my app" }, ports: [{ port: 80 }] }),
  ],
  // Ingresses
  ["an Ingress host in upper case", true, () => ingress({ host: "Blog.Example.com" })],
  ["an Ingress wildcard host", false, () => ingress({ host: "*.example.com" })],
  ["an Ingress host that is an IP address", true, () => ingress({ host: "10.0.0.1" })],
  ["an Ingress path that is not absolute", true, () => ingress({}, { path: "blog" })],
  ["an Ingress pathType prefix (lower case)", true, () => ingress({}, { pathType: "prefix" })],
  ["an Ingress Prefix path with '//'", true, () => ingress({}, { path: "/a//b" })],
  [
    "an ImplementationSpecific path with '//'",
    false,
    () => ingress({}, { path: "/a//b", pathType: "ImplementationSpecific" }),
  ],
  [
    "an ImplementationSpecific rule without a path",
    false,
    () => ingress({}, { path: undefined, pathType: "ImplementationSpecific" }),
  ],
  [
    "an Ingress backend port 0",
    true,
    () => ingress({}, { backend: { service: { name: "web", port: { number: 0 } } } }),
  ],
  [
    "an Ingress backend port 70000",
    true,
    () => ingress({}, { backend: { service: { name: "web", port: { number: 70000 } } } }),
  ],
  [
    "an Ingress backend port name of 16 characters",
    true,
    () => ingress({}, { backend: { service: { name: "web", port: { name: "http-alternative" } } } }),
  ],
  [
    "an Ingress backend port by name",
    false,
    () => ingress({}, { backend: { service: { name: "web", port: { name: "http" } } } }),
  ],
  [
    "an Ingress TLS host with an underscore",
    true,
    () => ingress({}, {}, { tls: [{ hosts: ["bad_host.example.com"] }] }),
  ],
  // data keys
  [
    "a ConfigMap key with a space",
    true,
    () => object("v1", "ConfigMap", "app", undefined, { data: { "a b": "x" } }),
  ],
  ["a ConfigMap key '..'", true, () => object("v1", "ConfigMap", "app", undefined, { data: { "..": "x" } })],
  [
    "a ConfigMap key in data and binaryData",
    true,
    () => object("v1", "ConfigMap", "app", undefined, { data: { k: "x" }, binaryData: { k: "eA==" } }),
  ],
  [
    "ConfigMap keys with dots, dashes, underscores and capitals",
    false,
    () => object("v1", "ConfigMap", "app", undefined, { data: { "App.Config_1-2": "x", ".env": "y" } }),
  ],
  [
    "a Secret key with a slash",
    true,
    () => object("v1", "Secret", "app", undefined, { stringData: { "a/b": "x" } }),
  ],
  [
    "a Secret key in data and stringData (stringData wins)",
    false,
    () => object("v1", "Secret", "app", undefined, { data: { k: "eA==" }, stringData: { k: "y" } }),
  ],
  // budgets and autoscalers
  ["a PodDisruptionBudget with both bounds", true, () => budget({ minAvailable: 1, maxUnavailable: 1 })],
  ["a PodDisruptionBudget minAvailable 150%", true, () => budget({ minAvailable: "150%" })],
  ["a PodDisruptionBudget minAvailable 100%", false, () => budget({ minAvailable: "100%" })],
  ["an HPA with minReplicas 0", true, () => autoscaler({ minReplicas: 0, maxReplicas: 3 })],
  ["an HPA with maxReplicas below minReplicas", true, () => autoscaler({ minReplicas: 3, maxReplicas: 2 })],
  ["an HPA with minReplicas = maxReplicas = 1", false, () => autoscaler({ minReplicas: 1, maxReplicas: 1 })],
];

/** An Ingress with one rule and path, `rule` and `path` merged in (undefined deletes). */
function ingress(rule: Json, path: Json = {}, spec: Json = {}): KubeObject {
  const http: Json = {
    path: "/",
    pathType: "Prefix",
    backend: { service: { name: "web", port: { number: 80 } } },
  };
  for (const [key, value] of Object.entries(path)) {
    if (value === undefined) delete http[key];
    else http[key] = value;
  }
  return object("networking.k8s.io/v1", "Ingress", "web", {
    rules: [{ ...rule, http: { paths: [http] } }],
    ...spec,
  });
}

function annotated(key: string): KubeObject {
  const config = object("v1", "ConfigMap", "app", undefined, { data: {} });
  config.metadata.annotations = { [key]: "x" };
  return config;
}

function editedDeploymentNamed(name: string): KubeObject {
  const deployment = editedDeployment(() => {});
  deployment.metadata.name = name;
  return deployment;
}

describe("other kinds", () => {
  for (const [name, expectRefused, build] of OTHER_CASES) {
    test(`${name}: ${expectRefused ? "refused" : "accepted"} offline and by the apiserver`, async () => {
      await assertVerdict(build(), expectRefused);
    });
  }
});

/** apiVersion, kind, and whether the apiserver serves the pair. */
const KINDS: [string, string, boolean][] = [
  ["v1", "Deployment", false],
  ["apps/v1", "Deploymnet", false],
  ["v1", "PodDisruptionBudget", false],
  ["app/v1", "Deployment", false],
  ["apps/v2", "Deployment", false],
  ["v1", "configmap", false],
  ["policy/v1beta1", "PodDisruptionBudget", false],
  ["apps/v1", "Deployment", true],
  ["policy/v1", "PodDisruptionBudget", true],
  ["autoscaling/v1", "HorizontalPodAutoscaler", true],
  ["autoscaling/v2", "HorizontalPodAutoscaler", true],
  ["v1", "ConfigMap", true],
  ["batch/v1", "CronJob", true],
  ["networking.k8s.io/v1", "Ingress", true],
  ["events.k8s.io/v1", "Event", true],
];

describe("kinds", () => {
  for (const [apiVersion, kind, served] of KINDS) {
    test(`${apiVersion} ${kind}: ${served ? "served" : "not served"}, and check agrees`, async () => {
      const found = await cluster.resourceFor(apiVersion, kind);
      assert.equal(found !== undefined, served, "the apiserver's discovery");
      const refused = unknownKind(apiVersion, kind) ?? removal(apiVersion, kind);
      assert.equal(refused === undefined, served, `check: ${JSON.stringify(refused)}`);
    });
  }
});
