// A Secret whose values shipshape generates (see k8s/generated-secrets.ts for the decision): by default only declared, on
// the workloads that use it, so `shipshape deploy` creates it when absent; emitted itself on request.
import type { SecretKeySelector } from "kubernetes-types/core/v1.js";
import { GENERATED_SECRETS_ANNOTATION } from "../k8s/annotations.ts";
import { formatSecretNeeds, generateSecret } from "../k8s/generated-secrets.ts";
import { type App, type Construct, type Resource, resource } from "./app.ts";
import { type Defaulted, withDefaults } from "./props.ts";

export interface GeneratedSecretProps {
  keys: string[];
  /** Emit the Secret with fresh values (`synth --with-secrets`) instead of leaving it to `deploy`. */
  emit?: boolean;
}

const DEFAULTS = {
  // Not printed: values that pass through a file can end up in git.
  emit: false,
} satisfies Partial<GeneratedSecretProps>;

export class GeneratedSecret implements Construct {
  readonly name: string;
  readonly namespace: string;
  readonly props: Defaulted<GeneratedSecretProps, typeof DEFAULTS>;

  constructor(app: App, name: string, props: GeneratedSecretProps) {
    this.name = name;
    this.namespace = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    app.register(this);
  }

  /** Where one of its values is, for a `secretKeyRef`. */
  ref(key: string): SecretKeySelector {
    if (!this.props.keys.includes(key)) throw new Error(`Secret ${this.name} has no key "${key}"`);
    return { name: this.name, key };
  }

  resources(): Resource[] {
    if (!this.props.emit) return [];
    const secret = generateSecret({ namespace: this.namespace, name: this.name, keys: this.props.keys });
    return [
      resource(secret, {
        stringData:
          "secrets: generated now from a CSPRNG; keep this file out of git (deploy never overwrites it)",
      }),
    ];
  }
}

/** The annotations a workload using `secrets` carries, so deploy (and check) know who creates them. */
export function declareSecrets(secrets: readonly GeneratedSecret[]): Record<string, string> {
  if (secrets.length === 0) return {};
  const needs = Object.fromEntries(secrets.map((s) => [s.name, s.props.keys]));
  return { [GENERATED_SECRETS_ANNOTATION]: formatSecretNeeds(needs) };
}

/** The note over that annotation, at the object's `metadata.annotations`. */
export function declareSecretsNote(secrets: readonly GeneratedSecret[]): Record<string, string> {
  if (secrets.length === 0) return {};
  return {
    [`metadata.annotations["${GENERATED_SECRETS_ANNOTATION}"]`]:
      "secrets: shipshape deploy creates these Secrets with generated values when absent, never overwrites them",
  };
}
