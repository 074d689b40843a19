import type { Path, Workload } from "../object-index.ts";
import { list, record, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containersOf, describe } from "./helpers.ts";

interface SecretRef {
  name: string;
  /** undefined when the whole Secret is used (envFrom, a volume without items). */
  key?: string;
  path: Path;
}

/** Every non-optional reference to a Secret in the pod: env, envFrom, secret and projected volumes. */
function refsOf(w: Workload): SecretRef[] {
  const refs: SecretRef[] = [];
  const add = (ref: Record<string, unknown>, nameField: string, path: Path, key?: unknown) => {
    const name = text(ref[nameField]);
    if (name && ref.optional !== true) refs.push({ name, ...(text(key) ? { key: text(key)! } : {}), path });
  };
  for (const { container, path } of containersOf(w)) {
    list(container.env).forEach((env, i) => {
      const ref = record(record(env.valueFrom).secretKeyRef);
      if (Object.keys(ref).length > 0)
        add(ref, "name", [...path, "env", i, "valueFrom", "secretKeyRef"], ref.key);
    });
    list(container.envFrom).forEach((from, i) => {
      if (from.secretRef !== undefined)
        add(record(from.secretRef), "name", [...path, "envFrom", i, "secretRef"]);
    });
  }
  list(record(w.podSpec).volumes).forEach((volume, v) => {
    const volumePath = [...w.specPath, "volumes", v];
    const secret = record(volume.secret);
    const items = list(secret.items);
    if (volume.secret !== undefined) {
      if (items.length === 0) add(secret, "secretName", [...volumePath, "secret"]);
      items.forEach((item, i) => {
        add(secret, "secretName", [...volumePath, "secret", "items", i], item.key);
      });
    }
    list(record(volume.projected).sources).forEach((source, s) => {
      if (source.secret === undefined) return;
      const projected = record(source.secret);
      const sourcePath = [...volumePath, "projected", "sources", s, "secret"];
      const projectedItems = list(projected.items);
      if (projectedItems.length === 0) add(projected, "name", sourcePath);
      projectedItems.forEach((item, i) => {
        add(projected, "name", [...sourcePath, "items", i], item.key);
      });
    });
  });
  return refs;
}

export const secretRefMissing = defineRule({
  id: "secret-ref-missing",
  title: "Referenced Secrets and keys exist",
  severity: "error",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a pod that references a Secret (or a key in it) that does not exist never starts: its
containers sit in CreateContainerConfigError ("secret not found" / "couldn't find key dbpwd in Secret"),
a volume stays unmounted (ContainerCreating), and a rollout hangs with the old pods still running — or,
on a fresh install, nothing runs at all.

Why: the seed moves the database password into the Secret wordpress-db-pwd, key dbpwd, and references
both by name from the Deployment; a typo in either, or a Secret that was never created in this namespace,
turns the security fix into an outage.

Fix: create the Secret in the same namespace with exactly the referenced keys (data or stringData), or fix
the name/key in the reference; mark a reference optional: true only if the app really copes without it.
A Secret missing from the input is only "info" — it may be created separately in the cluster (a sealed
secret, an external-secrets operator, kubectl create secret); a Secret that IS in the input but lacks the
key is an error.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    // One finding per absent Secret and per absent key, however many env vars or volumes repeat it.
    const reported = new Set<string>();
    for (const ref of refsOf(w)) {
      const secret = index.secret(w.namespace, ref.name);
      const seen = secret ? `${ref.name}\0${ref.key}` : ref.name;
      if (reported.has(seen)) continue;
      if (!secret) {
        reported.add(seen);
        findings.push({
          message: `${describe(subject)} references Secret "${ref.name}"${ref.key ? ` (key "${ref.key}")` : ""}, which is not in the input: it must exist in namespace ${w.namespace} before the pods can start`,
          fix: `Make sure Secret ${w.namespace}/${ref.name} is created in the cluster (or add it to the manifests).`,
          path: ref.path,
          severity: "info",
        });
      } else if (ref.key && !secret.keys.has(ref.key)) {
        reported.add(seen);
        findings.push({
          message: `${describe(subject)} references key "${ref.key}" of Secret "${ref.name}", which has only ${[...secret.keys].map((k) => `"${k}"`).join(", ") || "no keys"}: the container will fail with CreateContainerConfigError`,
          fix: `Add key "${ref.key}" to Secret ${ref.name}, or reference one of its keys.`,
          path: ref.path,
        });
      }
    }
    return findings;
  },
});
