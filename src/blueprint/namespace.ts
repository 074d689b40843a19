// The namespace every object of the app lives in, with Pod Security admission labels.
import type { Namespace as NamespaceObject } from "kubernetes-types/core/v1.js";
import { type App, type Construct, type Resource, resource } from "./app.ts";
import { type Defaulted, withDefaults } from "./props.ts";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface NamespaceProps {
  /** Level the namespace enforces: pods that break it are rejected at admission. */
  enforce?: PodSecurityLevel;
  /** Level reported as warnings (kubectl) and audit events, not enforced: shows the gap to the next step. */
  warn?: PodSecurityLevel;
}

const DEFAULTS = {
  // The official wordpress and mysql images start as root (apache binds :80, mysql's entrypoint drops to
  // the mysql user itself), so "restricted" would reject them; "baseline" they really satisfy.
  enforce: "baseline",
  // Surface what "restricted" would still reject, without breaking the rollout.
  warn: "restricted",
} satisfies Required<NamespaceProps>;

/** The Pod Security Standards version the labels pin, so a cluster upgrade cannot tighten them silently. */
export const POD_SECURITY_VERSION = "v1.36";

export class Namespace implements Construct {
  readonly name: string;
  readonly props: Defaulted<NamespaceProps, typeof DEFAULTS>;

  constructor(app: App, props: NamespaceProps = {}) {
    this.name = app.namespace;
    this.props = withDefaults(DEFAULTS, props);
    app.register(this);
  }

  resources(): Resource[] {
    const { enforce, warn } = this.props;
    const object: NamespaceObject = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: this.name,
        labels: {
          "pod-security.kubernetes.io/enforce": enforce,
          "pod-security.kubernetes.io/enforce-version": POD_SECURITY_VERSION,
          "pod-security.kubernetes.io/warn": warn,
          "pod-security.kubernetes.io/warn-version": POD_SECURITY_VERSION,
          "pod-security.kubernetes.io/audit": warn,
          "pod-security.kubernetes.io/audit-version": POD_SECURITY_VERSION,
        },
      },
    };
    return [
      resource(object, {
        "metadata.labels": `security: admission enforces Pod Security "${enforce}" (what the images satisfy), warns on "${warn}"`,
      }),
    ];
  }
}
