// An App collects constructs and synthesizes their objects in apply order, each object carrying the short
// comments that say which production concern a setting serves (rendered into the YAML by `render.ts`).
//
//   const app = new App({ namespace: "shop" });
//   new Namespace(app);
//   const db = new Database(app, "orders-db", { database: "orders", user: "shop" });
//   const web = new WebService(app, "storefront", { image: "nginx:1.27.3" });
//   web.connectTo(db, { host: "DB_HOST", user: "DB_USER", password: "DB_PASSWORD", database: "DB_NAME" });
//   web.exposeViaIngress({ host: "shop.example.com" });
//   process.stdout.write(toYaml(app.synth()));   // or app.objects() for the plain objects
import type { ObjectMeta } from "kubernetes-types/meta/v1.js";
import { checkAppName, labelled } from "../k8s/app-identity.ts";
import { applyRank } from "../k8s/apply-order.ts";
import type { KubeObject } from "../k8s/object.ts";

/** One comment, placed above the field at `path` ("spec.strategy", "spec.template.spec.containers[0]"). */
export interface Note {
  path: string;
  text: string;
}

/** An object as synthesized: the plain Kubernetes object plus the notes that explain it. */
export interface Resource {
  object: KubeObject;
  notes: Note[];
}

/** Anything that contributes objects; relations between constructs are settled before `resources()`. */
export interface Construct {
  resources(): Resource[];
}

export interface AppProps {
  /** Namespace of every namespaced object the constructs create. */
  namespace: string;
  /** The app's name: every object is labelled with it (`shipshape.dev/app`), so deploy knows whose
   * objects they are without an --app. Unset: the objects declare no app. */
  name?: string;
}

export class App {
  readonly namespace: string;
  readonly name?: string;
  readonly #constructs: Construct[] = [];

  constructor(props: AppProps) {
    this.namespace = props.namespace;
    if (props.name !== undefined) this.name = checkAppName(props.name, "name");
  }

  /** Constructs call this from their constructor; the order of registration breaks ties in apply order. */
  register<T extends Construct>(construct: T): T {
    this.#constructs.push(construct);
    return construct;
  }

  /** All resources in apply order (stable: same input, same order). */
  synth(): Resource[] {
    const name = this.name;
    const all = this.#constructs.flatMap((c) => c.resources());
    const named = name === undefined ? all : all.map((r) => ({ ...r, object: labelled(r.object, name) }));
    return named
      .map((resource, index) => ({ resource, index }))
      .sort((a, b) => applyRank(a.resource.object) - applyRank(b.resource.object) || a.index - b.index)
      .map(({ resource }) => resource);
  }

  /** The plain objects, in apply order. */
  objects(): KubeObject[] {
    return this.synth().map((r) => r.object);
  }
}

/** Builds a resource from a `kubernetes-types` object, its notes written beside the fields they explain. */
export function resource(
  object: { apiVersion?: string; kind?: string; metadata?: ObjectMeta },
  notes: Record<string, string> = {},
): Resource {
  return {
    object: object as KubeObject,
    notes: Object.entries(notes).map(([path, text]) => ({ path, text })),
  };
}

/** A construct whose pods other constructs can select (network policies, budgets, autoscalers). */
export interface Selectable {
  readonly name: string;
  readonly namespace: string;
  /** The labels its pods carry and its selector matches. */
  readonly selectorLabels: Record<string, string>;
}
