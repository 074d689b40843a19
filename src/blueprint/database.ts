// A single-instance MySQL: StatefulSet with its own RWO volume, a headless Service for its stable DNS name,
// a NetworkPolicy admitting only the constructs allowed to reach it, and its passwords in a Secret.
import type { StatefulSet } from "kubernetes-types/apps/v1.js";
import type { SecretKeySelector, Service } from "kubernetes-types/core/v1.js";
import { IGNORE_ANNOTATION } from "../k8s/annotations.ts";
import { type App, type Construct, type Resource, resource, type Selectable } from "./app.ts";
import {
  containerSecurity,
  containerSecurityNotes,
  type ImageNeeds,
  scratchVolumes,
} from "./container-security.ts";
import { declareSecrets, declareSecretsNote, GeneratedSecret } from "./generated-secret.ts";
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

export interface DatabaseProps {
  image?: string;
  /** The database and user created at first start. */
  database?: string;
  user?: string;
  cpu?: string;
  memory?: string;
  /** Ephemeral storage (logs, the temp and socket emptyDirs), requests == limits. */
  ephemeralStorage?: string;
  storageSize?: string;
  /** Unset → the cluster's default StorageClass (seed: rook-ceph-block). */
  storageClass?: string;
  /** The Secret holding the root and user passwords (see secret.ts for who creates it). */
  secretName?: string;
  /** Emit the Secret with freshly generated passwords instead of leaving it to `deploy`. */
  withSecret?: boolean;
  /** Labels its pods carry; `tier` tells it apart from the web tier of the same app. */
  app?: string;
  tier?: string;
}

const DEFAULTS = {
  // 8.4 is MySQL's LTS line; a pinned patch release so a re-apply never changes the server under the data.
  image: "mysql:8.4.6",
  database: "wordpress",
  user: "wordpress",
  // Guaranteed QoS: the database is the last thing the kubelet should OOM-kill.
  cpu: "500m",
  memory: "1Gi",
  // Logs plus on-disk temporary tables in /tmp (large sorts and ALTERs spill there).
  ephemeralStorage: "2Gi",
  storageSize: "20Gi",
  withSecret: false,
  tier: "mysql",
} satisfies DatabaseProps;

const PORT = 3306;
/** What one instance cannot have: a PDB could only block drains, and a preStop sleep has no other replica to
 * shift traffic to. Said once here, so `shipshape check` reports the real problems. */
const SINGLE_INSTANCE_TRADE_OFFS = ["replicas-single", "pdb-missing", "prestop-missing"];
/** What the image's entrypoint does as root before the server runs as the mysql user: chown the data and
 * socket directories (CHOWN) and switch user (SETUID, SETGID). The official image's docker-entrypoint.sh
 * also walks the data directory with `find` as root, through subdirectories only mysql may read
 * (DAC_OVERRIDE; DAC_READ_SEARCH would do, but Pod Security "baseline" does not allow adding it). The
 * socket and pid file go under /run/mysqld (the official image's /var/run is a link to /run), temporary
 * tables under /tmp; everything else lives on the data volume. */
export const MYSQL_NEEDS: ImageNeeds = {
  capabilities: ["CHOWN", "DAC_OVERRIDE", "SETGID", "SETUID"],
  writablePaths: ["/run/mysqld", "/tmp"],
};

/** What the peers flag in a single MySQL started by its official image, and why it stays. */
const DATABASE_EXEMPTIONS: Exemption[] = [
  {
    reason:
      "the image starts as root to chown its data directory, then runs mysqld as the mysql user; capabilities are dropped but those steps",
    kubeScore: ["container-security-context-user-group-id"],
    polaris: ["runAsRootAllowed", "insecureCapabilities"],
    kubeLinter: ["run-as-non-root"],
  },
  {
    reason:
      "one instance by design (seed): no PDB, which could only block drains, nothing to spread, and no liveness probe, since restarting the only database hides its failure",
    polaris: ["missingPodDisruptionBudget", "topologySpreadConstraint", "livenessProbeMissing"],
  },
  PINNED_PULL_EXEMPTION,
  NO_PRIORITY_CLASS_EXEMPTION,
];

export const ROOT_PASSWORD_KEY = "mysql-root-password";
export const USER_PASSWORD_KEY = "mysql-password";

export class Database implements Construct, Selectable {
  readonly name: string;
  readonly namespace: string;
  readonly props: Defaulted<DatabaseProps, typeof DEFAULTS>;
  readonly port = PORT;
  /** The root and user passwords. */
  readonly secret: GeneratedSecret;
  readonly #allowed: Selectable[] = [];

  constructor(app: App, name: string, props: DatabaseProps = {}) {
    this.name = name;
    this.namespace = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    this.secret = new GeneratedSecret(app, props.secretName ?? name, {
      keys: [ROOT_PASSWORD_KEY, USER_PASSWORD_KEY],
      emit: this.props.withSecret,
    });
    app.register(this);
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

  get secretName(): string {
    return this.secret.name;
  }

  /** Where the application user's password is: for the clients' `secretKeyRef`. */
  get userPasswordRef(): SecretKeySelector {
    return this.secret.ref(USER_PASSWORD_KEY);
  }

  /** "name.namespace.svc:3306": the Service DNS name, independent of the cluster domain. */
  get address(): string {
    return `${this.name}.${this.namespace}.svc:${PORT}`;
  }

  /** Admit `client`'s pods to the database port (everything else is denied by the NetworkPolicy). */
  allowFrom(client: Selectable): this {
    if (!this.#allowed.includes(client)) this.#allowed.push(client);
    return this;
  }

  resources(): Resource[] {
    return [this.#service(), this.#statefulSet(), this.#networkPolicy()];
  }

  #service(): Resource {
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: this.name, namespace: this.namespace, labels: this.labels },
      spec: {
        clusterIP: "None",
        selector: this.selectorLabels,
        ports: [{ name: "mysql", port: PORT, targetPort: "mysql" }],
      },
    };
    return resource(service, {
      "spec.clusterIP":
        "split app and DB: headless, the StatefulSet's stable DNS name the web tier connects to",
    });
  }

  #statefulSet(): Resource {
    const { image, database, user, cpu, memory, ephemeralStorage, storageSize, storageClass } = this.props;
    const scratch = scratchVolumes(MYSQL_NEEDS);
    const secretRef = (key: string) => ({ valueFrom: { secretKeyRef: this.secret.ref(key) } });
    const statefulSet: StatefulSet = {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: this.labels,
        annotations: {
          ...declareSecrets([this.secret]),
          [IGNORE_ANNOTATION]: SINGLE_INSTANCE_TRADE_OFFS.join(", "),
          ...exemptionAnnotations(DATABASE_EXEMPTIONS),
        },
      },
      spec: {
        serviceName: this.name,
        replicas: 1,
        selector: { matchLabels: this.selectorLabels },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        template: {
          metadata: { labels: this.labels },
          spec: {
            ...hardenedPod(),
            terminationGracePeriodSeconds: 60,
            containers: [
              {
                name: "mysql",
                image,
                imagePullPolicy: "IfNotPresent",
                args: ["--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
                ports: [{ name: "mysql", containerPort: PORT }],
                env: [
                  { name: "MYSQL_ROOT_PASSWORD", ...secretRef(ROOT_PASSWORD_KEY) },
                  { name: "MYSQL_DATABASE", value: database },
                  { name: "MYSQL_USER", value: user },
                  { name: "MYSQL_PASSWORD", ...secretRef(USER_PASSWORD_KEY) },
                ],
                readinessProbe: {
                  // Over TCP, so it passes only once the real server listens (not the init-time one);
                  // mysqladmin ping succeeds even when access is denied, so it needs no password.
                  exec: { command: ["mysqladmin", "ping", "--host=127.0.0.1", "--silent"] },
                  initialDelaySeconds: 10,
                  periodSeconds: 5,
                  timeoutSeconds: 3,
                },
                resources: guaranteed(cpu, memory, ephemeralStorage),
                securityContext: containerSecurity(MYSQL_NEEDS),
                volumeMounts: [{ name: "data", mountPath: "/var/lib/mysql" }, ...scratch.mounts],
              },
            ],
            volumes: scratch.volumes,
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: "data", labels: this.labels },
            spec: {
              accessModes: ["ReadWriteOnce"],
              ...(storageClass && { storageClassName: storageClass }),
              resources: { requests: { storage: storageSize } },
            },
          },
        ],
      },
    };
    const container = "spec.template.spec.containers[0]";
    return resource(statefulSet, {
      ...declareSecretsNote([this.secret]),
      [`metadata.annotations["${IGNORE_ANNOTATION}"]`]:
        "single instance by design (seed): no PDB, which could only block drains; HA needs a replicated cluster",
      "spec.replicas": "split app and DB: one MySQL instance that every web replica shares",
      "spec.persistentVolumeClaimRetentionPolicy":
        "persistence: deleting or scaling the StatefulSet keeps the data",
      ...hardenedPodNote("spec.template.spec"),
      "spec.template.spec.terminationGracePeriodSeconds":
        "persistence: time for InnoDB to flush and shut down cleanly",
      [`${container}.image`]: "pinned tag: never latest, so pulling only when absent gets the same image",
      [`${container}.args`]: "utf8mb4: full Unicode (emoji) in posts and comments",
      [`${container}.env[0]`]: `secrets: passwords from Secret ${this.secretName} by secretKeyRef, never a literal`,
      [`${container}.readinessProbe`]: "health: ready only when the server answers",
      [`${container}.resources`]: GUARANTEED_NOTE,
      ...containerSecurityNotes(container, MYSQL_NEEDS),
      ...exemptionNotes(DATABASE_EXEMPTIONS),
      "spec.volumeClaimTemplates": "persistence: a ReadWriteOnce volume of its own (seed: rook-ceph-block)",
    });
  }

  #networkPolicy(): Resource {
    // No client yet → no ingress rule at all (deny everything): a rule with an empty `from` would admit every pod.
    const clients = this.#allowed.length
      ? [
          {
            from: this.#allowed.map((client) => ({ podSelector: { matchLabels: client.selectorLabels } })),
            ports: [{ protocol: "TCP", port: PORT }],
          },
        ]
      : [];
    const policy = podPolicy(this, this.labels, { ingress: clients, egress: [DNS_EGRESS] });
    return resource(policy, {
      "spec.policyTypes": `security: only ${this.#allowed.map((c) => c.name).join(", ") || "nothing"} may reach MySQL, on ${PORT} only; MySQL itself reaches nothing but DNS`,
      "spec.egress": "DNS only: mysqld resolves its clients' addresses (unless --skip-name-resolve)",
    });
  }
}
