// Offline schema validation against the apiserver as the oracle: each object is server-side applied
// with dryRun=All and fieldValidation=Strict, and the apiserver must accept exactly the objects that
// validateObject finds no violation in — every built-in object the blueprint emits, and broken variants
// (an unknown field, a wrong type, a bad quantity, a repeated list-map key, a missing required field), and
// unusual valid ones (nulls, numeric quantities, percentages).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import { type WordPressProps, wordpress } from "../../src/blueprint/blueprints/wordpress.ts";
import { ApiError, Cluster } from "../../src/cluster/client.ts";
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

const BROKEN: Record<string, Edit> = {
  "an unknown field (spec.replica)": (spec) => {
    spec.replica = 3;
  },
  "an unknown container field": (_, c) => {
    c.imagePolicy = "Always";
  },
  "a port as a string": (_, c) => {
    c.ports = [{ name: "http", containerPort: "80" }];
  },
  "a malformed quantity (100MB)": (_, c) => {
    c.resources = { requests: { memory: "100MB" }, limits: { memory: "100MB" } };
  },
  "a repeated env var name": (_, c) => {
    c.env = [
      { name: "A", value: "1" },
      { name: "A", value: "2" },
    ];
  },
  "a container without a name": (_, c) => {
    delete c.name;
  },
  "replicas beyond int32": (spec) => {
    spec.replicas = 2 ** 31;
  },
  "a boolean where an integer belongs": (spec) => {
    spec.minReadySeconds = true;
  },
};

/** Unusual but valid: both sides must accept them. */
const UNUSUAL: Record<string, Edit> = {
  "a null field (unset)": (_, c) => {
    c.lifecycle = null;
  },
  "numeric quantities and a percentage IntOrString": (spec, c) => {
    c.resources = { requests: { cpu: 1, memory: 134217728 }, limits: { cpu: "1000m", memory: "128Mi" } };
    spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } };
  },
  "ports differing only in protocol": (_, c) => {
    c.ports = [
      { name: "http", containerPort: 80 },
      { name: "quic", containerPort: 80, protocol: "UDP" },
    ];
  },
};

function editedDeployment(edit: Edit): KubeObject {
  const deployment = structuredClone(blueprintObjects({}).find((o) => o.kind === "Deployment")!);
  const spec = deployment.spec as Record<string, unknown>;
  const pod = (spec.template as { spec: { containers: Record<string, unknown>[] } }).spec;
  edit(spec, pod.containers[0]!);
  return deployment;
}

describe("unusual Deployments", () => {
  for (const [name, edit] of Object.entries(UNUSUAL)) {
    test(`${name}: valid offline and accepted by the apiserver`, async () => {
      const deployment = editedDeployment(edit);
      assert.deepEqual(validateObject(deployment), []);
      assert.equal(await apiserverRejects(deployment), undefined);
    });
  }
});

describe("broken Deployments", () => {
  for (const [name, edit] of Object.entries(BROKEN)) {
    test(`${name}: found offline and refused by the apiserver`, async () => {
      const deployment = editedDeployment(edit);
      const violations = validateObject(deployment) ?? [];
      assert.notDeepEqual(violations, [], "offline validation found nothing");
      const refused = await apiserverRejects(deployment);
      assert.ok(
        refused,
        `the apiserver accepted what offline validation refused: ${JSON.stringify(violations)}`,
      );
    });
  }
});
