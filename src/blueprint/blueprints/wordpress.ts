// The built-in blueprint: WordPress + MySQL as the seed tutorial ends up, modernised. Every setting a user
// may change is a flat, documented prop (the same keys a YAML config file holds).
import { InputError } from "../../errors.ts";
import { App } from "../app.ts";
import type { Blueprint } from "../blueprint.ts";
import type { ImageNeeds } from "../container-security.ts";
import { Database } from "../database.ts";
import { GeneratedSecret } from "../generated-secret.ts";
import { Namespace } from "../namespace.ts";
import type { Exemption } from "../peer-exemptions.ts";
import {
  checkProps,
  type Defaulted,
  dnsLabel,
  dnsName,
  type FieldSpec,
  type PropsSpec,
  withDefaults,
} from "../props.ts";
import { CephFilesystemStorage } from "../rook.ts";
import { type AccessMode, SharedVolume } from "../volume.ts";
import { type AntiAffinity, WebService } from "../web-service.ts";

export interface WordPressProps {
  namespace?: string;
  /** The public host name; the Ingress routes it and the certificate names it. */
  domain?: string;
  wordpressImage?: string;
  mysqlImage?: string;
  /** Web replicas; with autoscaling, the HPA minimum. */
  replicas?: number;
  autoscale?: boolean;
  maxReplicas?: number;
  cpuUtilization?: number;
  scaleDownStabilizationSeconds?: number;
  /** Web container CPU and memory, requests == limits. */
  cpu?: string;
  memory?: string;
  /** Web and MySQL ephemeral storage (logs, scratch emptyDirs), requests == limits. */
  ephemeralStorage?: string;
  dbEphemeralStorage?: string;
  liveness?: boolean;
  preStopSeconds?: number;
  terminationGracePeriodSeconds?: number;
  antiAffinity?: AntiAffinity;
  /** Service type NodePort instead of ClusterIP. */
  nodePort?: boolean;
  ingress?: "standard" | "traefik" | "none";
  /** The ingress controller's namespace: the only pods the web tier's NetworkPolicy admits. */
  ingressNamespace?: string;
  clusterIssuer?: string;
  ingressClassName?: string;
  certResolver?: string;
  /** The shared /var/www/html volume. */
  storageClass?: string;
  storageSize?: string;
  accessMode?: AccessMode;
  /** The MySQL volume and resources. */
  dbStorageClass?: string;
  dbStorageSize?: string;
  dbCpu?: string;
  dbMemory?: string;
  /** Also emit the Rook CephFilesystem + StorageClass (named `storageClass`) that provide RWX volumes. */
  rook?: boolean;
  /** Emit the generated Secrets (DB passwords, WordPress salts) with fresh values (else `deploy` creates them). */
  withSecrets?: boolean;
}

/** The blueprint's own defaults; the constructs' defaults (web-service.ts, database.ts…) fill in the rest. */
export const WORDPRESS_DEFAULTS = {
  namespace: "kube-example",
  domain: "wordpress.example.com",
  // A pinned release of the official image (Apache + mod_php), never latest.
  wordpressImage: "wordpress:6.8.3-apache",
  mysqlImage: "mysql:8.4.6",
  ingress: "standard",
  // The seed's CephFS class: RWX, so every replica mounts /var/www/html.
  storageClass: "csi-cephfs",
  rook: false,
  withSecrets: false,
} satisfies WordPressProps;

const integer = (doc: string, min: number, max?: number): FieldSpec => ({ type: "integer", min, max, doc });
const bool = (doc: string): FieldSpec => ({ type: "boolean", doc });
const quantity = (doc: string): FieldSpec => ({ type: "quantity", doc });
const image = (doc: string): FieldSpec => ({ type: "image", doc });
const name = (doc: string): FieldSpec => ({
  type: "string",
  pattern: /^\S+$/,
  hint: "a name without spaces",
  doc,
});
const oneOf = (doc: string, ...values: string[]): FieldSpec => ({ type: "enum", values, doc });

/** Where each controller installs by default (its Helm chart's usual namespace): the web tier admits it. */
const INGRESS_NAMESPACES = { standard: "ingress-nginx", traefik: "traefik", none: "ingress-nginx" } as const;

/** What the WordPress image (Apache + mod_php) does as root before serving as www-data: copy the site onto
 * an empty volume and chown it (CHOWN; DAC_OVERRIDE to write in the www-data-owned directory, and FOWNER
 * for the official image's `tar --owner`, which sets modes on files it has just given away), bind port 80
 * (NET_BIND_SERVICE) and switch Apache's children to www-data (SETUID, SETGID). Apache's pid file and lock
 * directory live under /run (/var/run and /var/lock link there on Debian, both images' base) and PHP
 * writes uploads in flight to /tmp; the site itself is on the shared volume. */
const WORDPRESS_NEEDS: ImageNeeds = {
  capabilities: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "NET_BIND_SERVICE", "SETGID", "SETUID"],
  writablePaths: ["/run/apache2", "/run/lock", "/tmp"],
};

const WORDPRESS_EXEMPTIONS: Exemption[] = [
  {
    reason:
      "the image starts as root to bind port 80 and chown the site, then serves as www-data; capabilities are dropped but those steps",
    kubeScore: ["container-security-context-user-group-id"],
    polaris: ["runAsRootAllowed", "insecureCapabilities"],
    kubeLinter: ["run-as-non-root"],
  },
];

const SALT_KEYS = ["auth", "secure-auth", "logged-in", "nonce"].flatMap((name) => [
  `${name}-key`,
  `${name}-salt`,
]);

/** Every setting, its type and its one-line help: config files and CLI flags are both checked against it. */
export const WORDPRESS_PROPS: PropsSpec = {
  namespace: { ...dnsLabel, doc: "namespace of every object" },
  domain: { ...dnsName, doc: "public host name routed by the Ingress and named by the certificate" },
  wordpressImage: image("WordPress image, pinned (a tag other than latest, or a digest)"),
  mysqlImage: image("MySQL image, pinned"),
  replicas: integer("web replicas; with autoscaling the HPA minimum (seed: 3)", 1),
  autoscale: bool("HorizontalPodAutoscaler on CPU (--no-autoscale fixes spec.replicas instead)"),
  maxReplicas: integer("HPA maximum (seed: 6)", 1),
  cpuUtilization: integer("HPA target: average CPU in % of requests (seed: 20)", 1, 100),
  scaleDownStabilizationSeconds: integer("HPA waits this long at low load before scaling in", 0, 3600),
  cpu: quantity("web CPU, requests == limits (seed: 200m)"),
  memory: quantity("web memory, requests == limits (seed: 100Mi)"),
  ephemeralStorage: quantity("web ephemeral storage (logs, /tmp), requests == limits"),
  dbEphemeralStorage: quantity(
    "MySQL ephemeral storage (logs, temporary tables in /tmp), requests == limits",
  ),
  liveness: bool("add an HTTP livenessProbe (off: keep a failing pod for diagnosis)"),
  preStopSeconds: integer("preStop sleep while endpoints drop the pod (seed: 20)", 0),
  terminationGracePeriodSeconds: integer("must exceed preStopSeconds", 1),
  antiAffinity: oneOf(
    "spread web pods over nodes: preferred, required, or topologySpread",
    "soft",
    "hard",
    "spread",
  ),
  nodePort: bool("Service type NodePort instead of ClusterIP"),
  ingress: oneOf(
    "Ingress + cert-manager, Traefik IngressRoutes, or no ingress",
    "standard",
    "traefik",
    "none",
  ),
  ingressNamespace: {
    ...dnsLabel,
    doc: `namespace of the ingress controller, the only one whose pods reach WordPress (default: ${INGRESS_NAMESPACES.traefik} for traefik, else ${INGRESS_NAMESPACES.standard})`,
  },
  clusterIssuer: name("cert-manager ClusterIssuer (standard ingress)"),
  ingressClassName: name("IngressClass (standard ingress; unset: the cluster default)"),
  certResolver: name("Traefik ACME certResolver (traefik ingress)"),
  storageClass: { ...dnsName, doc: "StorageClass of the RWX /var/www/html volume" },
  storageSize: quantity("size of the /var/www/html volume"),
  accessMode: oneOf(
    "access mode of the /var/www/html volume",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
    "ReadOnlyMany",
  ),
  dbStorageClass: { ...dnsName, doc: "StorageClass of the MySQL volume (unset: the cluster default)" },
  dbStorageSize: quantity("size of the MySQL volume"),
  dbCpu: quantity("MySQL CPU, requests == limits"),
  dbMemory: quantity("MySQL memory, requests == limits"),
  rook: bool("also emit the Rook CephFilesystem + StorageClass (reclaimPolicy Retain) named --storage-class"),
  withSecrets: bool(
    "emit the generated Secrets (DB passwords, WordPress salts) instead of leaving them to deploy",
  ),
};

/** WordPress + MySQL, production-grade: checks `input` (unknown keys, types, ranges) and composes the app. */
export function wordpress(input: WordPressProps = {}): App {
  const props = withDefaults(WORDPRESS_DEFAULTS, checkProps<WordPressProps>(input, WORDPRESS_PROPS));
  const app = new App({ namespace: props.namespace, name: "wordpress" });
  try {
    compose(app, props);
  } catch (error) {
    // The constructs name fields as the blueprint does; the config's user knows no construct names.
    if (error instanceof InputError && error.place.field)
      throw new InputError(error.message, { field: error.place.field });
    throw error;
  }
  return app;
}

function compose(app: App, props: Defaulted<WordPressProps, typeof WORDPRESS_DEFAULTS>): void {
  new Namespace(app);
  if (props.rook) new CephFilesystemStorage(app, { storageClass: props.storageClass });
  const db = new Database(app, "wordpress-mysql", {
    app: "wordpress",
    image: props.mysqlImage,
    cpu: props.dbCpu,
    memory: props.dbMemory,
    ephemeralStorage: props.dbEphemeralStorage,
    storageSize: props.dbStorageSize,
    storageClass: props.dbStorageClass,
    withSecret: props.withSecrets,
  });
  const data = new SharedVolume(app, "wordpress-data", {
    size: props.storageSize,
    storageClass: props.storageClass,
    accessMode: props.accessMode,
    labels: { app: "wordpress" },
  });
  const web = new WebService(app, "wordpress", {
    image: props.wordpressImage,
    replicas: props.replicas,
    cpu: props.cpu,
    memory: props.memory,
    ephemeralStorage: props.ephemeralStorage,
    imageNeeds: WORDPRESS_NEEDS,
    exemptions: WORDPRESS_EXEMPTIONS,
    ingressNamespace: props.ingressNamespace ?? INGRESS_NAMESPACES[props.ingress],
    // wp-login.php loads WordPress and its database: ready means able to serve a page.
    readinessPath: "/wp-login.php",
    liveness: props.liveness,
    // PHP answering without WordPress or its database: alive, even while MySQL restarts.
    livenessPath: "/wp-includes/version.php",
    preStopSeconds: props.preStopSeconds,
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
    antiAffinity: props.antiAffinity,
    serviceType: props.nodePort ? "NodePort" : "ClusterIP",
    autoscale:
      props.autoscale === false
        ? false
        : {
            maxReplicas: props.maxReplicas,
            cpuUtilization: props.cpuUtilization,
            scaleDownStabilizationSeconds: props.scaleDownStabilizationSeconds,
          },
  });
  web.connectTo(db, {
    host: "WORDPRESS_DB_HOST",
    user: "WORDPRESS_DB_USER",
    password: "WORDPRESS_DB_PASSWORD",
    database: "WORDPRESS_DB_NAME",
  });
  // The keys and salts that sign logins and nonces: generated once and shared, so every replica (and every
  // new pod) accepts the others' cookies, instead of each first start racing to write its own wp-config.php.
  const salts = new GeneratedSecret(app, "wordpress-salts", { keys: SALT_KEYS, emit: props.withSecrets });
  web.useSecret(
    salts,
    Object.fromEntries(SALT_KEYS.map((key) => [`WORDPRESS_${key.toUpperCase().replaceAll("-", "_")}`, key])),
  );
  web.mount("/var/www/html", data);
  if (props.ingress !== "none") {
    web.exposeViaIngress({
      host: props.domain,
      controller: props.ingress,
      clusterIssuer: props.clusterIssuer,
      ingressClassName: props.ingressClassName,
      certResolver: props.certResolver,
    });
  }
}

export const wordpressBlueprint: Blueprint = {
  name: "wordpress",
  summary: "WordPress + MySQL as the seed tutorial ends up, production-grade",
  spec: WORDPRESS_PROPS,
  defaults: WORDPRESS_DEFAULTS,
  build: (settings) => wordpress(settings as WordPressProps),
  notes: `Secrets: passwords and keys are never fixed and by default never printed. Workloads reference Secret
wordpress-mysql (mysql-root-password, mysql-password) and Secret wordpress-salts (WordPress's auth keys
and salts, shared by every replica) by secretKeyRef; the annotation shipshape.dev/generated-secrets on the
StatefulSet and the Deployment declares them, and \`shipshape deploy\` creates each with CSPRNG values when
it is absent and never overwrites it. --with-secrets prints them instead (annotated
shipshape.dev/generated-secret: "true"), with new values on every run: keep that file out of git.

Replicas: with autoscaling (default) the Deployment carries no spec.replicas, so re-applying never
undoes a scale-up; --replicas is the HPA minimum. --no-autoscale pins spec.replicas instead.`,
};
