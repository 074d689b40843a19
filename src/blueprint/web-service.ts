// A stateless HTTP tier: Deployment + Service + PodDisruptionBudget + HorizontalPodAutoscaler, with the
// settings that keep it serving through node loss, drains, rollouts and load.
import type { Deployment } from "kubernetes-types/apps/v1.js";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2.js";
import type {
  Affinity,
  Container,
  EnvVar,
  PodSpec,
  Service,
  TopologySpreadConstraint,
} from "kubernetes-types/core/v1.js";
import type { NetworkPolicyIngressRule } from "kubernetes-types/networking/v1.js";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1.js";
import { InputError } from "../errors.ts";
import { type App, type Construct, type Resource, resource, type Selectable } from "./app.ts";
import {
  containerSecurity,
  containerSecurityNotes,
  type ImageNeeds,
  scratchVolumes,
} from "./container-security.ts";
import type { Database } from "./database.ts";
import { declareSecrets, declareSecretsNote, type GeneratedSecret } from "./generated-secret.ts";
import { Ingress, type IngressProps } from "./ingress.ts";
import { DNS_EGRESS, podPolicy } from "./network-policy.ts";
import {
  type Exemption,
  exemptionAnnotations,
  exemptionNotes,
  NO_PRIORITY_CLASS_EXEMPTION,
  PINNED_PULL_EXEMPTION,
} from "./peer-exemptions.ts";
import { GUARANTEED_NOTE, guaranteed, hardenedPod, hardenedPodNote } from "./pod.ts";
import { type Defaulted, withDefaults } from "./props.ts";
import { recommendedLabels } from "./recommended-labels.ts";
import type { SharedVolume } from "./volume.ts";

export type AntiAffinity = "soft" | "hard" | "spread";

export interface AutoscaleProps {
  maxReplicas?: number;
  /** Target average CPU use, in percent of the requests. */
  cpuUtilization?: number;
  /** How long load must stay low before replicas are removed. */
  scaleDownStabilizationSeconds?: number;
}

export interface WebServiceProps {
  image: string;
  /** The port the container listens on (named "http"). */
  port?: number;
  /** Replicas; with autoscaling, the HPA's minimum (and `spec.replicas` is left to the HPA). */
  replicas?: number;
  cpu?: string;
  memory?: string;
  /** Ephemeral storage (logs, the image's scratch emptyDirs), requests == limits. */
  ephemeralStorage?: string;
  /** The capabilities and writable paths the image needs under a read-only root filesystem. */
  imageNeeds?: ImageNeeds;
  /** What the peer linters flag in this image that stays a deliberate choice (e.g. it starts as root). */
  exemptions?: readonly Exemption[];
  /** The namespace of the ingress controller: the only pods the NetworkPolicy admits (but for NodePort). */
  ingressNamespace?: string;
  env?: Record<string, string>;
  readinessPath?: string;
  liveness?: boolean;
  /** What the liveness (and startup) probe GETs: a page that needs no backend, so a database outage
   * does not restart every web pod. Unset: a TCP check of the port. */
  livenessPath?: string;
  preStopSeconds?: number;
  terminationGracePeriodSeconds?: number;
  antiAffinity?: AntiAffinity;
  /** `false` turns the HorizontalPodAutoscaler off and fixes `spec.replicas`. */
  autoscale?: AutoscaleProps | false;
  serviceType?: "ClusterIP" | "NodePort";
  app?: string;
  tier?: string;
}

const DEFAULTS = {
  port: 80,
  // Three, so losing a node or draining one still leaves two serving (seed: replicas 3).
  replicas: 3,
  // Seed's measured values: ~100Mi memory per pod; CPU is compressible, so a small slice is safe.
  cpu: "200m",
  memory: "100Mi",
  // Logs until the kubelet rotates them, plus temp files (uploads in flight) on the scratch emptyDirs.
  ephemeralStorage: "1Gi",
  // An image that needs nothing back: every capability dropped, /tmp its only writable path.
  imageNeeds: { capabilities: [], writablePaths: ["/tmp"] },
  readinessPath: "/",
  // Off by default: a restart would hide the failure; keep the pod for diagnosis and alert instead (seed).
  liveness: false,
  // Long enough for the endpoints controller and every kube-proxy/ingress to drop the pod (seed: 20 s).
  preStopSeconds: 20,
  // Must exceed preStopSeconds, or the kubelet kills the pod mid-sleep.
  terminationGracePeriodSeconds: 30,
  // Soft: prefer one replica per node, but still schedule when there are fewer nodes than replicas.
  antiAffinity: "soft",
  serviceType: "ClusterIP",
  tier: "frontend",
} satisfies Omit<WebServiceProps, "image">;

const AUTOSCALE_DEFAULTS = {
  // Seed: `kubectl autoscale --cpu-percent=20 --min=3 --max=6`.
  maxReplicas: 6,
  cpuUtilization: 20,
  // Five minutes of low load before scaling in, so a bursty site does not flap.
  scaleDownStabilizationSeconds: 300,
} satisfies Required<AutoscaleProps>;

/** Liveness is off by default, on purpose: a restart would hide the failure that a kept pod shows. */
const NO_LIVENESS_EXEMPTION: Exemption = {
  reason:
    "no livenessProbe by default: a failing pod is kept for diagnosis, readiness takes it out of service",
  polaris: ["livenessProbeMissing"],
};

/** Spread asks for a topology spread constraint instead of anti-affinity: the same one-per-node goal,
 * and it keeps a rollout's surge pod schedulable. */
const SPREAD_EXEMPTION: Exemption = {
  reason:
    "replicas are spread over nodes by a topology spread constraint instead, as --anti-affinity spread asks",
  kubeScore: ["deployment-has-host-podantiaffinity"],
  kubeLinter: ["no-anti-affinity"],
};

/** Soft and hard ask for pod anti-affinity instead of a topology spread constraint: one pod per node. */
const ANTI_AFFINITY_EXEMPTION: Exemption = {
  reason: "replicas are spread over nodes by pod anti-affinity instead, as --anti-affinity soft or hard asks",
  polaris: ["topologySpreadConstraint"],
};

export class WebService implements Construct, Selectable {
  readonly name: string;
  readonly namespace: string;
  readonly props: Defaulted<WebServiceProps, typeof DEFAULTS>;
  readonly autoscale: Defaulted<AutoscaleProps, typeof AUTOSCALE_DEFAULTS> | undefined;
  readonly #app: App;
  readonly #env: EnvVar[] = [];
  readonly #mounts: { path: string; volume: SharedVolume }[] = [];
  readonly #envNotes: Record<number, string> = {};
  readonly #secrets: GeneratedSecret[] = [];
  readonly #upstreams: Database[] = [];

  constructor(app: App, name: string, props: WebServiceProps) {
    this.#app = app;
    this.name = name;
    this.namespace = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    this.autoscale =
      props.autoscale === false ? undefined : withDefaults(AUTOSCALE_DEFAULTS, props.autoscale ?? {});
    this.#validate();
    for (const [key, value] of Object.entries(this.props.env ?? {})) this.#env.push({ name: key, value });
    app.register(this);
  }

  #validate(): void {
    const { replicas, preStopSeconds, terminationGracePeriodSeconds } = this.props;
    const fail = (field: string, message: string) =>
      new InputError(message, { object: `WebService ${this.name}`, field });
    if (!Number.isInteger(replicas) || replicas < 1)
      throw fail("replicas", `must be an integer ≥ 1, got ${replicas}`);
    if (preStopSeconds >= terminationGracePeriodSeconds) {
      throw fail(
        "preStopSeconds",
        `must be shorter than terminationGracePeriodSeconds (${preStopSeconds} ≥ ${terminationGracePeriodSeconds}): the kubelet would kill the pod mid-sleep`,
      );
    }
    if (this.autoscale && this.autoscale.maxReplicas < replicas) {
      throw fail(
        "maxReplicas",
        `must be ≥ replicas (the autoscaler's minimum): ${this.autoscale.maxReplicas} < ${replicas}`,
      );
    }
  }

  get selectorLabels(): Record<string, string> {
    return { app: this.props.app ?? this.name, tier: this.props.tier };
  }

  /** The selector labels plus the recommended app.kubernetes.io ones: every object's and pod's labels. */
  get labels(): Record<string, string> {
    const { image, app, tier } = this.props;
    return {
      ...this.selectorLabels,
      ...recommendedLabels({ instance: this.name, image, component: tier, partOf: app ?? this.name }),
    };
  }

  /** The most replicas that can run at once, which every mounted volume must allow. */
  get maxReplicas(): number {
    return this.autoscale?.maxReplicas ?? this.props.replicas;
  }

  /** Reach `db`: its address and credentials in the given env vars, and `db` admits this tier's pods. */
  connectTo(db: Database, env: { host: string; user: string; password: string; database: string }): this {
    const first = this.#env.length;
    this.#env.push(
      { name: env.host, value: db.address },
      { name: env.user, value: db.props.user },
      { name: env.password, valueFrom: { secretKeyRef: db.userPasswordRef } },
      { name: env.database, value: db.props.database },
    );
    this.#envNotes[first] = "split app and DB: the database through its Service DNS name";
    this.#envNotes[first + 2] =
      `secrets: the password from Secret ${db.secretName} by secretKeyRef, never a literal`;
    db.allowFrom(this);
    if (!this.#upstreams.includes(db)) this.#upstreams.push(db);
    return this;
  }

  /** Env vars from a generated Secret (`{ ENV_NAME: "key" }`); the Deployment declares the Secret for deploy. */
  useSecret(secret: GeneratedSecret, env: Record<string, string>): this {
    const first = this.#env.length;
    for (const [name, key] of Object.entries(env))
      this.#env.push({ name, valueFrom: { secretKeyRef: secret.ref(key) } });
    this.#envNotes[first] = `secrets: from Secret ${secret.name} by secretKeyRef, generated, never a literal`;
    if (!this.#secrets.includes(secret)) this.#secrets.push(secret);
    return this;
  }

  /** Mount `volume` at `path` in every replica; refused when the volume cannot follow replicas across nodes. */
  mount(path: string, volume: SharedVolume): this {
    volume.assertMountableBy(this.maxReplicas, `WebService ${this.name}`);
    this.#mounts.push({ path, volume });
    return this;
  }

  /** Route `host` to this Service through an Ingress (standard + cert-manager, or Traefik IngressRoutes). */
  exposeViaIngress(props: IngressProps): Ingress {
    return new Ingress(this.#app, this.name, { ...props, service: this.name, port: this.props.port });
  }

  resources(): Resource[] {
    return [
      this.#service(),
      this.#deployment(),
      this.#budget(),
      ...(this.autoscale ? [this.#autoscaler()] : []),
      this.#networkPolicy(),
    ];
  }

  #service(): Resource {
    const { port, serviceType } = this.props;
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        type: serviceType,
        selector: this.selectorLabels,
        ports: [{ name: "http", port, targetPort: "http" }],
      },
    };
    return resource(service, {
      "spec.type":
        serviceType === "NodePort"
          ? "exposure: NodePort on request (every node's port reaches the pods; prefer the Ingress)"
          : "exposure: ClusterIP, reached from outside only through the Ingress",
    });
  }

  #container(): Container {
    const {
      image,
      port,
      cpu,
      memory,
      ephemeralStorage,
      imageNeeds,
      readinessPath,
      liveness,
      preStopSeconds,
    } = this.props;
    const { livenessPath } = this.props;
    // A fresh object per probe: one shared would render as a YAML anchor and alias.
    const alive = () =>
      livenessPath ? { httpGet: { path: livenessPath, port: "http" } } : { tcpSocket: { port: "http" } };
    return {
      name: this.name,
      image,
      imagePullPolicy: "IfNotPresent",
      ports: [{ name: "http", containerPort: port }],
      ...(this.#env.length && { env: this.#env }),
      readinessProbe: {
        httpGet: { path: readinessPath, port: "http" },
        initialDelaySeconds: 5,
        periodSeconds: 5,
        timeoutSeconds: 3,
        failureThreshold: 3,
      },
      ...(liveness && {
        // Liveness starts only once this passes, so a slow first start (copying the site onto an empty
        // shared volume) is not mistaken for a hang: up to 5 minutes, then the liveness probe's 1.
        startupProbe: {
          ...alive(),
          periodSeconds: 5,
          timeoutSeconds: 3,
          failureThreshold: 60,
        },
        livenessProbe: {
          ...alive(),
          periodSeconds: 10,
          timeoutSeconds: 5,
          failureThreshold: 6,
        },
      }),
      lifecycle: { preStop: { sleep: { seconds: preStopSeconds } } },
      resources: guaranteed(cpu, memory, ephemeralStorage),
      securityContext: containerSecurity(imageNeeds),
      volumeMounts: [
        ...this.#mounts.map(({ path, volume }) => ({ name: volume.name, mountPath: path })),
        ...scratchVolumes(imageNeeds).mounts,
      ],
    };
  }

  /** Pinned pulls, no liveness probe when it is off, spread without anti-affinity, and what the image
   * itself needs waived. */
  get #exemptions(): Exemption[] {
    return [
      PINNED_PULL_EXEMPTION,
      ...(this.props.liveness ? [] : [NO_LIVENESS_EXEMPTION]),
      this.props.antiAffinity === "spread" ? SPREAD_EXEMPTION : ANTI_AFFINITY_EXEMPTION,
      NO_PRIORITY_CLASS_EXEMPTION,
      ...(this.props.exemptions ?? []),
    ];
  }

  #spread(): Pick<PodSpec, "affinity" | "topologySpreadConstraints"> {
    const term = {
      topologyKey: "kubernetes.io/hostname",
      labelSelector: { matchLabels: this.selectorLabels },
    };
    switch (this.props.antiAffinity) {
      case "soft": {
        const affinity: Affinity = {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }],
          },
        };
        return { affinity };
      }
      case "hard":
        return { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } } };
      case "spread": {
        const constraint: TopologySpreadConstraint = {
          ...term,
          maxSkew: 1,
          whenUnsatisfiable: "DoNotSchedule",
          // Count only pods of the same revision, so a rollout's surge pod is not blocked by old ones.
          matchLabelKeys: ["pod-template-hash"],
        };
        return { topologySpreadConstraints: [constraint] };
      }
    }
  }

  #deployment(): Resource {
    const { replicas, terminationGracePeriodSeconds, antiAffinity, liveness, preStopSeconds } = this.props;
    const deployment: Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: this.labels,
        annotations: { ...declareSecrets(this.#secrets), ...exemptionAnnotations(this.#exemptions) },
      },
      spec: {
        ...(!this.autoscale && { replicas }),
        selector: { matchLabels: this.selectorLabels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: {
          metadata: { labels: this.labels },
          spec: {
            ...hardenedPod(),
            // Service links would inject WORDPRESS_PORT-style variables that clash with the image's settings.
            enableServiceLinks: false,
            terminationGracePeriodSeconds,
            ...this.#spread(),
            containers: [this.#container()],
            volumes: [
              ...this.#mounts.map(({ volume }) => ({
                name: volume.name,
                persistentVolumeClaim: { claimName: volume.name },
              })),
              ...scratchVolumes(this.props.imageNeeds).volumes,
            ],
          },
        },
      },
    };
    const pod = "spec.template.spec";
    const container = `${pod}.containers[0]`;
    const spreadField = antiAffinity === "spread" ? "topologySpreadConstraints" : "affinity";
    const notes: Record<string, string> = {
      [this.autoscale ? "spec.selector" : "spec.replicas"]: this.autoscale
        ? `HPA: no spec.replicas here on purpose, the HPA owns it (min ${replicas}), so a re-apply never resets a scale-up`
        : `high availability: ${replicas} replicas, no single point of failure`,
      ...declareSecretsNote(this.#secrets),
      ...exemptionNotes(this.#exemptions),
      ...hardenedPodNote(pod),
      "spec.strategy":
        "rolling update: one extra pod at a time, never one fewer (maxSurge 1, maxUnavailable 0)",
      [`${pod}.terminationGracePeriodSeconds`]: `zero downtime: longer than the ${preStopSeconds}s preStop sleep`,
      [`${pod}.${spreadField}`]: `high availability: replicas spread over nodes (${antiAffinity})`,
      [`${container}.image`]: "pinned tag: never latest, so pulling only when absent gets the same image",
      [`${container}.readinessProbe`]: liveness
        ? "health: traffic only to pods that answer HTTP"
        : "health: traffic only to pods that answer HTTP; no livenessProbe on purpose (keep failures for diagnosis)",
      [`${container}.lifecycle`]:
        "zero downtime: keep serving while endpoints and load balancers drop this pod",
      [`${container}.resources`]: GUARANTEED_NOTE,
      ...containerSecurityNotes(container, this.props.imageNeeds),
    };
    if (liveness) {
      notes[`${container}.startupProbe`] =
        "health: liveness waits for the first answer, so a slow first start is not taken for a hang";
      notes[`${container}.livenessProbe`] =
        "health: restart a pod that stops answering; not the readiness check, so a database outage restarts nothing";
    }
    for (const [index, text] of Object.entries(this.#envNotes)) notes[`${container}.env[${index}]`] = text;
    notes[`${pod}.volumes`] = this.#mounts.length
      ? "persistence: shared files on a volume every replica mounts; scratch paths on emptyDirs"
      : "scratch paths on emptyDirs: the root filesystem is read-only";
    return resource(deployment, notes);
  }

  /** Ingress only from the ingress controller's pods (and from anywhere to a NodePort); egress only to the
   * databases this tier connects to, and DNS. */
  #networkPolicy(): Resource {
    const { port, ingressNamespace, serviceType } = this.props;
    const ports = [{ protocol: "TCP", port: "http" }];
    const ingress: NetworkPolicyIngressRule[] = [
      ...(ingressNamespace
        ? [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ingressNamespace } },
                },
              ],
              ports,
            },
          ]
        : []),
      // A NodePort's clients are whoever reaches a node: the source address is theirs, or a node's.
      ...(serviceType === "NodePort" ? [{ ports }] : []),
    ];
    const egress = [
      ...this.#upstreams.map((db) => ({
        to: [{ podSelector: { matchLabels: db.selectorLabels } }],
        ports: [{ protocol: "TCP", port: db.port }],
      })),
      DNS_EGRESS,
    ];
    const admitted = [
      ingressNamespace && `the ingress controller's pods (namespace ${ingressNamespace})`,
      serviceType === "NodePort" && "any client of the NodePort",
    ].filter(Boolean);
    return resource(podPolicy(this, this.labels, { ingress, egress }), {
      "spec.ingress": `security: only ${admitted.join(" and ") || "nothing"} may reach port ${port}`,
      "spec.egress": `security: out only to ${this.#upstreams.map((db) => db.name).join(", ") || "no database"} and DNS`,
    });
  }

  #budget(): Resource {
    const budget: PodDisruptionBudget = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: `${this.name}-pdb`, namespace: this.namespace, labels: this.labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: this.selectorLabels } },
    };
    return resource(budget, {
      "spec.maxUnavailable": "PDB: drains evict one pod at a time, and a drain can always proceed",
    });
  }

  #autoscaler(): Resource {
    const { maxReplicas, cpuUtilization, scaleDownStabilizationSeconds } = this.autoscale!;
    const hpa: HorizontalPodAutoscaler = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.name },
        minReplicas: this.props.replicas,
        maxReplicas,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: cpuUtilization } },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: scaleDownStabilizationSeconds } },
      },
    };
    return resource(hpa, {
      "spec.minReplicas": "HPA: never below the high-availability minimum",
      "spec.metrics": `HPA: add replicas when average CPU passes ${cpuUtilization}% of the requests`,
      "spec.behavior": "HPA: wait before scaling in, so a bursty site does not flap",
    });
  }
}
