import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasSchema, pointerToPath, validateObject } from "../../../src/k8s/schema.ts";

const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          {
            name: "web",
            image: "nginx:1.27.3",
            ports: [{ containerPort: 80, name: "http" }],
            resources: { limits: { cpu: 1, memory: "128Mi" }, requests: { cpu: "500m", memory: "128Mi" } },
          },
        ],
      },
    },
  },
});

type Path = ReadonlyArray<string | number>;

/** The Deployment above with one field set (`undefined` deletes it). */
function edited(...edits: [Path, unknown][]): Record<string, unknown> {
  const object = deployment() as Record<string, unknown>;
  for (const [path, value] of edits) {
    let parent = object as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (value === undefined) delete parent[last];
    else parent[last] = value;
  }
  return object;
}

const CONTAINER = ["spec", "template", "spec", "containers", 0] as const;

describe("validateObject", () => {
  it("accepts a well-formed Deployment, with IntOrString and numeric quantities", () => {
    assert.deepEqual(validateObject(deployment()), []);
  });

  it("names the path of a wrong type", () => {
    const d = edited([[...CONTAINER, "ports", 0, "containerPort"], "80"]);
    assert.deepEqual(validateObject(d), [
      {
        path: "spec.template.spec.containers[0].ports[0].containerPort",
        message: 'must be integer, got string "80"',
      },
    ]);
  });

  it("rejects unknown fields as strict field validation does", () => {
    const d = edited([["spec", "replica"], 3], [[...CONTAINER, "imagePolicy"], "Always"]);
    assert.deepEqual(
      validateObject(d)?.map((v) => `${v.path}: ${v.message}`),
      ["spec.replica: unknown field", "spec.template.spec.containers[0].imagePolicy: unknown field"],
    );
  });

  it("reports missing required fields at their path", () => {
    const d = edited([[...CONTAINER, "name"], undefined]);
    assert.deepEqual(validateObject(d), [
      { path: "spec.template.spec.containers[0].name", message: "required" },
    ]);
  });

  it("checks quantity syntax", () => {
    const d = edited([[...CONTAINER, "resources", "limits", "memory"], "128MB"]);
    const [violation] = validateObject(d) ?? [];
    assert.equal(violation?.path, "spec.template.spec.containers[0].resources.limits.memory");
    assert.match(violation!.message, /quantity/);
  });

  it("checks int32 ranges", () => {
    const d = edited([["spec", "replicas"], 2 ** 31]);
    assert.equal(validateObject(d)?.[0]?.path, "spec.replicas");
  });

  it("treats null as unset, like the apiserver", () => {
    const d = edited([[...CONTAINER, "resources"], null], [["metadata", "annotations"], null]);
    assert.deepEqual(validateObject(d), []);
  });

  it("rejects a string where a map of labels belongs", () => {
    const d = edited([["metadata", "labels"], "app=web"]);
    assert.equal(validateObject(d)?.[0]?.path, "metadata.labels");
  });

  it("refuses list-map entries that repeat their key, as server-side apply does", () => {
    const env = [
      { name: "A", value: "1" },
      { name: "B", value: "2" },
      { name: "A", value: "3" },
    ];
    const d = edited([[...CONTAINER, "env"], env]);
    assert.deepEqual(validateObject(d), [
      {
        path: "spec.template.spec.containers[0].env[2]",
        message: 'duplicate entry (name="A", as [0]): server-side apply refuses repeated keys',
      },
    ]);
    const ports = [{ containerPort: 80 }, { containerPort: 80, protocol: "UDP" }];
    assert.deepEqual(validateObject(edited([[...CONTAINER, "ports"], ports])), []);
  });

  it("refuses repeated items in a list-type set", () => {
    const d = edited([
      ["metadata", "finalizers"],
      ["example.com/a", "example.com/b", "example.com/a"],
    ]);
    assert.deepEqual(validateObject(d), [
      { path: "metadata.finalizers[2]", message: "duplicate of [0]: this list is a set" },
    ]);
  });

  it("survives hostile nesting: deep unknown subtrees and a deeply recursive CRD schema", () => {
    let deep: unknown = "x";
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.deepEqual(
      validateObject(edited([["metadata", "labels"], { app: "web" }], [["spec", "x"], deep])),
      [{ path: "spec.x", message: "unknown field" }],
    );
    let schema: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 100_000; i++) schema = { type: "object", properties: { a: schema } };
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "deep.example.com" },
      spec: {
        group: "example.com",
        names: { kind: "Deep", plural: "deeps" },
        scope: "Namespaced",
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: schema } }],
      },
    };
    assert.deepEqual(validateObject(crd), [{ path: "(root)", message: "nested too deep to validate" }]);
  });

  it("returns undefined for kinds without a built-in schema", () => {
    assert.equal(
      validateObject({ apiVersion: "traefik.io/v1alpha1", kind: "IngressRoute", metadata: {} }),
      undefined,
    );
    assert.equal(validateObject({ apiVersion: "apps/v1", kind: "Deploymnet", metadata: {} }), undefined);
    assert.equal(validateObject("not an object"), undefined);
    assert.equal(hasSchema("policy/v1", "PodDisruptionBudget"), true);
    assert.equal(hasSchema("policy/v1beta1", "PodDisruptionBudget"), false);
  });
});

describe("pointerToPath", () => {
  it("turns JSON pointers into field paths", () => {
    assert.equal(pointerToPath("/spec/containers/0/name"), "spec.containers[0].name");
    assert.equal(
      pointerToPath("/metadata/annotations", "cert-manager.io~1cluster-issuer"),
      'metadata.annotations["cert-manager.io/cluster-issuer"]',
    );
    assert.equal(pointerToPath(""), "(root)");
  });
});
