// The Pod Security level, case by case where the standard is easy to misread; the apiserver's own verdict
// on these and more is pod-security-oracle.test.ts.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  enforcedLevel,
  podSecurityLevel,
  podSecurityViolations,
} from "../../../../src/check/facts/pod-security.ts";

const locked = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
const restrictedSpec = () => ({
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containers: [{ name: "app", image: "app:1", securityContext: structuredClone(locked) }],
});
const levelOf = (spec: unknown, metadata: unknown = {}) =>
  podSecurityLevel(podSecurityViolations({ metadata, spec }, []));

test("a pod with no securityContext meets baseline, not restricted", () => {
  assert.equal(levelOf({ containers: [{ name: "app", image: "app:1" }] }), "baseline");
  assert.equal(levelOf(restrictedSpec()), "restricted");
});

test("capabilities are compared as written: CAP_CHOWN and chown are outside the baseline allow-list", () => {
  for (const [capability, level] of [
    ["CHOWN", "baseline"],
    ["NET_BIND_SERVICE", "restricted"],
    ["CAP_CHOWN", "privileged"],
    ["chown", "privileged"],
    ["NET_ADMIN", "privileged"],
  ] as const) {
    const spec = restrictedSpec();
    spec.containers[0]!.securityContext.capabilities = { drop: ["ALL"], add: [capability] } as never;
    assert.equal(levelOf(spec), level, capability);
  }
});

test("drop must name ALL in capitals for restricted", () => {
  const spec = restrictedSpec();
  spec.containers[0]!.securityContext.capabilities.drop = ["all"];
  assert.equal(levelOf(spec), "baseline");
});

test("every container counts: init and ephemeral ones too", () => {
  const init = { ...restrictedSpec(), initContainers: [{ name: "init", image: "app:1" }] };
  assert.equal(levelOf(init), "baseline");
  const debug = {
    ...restrictedSpec(),
    ephemeralContainers: [{ name: "debug", image: "busybox:1", securityContext: { privileged: true } }],
  };
  assert.equal(levelOf(debug), "privileged");
});

test("a volume with no source is an emptyDir (the apiserver's default), an NFS volume is not restricted", () => {
  assert.equal(levelOf({ ...restrictedSpec(), volumes: [{ name: "scratch" }] }), "restricted");
  const nfs = podSecurityViolations(
    { spec: { ...restrictedSpec(), volumes: [{ name: "shared", nfs: { server: "s", path: "/" } }] } },
    ["spec", "template"],
  );
  assert.deepEqual(
    nfs.map((v) => [v.level, v.check, v.path.join(".")]),
    [["restricted", "restrictedVolumes", "spec.template.spec.volumes.0.nfs"]],
  );
});

test("the pod's own user namespace allows an unmasked /proc at baseline and uid 0 at restricted", () => {
  const unmasked = restrictedSpec();
  Object.assign(unmasked.containers[0]!.securityContext, { procMount: "Unmasked" });
  assert.equal(levelOf({ ...unmasked, hostUsers: false }), "baseline");
  assert.equal(levelOf(unmasked), "privileged");
  const root = restrictedSpec();
  Object.assign(root.securityContext, { runAsUser: 0 });
  assert.equal(levelOf({ ...root, hostUsers: false }), "restricted");
  assert.equal(levelOf(root), "baseline");
});

test("a Windows pod is exempt from the Linux-only restricted settings, not from runAsNonRoot", () => {
  const windows = { os: { name: "windows" }, containers: [{ name: "app", image: "app:1" }] };
  assert.equal(levelOf({ ...windows, securityContext: { runAsNonRoot: true } }), "restricted");
  assert.equal(levelOf(windows), "baseline");
});

test("AppArmor: the annotation and the field, unconfined is refused, runtime/default and localhost/ are not", () => {
  const key = "container.apparmor.security.beta.kubernetes.io/app";
  assert.equal(levelOf(restrictedSpec(), { annotations: { [key]: "unconfined" } }), "privileged");
  assert.equal(levelOf(restrictedSpec(), { annotations: { [key]: "localhost/web" } }), "restricted");
  const field = restrictedSpec();
  Object.assign(field.securityContext, { appArmorProfile: { type: "Unconfined" } });
  assert.equal(levelOf(field), "privileged");
});

test("enforcedLevel reads the Namespace's enforce label and ignores anything else", () => {
  const ns = (labels: Record<string, string>) => ({ metadata: { labels } });
  assert.equal(enforcedLevel(ns({ "pod-security.kubernetes.io/enforce": "restricted" })), "restricted");
  assert.equal(enforcedLevel(ns({ "pod-security.kubernetes.io/warn": "restricted" })), undefined);
  assert.equal(enforcedLevel(ns({ "pod-security.kubernetes.io/enforce": "strict" })), undefined);
  assert.equal(enforcedLevel(undefined), undefined);
});
