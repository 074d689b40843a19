// A thin REST client over the kubeconfig that @kubernetes/client-node loads and authenticates.
// Objects travel as raw JSON (no typed models), so nothing the server returns is dropped or
// re-shaped: diffs, rollbacks and custom resources see exactly what the API server stores.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { fetch } from "undici";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { KubeConfig, RequestContext, Watch } from "./client-node.ts";
import { FIELD_MANAGER } from "./managed-fields.ts";

export interface ConnectOptions {
  /** A kubeconfig file; else $KUBECONFIG, else ~/.kube/config (as kubectl). */
  kubeconfig?: string;
  /** A context name from the kubeconfig; else its current-context. */
  context?: string;
}

/** The cluster cannot be reached or refuses our credentials: exit 2, like bad input. */
export class ClusterUnavailable extends InputError {
  constructor(message: string, server: string) {
    super(message, { object: `cluster ${server}` });
    this.name = "ClusterUnavailable";
  }
}

/** A non-2xx answer from the API server, with its Status reason and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly details: unknown;
  constructor(status: number, reason: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.reason = reason;
    this.details = details;
  }
}

export interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export interface ObjectList {
  items: KubeObject[];
  metadata: { resourceVersion?: string };
}

/** The methods shipshape sends (client-node's HttpMethod names the same strings). */
export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  /** 404 answers undefined instead of throwing. */
  allowMissing?: boolean;
  /** Answer the body as text (pod logs), not JSON. */
  text?: boolean;
}

const REQUEST_TIMEOUT_MS = 30_000;
/** Inside a pod, client-node's default is the pod's service account (in-cluster config). */
const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export class Cluster {
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  readonly contextName: string;
  /** The context's namespace, else "default" (as kubectl). */
  readonly defaultNamespace: string;
  readonly #discovery = new Map<string, Promise<ApiResource[] | undefined>>();
  #dispatcher: ReturnType<RequestContext["getDispatcher"]>;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.contextName = kubeConfig.getCurrentContext();
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new InputError(`kubeconfig context "${this.contextName}" names no cluster`);
    this.server = cluster.server;
    this.defaultNamespace = kubeConfig.getContextObject(this.contextName)?.namespace || "default";
  }

  /** Load the kubeconfig the way kubectl does; errors here are the user's to fix (exit 2). */
  static connect(options: ConnectOptions = {}): Cluster {
    const kc = new KubeConfig();
    const files = options.kubeconfig
      ? [options.kubeconfig]
      : (process.env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
    const home = join(homedir(), ".kube", "config");
    // Nothing configured: client-node would fall back to http://localhost:8080, a cluster nobody meant.
    if (files.length === 0 && !existsSync(home) && !existsSync(SERVICE_ACCOUNT_TOKEN)) {
      throw new InputError("no cluster configured: set KUBECONFIG or --kubeconfig");
    }
    const missing = files.find((file) => !existsSync(file));
    if (missing) throw new InputError("kubeconfig file not found", { file: missing });
    const file = files.length > 0 ? files.join(delimiter) : home;
    try {
      if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
      else kc.loadFromDefault();
    } catch (error) {
      throw new InputError(`cannot read kubeconfig: ${(error as Error).message.split("\n")[0]}`, { file });
    }
    if (options.context) {
      if (!kc.getContextObject(options.context)) {
        const known = kc.getContexts().map((c) => c.name);
        throw new InputError(
          `no context "${options.context}" in kubeconfig (have: ${known.join(", ") || "none"})`,
        );
      }
      kc.setCurrentContext(options.context);
    }
    if (!kc.getCurrentCluster()) throw new InputError("kubeconfig names no current cluster", { file });
    checkTransport(kc, file);
    return new Cluster(kc);
  }

  /** The kubeconfig turns TLS verification off (insecure-skip-tls-verify): the CLI says so. */
  get insecure(): boolean {
    return this.kubeConfig.getCurrentCluster()?.skipTLSVerify === true;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server.replace(/\/$/, "") + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), method);
    await this.kubeConfig.applySecurityAuthentication(context);
    // The kubeconfig hands out a new connection pool per request; keep the first, so requests reuse
    // its TLS connections instead of handshaking every time.
    this.#dispatcher ??= context.getDispatcher();
    const headers: Record<string, string> = { ...context.getHeaders(), accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        dispatcher: this.#dispatcher as never,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        // An API server does not redirect; whoever does is not to be trusted with our credentials.
        redirect: "manual",
      });
    } catch (error) {
      throw new ClusterUnavailable(`cannot reach the API server: ${networkReason(error)}`, this.server);
    }
    if (response.status >= 300 && response.status < 400) {
      const to = response.headers.get("location") ?? "nowhere";
      throw new ClusterUnavailable(
        `the API server answered with a redirect (${response.status} to ${to}): not followed`,
        this.server,
      );
    }
    const text = await response.text();
    if (response.ok) return (options.text ? text : text ? JSON.parse(text) : undefined) as T;
    if (response.status === 404 && options.allowMissing) return undefined as T;
    const status = parseStatus(text);
    if (response.status === 401) {
      throw new ClusterUnavailable(
        `credentials rejected (401 Unauthorized): expired or invalid for context "${this.contextName}"`,
        this.server,
      );
    }
    throw new ApiError(
      response.status,
      status.reason ?? String(response.status),
      status.message ?? text.slice(0, 300),
      status.details,
    );
  }

  /** Which resource serves `kind` in `apiVersion`, from discovery; undefined when none does. */
  async resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const find = async () =>
      (await this.#resources(apiVersion))?.find((r) => r.kind === kind && !r.name.includes("/"));
    const found = await find();
    if (found) return found;
    // A CRD applied moments ago is not in the cached discovery yet: ask once more.
    this.#discovery.delete(apiVersion);
    return find();
  }

  #resources(apiVersion: string): Promise<ApiResource[] | undefined> {
    let cached = this.#discovery.get(apiVersion);
    if (!cached) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      cached = this.request<{ resources: ApiResource[] } | undefined>("GET", path, {
        allowMissing: true,
      }).then((list) => list?.resources);
      cached.catch(() => this.#discovery.delete(apiVersion));
      this.#discovery.set(apiVersion, cached);
    }
    return cached;
  }

  /** The collection path (namespace given) or object path (name given) for a kind. */
  async path(apiVersion: string, kind: string, namespace?: string, name?: string): Promise<string> {
    const resource = await this.resourceFor(apiVersion, kind);
    if (!resource) {
      throw new InputError(
        `the cluster serves no kind ${kind} in ${apiVersion} (is its CustomResourceDefinition installed?)`,
      );
    }
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
    return `${base}${ns}/${resource.name}${name ? `/${encodeURIComponent(name)}` : ""}`;
  }

  objectPath(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): Promise<string> {
    return this.path(object.apiVersion, object.kind, object.metadata.namespace, object.metadata.name);
  }

  /** The live object, or undefined when it does not exist. */
  async get(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): Promise<KubeObject | undefined> {
    return this.request<KubeObject | undefined>("GET", await this.objectPath(object), {
      allowMissing: true,
    });
  }

  /** A list whose items carry apiVersion and kind (the API server leaves them off list items). */
  async list(apiVersion: string, kind: string, namespace?: string, query: Query = {}): Promise<ObjectList> {
    const list = await this.request<ObjectList>("GET", await this.path(apiVersion, kind, namespace), {
      query,
    });
    for (const item of list.items) Object.assign(item, { apiVersion, kind });
    return list;
  }

  /** Server-side apply as field manager `shipshape`; a conflict throws unless `force`. */
  async apply(object: KubeObject, options: { force?: boolean; dryRun?: boolean } = {}): Promise<KubeObject> {
    return this.request<KubeObject>("PATCH", await this.objectPath(object), {
      query: {
        fieldManager: FIELD_MANAGER,
        force: options.force || undefined,
        dryRun: options.dryRun ? "All" : undefined,
      },
      body: object,
      contentType: "application/apply-patch+yaml",
    });
  }

  /** Create; undefined when it already exists (never overwrites). */
  async createIfAbsent(object: KubeObject): Promise<KubeObject | undefined> {
    const collection = await this.path(object.apiVersion, object.kind, object.metadata.namespace);
    try {
      return await this.request<KubeObject>("POST", collection, {
        body: object,
        query: { fieldManager: FIELD_MANAGER },
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return undefined;
      throw error;
    }
  }

  /** Delete in the background (dependents collected by the garbage collector); false when it was already gone. */
  async delete(object: Pick<KubeObject, "apiVersion" | "kind" | "metadata">): Promise<boolean> {
    const status = await this.request("DELETE", await this.objectPath(object), {
      body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" },
      allowMissing: true,
    });
    return status !== undefined;
  }

  /** The last lines a container printed (its previous instance when it restarted); "" when there are none. */
  async podLog(
    namespace: string,
    pod: string,
    container: string,
    previous: boolean,
    tailLines = 10,
  ): Promise<string> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;
    try {
      return await this.request<string>("GET", path, {
        query: { container, previous, tailLines },
        text: true,
      });
    } catch (error) {
      if (error instanceof ApiError) return "";
      throw error;
    }
  }

  /** Close the pooled connections (so a CLI exits at once instead of waiting out keep-alive). */
  async close(): Promise<void> {
    await this.#dispatcher?.close();
    this.#dispatcher = undefined;
  }

  /** A raw watch (client-node's Watch): events until the server or an error ends it. */
  watch(
    path: string,
    query: Query,
    onEvent: (type: string, object: KubeObject) => void,
    onDone: (error?: unknown) => void,
  ) {
    return new Watch(this.kubeConfig).watch(path, query, onEvent, onDone);
  }
}

/**
 * Refuses a transport that would not be what the kubeconfig promises: a plain-http server (credentials
 * in the clear), a CA, client certificate or key file that is not there. And verification stays on
 * unless the kubeconfig itself turns it off: NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment
 * would otherwise disable it silently, since client-node leaves rejectUnauthorized unset.
 */
function checkTransport(kc: KubeConfig, file: string): void {
  const cluster = kc.getCurrentCluster()!;
  if (cluster.server.startsWith("http:"))
    throw new InputError(
      `the server ${cluster.server} is plain http: credentials would travel unencrypted; use https`,
      { file },
    );
  const user = kc.getCurrentUser();
  for (const [what, path] of [
    ["certificate-authority", cluster.caFile],
    ["client-certificate", user?.certFile],
    ["client-key", user?.keyFile],
  ] as const) {
    if (path && !existsSync(path)) throw new InputError(`its ${what} file ${path} does not exist`, { file });
  }
  // client-node's hook for TLS options (private in its types; a transport test fails if it goes).
  const hooks = kc as unknown as { applyHTTPSOptions(opts: { rejectUnauthorized?: boolean }): void };
  const apply = hooks.applyHTTPSOptions.bind(kc);
  hooks.applyHTTPSOptions = (opts) => {
    apply(opts);
    opts.rejectUnauthorized ??= !cluster.skipTLSVerify;
  };
}

function parseStatus(text: string): { reason?: string; message?: string; details?: unknown } {
  try {
    return JSON.parse(text) as { reason?: string; message?: string; details?: unknown };
  } catch {
    return {};
  }
}

function networkReason(error: unknown): string {
  // fetch wraps the socket error (sometimes in an AggregateError, one per address tried): find its code.
  let cause = error as { code?: string; message?: string; cause?: unknown; errors?: unknown[] } | undefined;
  let deepest = (error as Error)?.message ?? String(error);
  for (let depth = 0; cause && depth < 5; depth++) {
    if (cause.code && !cause.code.startsWith("UND_ERR_"))
      return `${cause.code}${cause.message ? ` (${cause.message})` : ""}`;
    deepest = cause.message || deepest;
    cause = (cause.cause ?? cause.errors?.[0]) as typeof cause;
  }
  return deepest;
}
