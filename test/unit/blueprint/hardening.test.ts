// What the peer linters ask of the blueprint, setting by setting: NetworkPolicies that own both directions,
// confined containers with their writable paths on emptyDirs, ephemeral storage, the recommended labels
// outside selectors, a startup probe with liveness, and deliberate choices exempted with their reason.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NetworkPolicy } from "kubernetes-types/networking/v1.js";
import { type WordPressProps, wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { toYaml } from "../../../src/blueprint/render.ts";
import type { KubeObject } from "../../../src/k8s/object.ts";
import { combinations, container, deployment, find, podSpec, statefulSet } from "./find.ts";

const synth = (props: WordPressProps = {}) => wordpress(props).objects();
const webPolicy = (objects: readonly KubeObject[]) =>
  find<NetworkPolicy>(objects, "NetworkPolicy", "wordpress");
const dbPolicy = (objects: readonly KubeObject[]) =>
  find<NetworkPolicy>(objects, "NetworkPolicy", "wordpress-mysql");
const fromNamespace = (policy: NetworkPolicy) =>
  policy.spec?.ingress?.flatMap((r) =>
    (r.from ?? []).map((peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]),
  );
const DNS = {
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};

describe("web tier NetworkPolicy", () => {
  it("admits only the ingress controller's namespace, which follows the controller unless set", () => {
    assert.deepEqual(fromNamespace(webPolicy(synth())), ["ingress-nginx"]);
    assert.deepEqual(fromNamespace(webPolicy(synth({ ingress: "traefik" }))), ["traefik"]);
    assert.deepEqual(fromNamespace(webPolicy(synth({ ingress: "traefik", ingressNamespace: "edge" }))), [
      "edge",
    ]);
    assert.deepEqual(webPolicy(synth()).spec?.ingress?.[0]?.ports, [{ protocol: "TCP", port: "http" }]);
  });

  it("admits any source on the web port only for a NodePort", () => {
    const anywhere = (props: WordPressProps) =>
      webPolicy(synth(props)).spec?.ingress?.filter((r) => r.from === undefined);
    assert.deepEqual(anywhere({}), []);
    assert.deepEqual(anywhere({ nodePort: true }), [{ ports: [{ protocol: "TCP", port: "http" }] }]);
  });

  it("sends only to the MySQL pods on 3306 and to DNS, and denies the rest both ways", () => {
    const objects = synth();
    const policy = webPolicy(objects);
    assert.deepEqual(policy.spec?.policyTypes, ["Ingress", "Egress"]);
    assert.deepEqual(policy.spec?.podSelector.matchLabels, deployment(objects).spec?.selector.matchLabels);
    assert.deepEqual(policy.spec?.egress, [
      {
        to: [{ podSelector: { matchLabels: statefulSet(objects).spec?.selector.matchLabels } }],
        ports: [{ protocol: "TCP", port: 3306 }],
      },
      DNS,
    ]);
    assert.deepEqual(dbPolicy(objects).spec?.egress, [DNS]);
    assert.deepEqual(dbPolicy(objects).spec?.policyTypes, ["Ingress", "Egress"]);
  });
});

describe("containers", () => {
  it("in every combination: no escalation, ALL dropped, a read-only root, each writable path an emptyDir, ephemeral storage requested == limited", () => {
    for (const props of combinations()) {
      const objects = synth(props);
      for (const workload of [deployment(objects), statefulSet(objects)]) {
        const c = container(workload);
        const where = `${workload.kind} ${JSON.stringify(props)}`;
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, where);
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, where);
        assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"], where);
        const emptyDirs = new Set(
          podSpec(workload)
            .volumes?.filter((v) => v.emptyDir)
            .map((v) => v.name),
        );
        const scratch = (c.volumeMounts ?? []).filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
        assert.ok(scratch.includes("/tmp"), where);
        assert.equal(emptyDirs.size, scratch.length, `${where}: every emptyDir is mounted`);
        const { requests, limits } = c.resources ?? {};
        assert.ok(requests?.["ephemeral-storage"], where);
        assert.equal(requests?.["ephemeral-storage"], limits?.["ephemeral-storage"], where);
      }
    }
  });

  it("keeps back only what each image's entrypoint needs: Apache's port, user switch and chown; MySQL's chown and user switch", () => {
    const objects = synth();
    assert.deepEqual(container(deployment(objects)).securityContext?.capabilities?.add, [
      "CHOWN",
      "DAC_OVERRIDE",
      "FOWNER",
      "NET_BIND_SERVICE",
      "SETGID",
      "SETUID",
    ]);
    assert.deepEqual(container(statefulSet(objects)).securityContext?.capabilities?.add, [
      "CHOWN",
      "DAC_OVERRIDE",
      "SETGID",
      "SETUID",
    ]);
    const paths = (w: Parameters<typeof container>[0]) =>
      container(w)
        .volumeMounts?.map((m) => m.mountPath)
        .filter((p) => !["/var/www/html", "/var/lib/mysql"].includes(p));
    assert.deepEqual(paths(deployment(objects)), ["/run/apache2", "/run/lock", "/tmp"]);
    assert.deepEqual(paths(statefulSet(objects)), ["/run/mysqld", "/tmp"]);
  });

  it("adds a startup probe only with liveness, and liveness asks another page than readiness", () => {
    assert.equal(container(deployment(synth())).startupProbe, undefined);
    const web = container(deployment(synth({ liveness: true })));
    assert.deepEqual(web.startupProbe?.httpGet, web.livenessProbe?.httpGet);
    assert.notDeepEqual(web.livenessProbe?.httpGet, web.readinessProbe?.httpGet);
    assert.equal(
      web.livenessProbe?.initialDelaySeconds,
      undefined,
      "the startup probe holds it back instead",
    );
  });
});

describe("labels", () => {
  it("every object and pod carries app.kubernetes.io labels, and no selector does", () => {
    const objects = synth({ withSecrets: true });
    const labelled = objects.filter(
      (o) => o.metadata.labels?.["app.kubernetes.io/managed-by"] === "shipshape",
    );
    assert.deepEqual(
      labelled.map((o) => o.kind).sort(),
      [
        "Deployment",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Service",
        "Service",
        "StatefulSet",
      ].sort(),
    );
    for (const workload of [deployment(objects), statefulSet(objects)]) {
      const labels = workload.spec?.template.metadata?.labels ?? {};
      assert.equal(labels["app.kubernetes.io/part-of"], "wordpress");
      assert.deepEqual(Object.keys(workload.spec?.selector.matchLabels ?? {}), ["app", "tier"]);
    }
    assert.equal(deployment(objects).metadata?.labels?.["app.kubernetes.io/name"], "wordpress");
    assert.equal(statefulSet(objects).metadata?.labels?.["app.kubernetes.io/name"], "mysql");
  });
});

describe("deliberate choices", () => {
  it("are exempted in each peer's own annotation, kube-linter's carrying the reason", () => {
    const annotations = statefulSet(synth()).metadata?.annotations ?? {};
    assert.deepEqual(annotations["kube-score/ignore"]?.split(",").sort(), [
      "container-image-pull-policy",
      "container-security-context-user-group-id",
    ]);
    assert.equal(annotations["polaris.fairwinds.com/runAsRootAllowed-exempt"], "true");
    assert.match(annotations["ignore-check.kube-linter.io/run-as-non-root"] ?? "", /starts as root/);
  });

  it("follow the settings: spread waives anti-affinity, anti-affinity waives spread, liveness lifts its waiver", () => {
    const annotations = (props: WordPressProps) => deployment(synth(props)).metadata?.annotations ?? {};
    assert.match(annotations({ antiAffinity: "spread" })["kube-score/ignore"] ?? "", /host-podantiaffinity/);
    assert.equal(
      annotations({ antiAffinity: "hard" })["polaris.fairwinds.com/topologySpreadConstraint-exempt"],
      "true",
    );
    assert.equal(annotations({})["polaris.fairwinds.com/livenessProbeMissing-exempt"], "true");
    assert.equal(
      annotations({ liveness: true })["polaris.fairwinds.com/livenessProbeMissing-exempt"],
      undefined,
    );
  });

  it("say why in the YAML, above the annotations", () => {
    const yaml = toYaml(wordpress({}).synth());
    assert.match(
      yaml,
      /# deliberate: the image starts as root [^\n]*\(kube-score container-security-context-user-group-id; Polaris runAsRootAllowed, insecureCapabilities; kube-linter run-as-non-root\)\n(\s+#[^\n]*\n)*\s+kube-score\/ignore:/,
    );
  });
});
