// Generated secrets (database passwords, application keys), the protocol between synth, check and deploy: from a CSPRNG, never a fixed default, and kept
// out of synthesized output unless asked for.
//
// The decision: workloads reference the Secret by `secretKeyRef`; the workload that owns the Secret
// declares it in the annotation `shipshape.dev/generated-secrets` ("name: key1, key2"). `shipshape deploy`
// creates each declared Secret with fresh passwords when it is absent and never overwrites it, so the
// passwords never pass through a file that might land in git. `synth --with-secrets` instead emits the
// Secret itself (annotated `shipshape.dev/generated-secret: "true"`) for those who manage secrets their own way.
import type { Secret } from "kubernetes-types/core/v1.js";
import { GENERATED_SECRET_ANNOTATION, GENERATED_SECRETS_ANNOTATION } from "./annotations.ts";
import type { KubeObject } from "./object.ts";

/** 24 random bytes → 32 URL-safe characters: 192 bits, nothing a shell or a DSN must escape. */
export function generatePassword(): string {
  // node:crypto is loaded when a password is made, not by every command that reads the annotations.
  return process.getBuiltinModule("node:crypto").randomBytes(24).toString("base64url");
}

export interface SecretNeed {
  namespace: string;
  name: string;
  keys: string[];
  /** True when the output already carries the Secret (`--with-secrets`): nothing to create. */
  included: boolean;
}

export function formatSecretNeeds(needs: Record<string, string[]>): string {
  return Object.entries(needs)
    .map(([name, keys]) => `${name}: ${keys.join(", ")}`)
    .join("; ");
}

function parseSecretNeeds(value: string): [string, string[]][] {
  return value
    .split(";")
    .map((entry) => entry.split(":"))
    .filter(([name, keys]) => name?.trim() && keys !== undefined)
    .map(([name, keys]) => [
      name!.trim(),
      keys!
        .split(",")
        .map((k) => k.trim())
        .filter(Boolean),
    ]);
}

/**
 * The Secrets the objects need generated, read from the workloads' `shipshape.dev/generated-secrets`
 * annotations: what `deploy` creates when absent (and never overwrites).
 */
export function generatedSecrets(objects: readonly KubeObject[]): SecretNeed[] {
  const present = new Set(
    objects.filter((o) => o.kind === "Secret").map((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`),
  );
  const needs = new Map<string, SecretNeed>();
  for (const object of objects) {
    const declared = object.metadata.annotations?.[GENERATED_SECRETS_ANNOTATION];
    if (!declared) continue;
    const namespace = object.metadata.namespace ?? "default";
    for (const [name, keys] of parseSecretNeeds(declared)) {
      const id = `${namespace}/${name}`;
      const need = needs.get(id) ?? { namespace, name, keys: [], included: present.has(id) };
      need.keys = [...new Set([...need.keys, ...keys])].sort();
      needs.set(id, need);
    }
  }
  return [...needs.values()].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  );
}

/** A Secret holding a fresh password for each key of `need`. */
export function generateSecret(need: Pick<SecretNeed, "namespace" | "name" | "keys">): Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: need.name,
      namespace: need.namespace,
      annotations: { [GENERATED_SECRET_ANNOTATION]: "true" },
    },
    type: "Opaque",
    stringData: Object.fromEntries(need.keys.map((key) => [key, generatePassword()])),
  };
}
