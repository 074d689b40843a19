// The Pod Security Standards level a pod meets, judged field by field as the apiserver's Pod Security
// admission judges it at version "latest" (k8s.io/pod-security-admission/policy, Kubernetes 1.36).
//
// What decides it:
// - every container counts: init, regular and ephemeral;
// - values are compared exactly as written: capability "CAP_CHOWN" or "chown" is not "CHOWN";
// - baseline forbids host namespaces, privileged, capabilities outside its allow-list, hostPath volumes,
//   host ports, unmasked /proc, Unconfined seccomp or AppArmor, custom SELinux users/roles/types, sysctls
//   outside the safe set, Windows HostProcess, and probe or lifecycle handlers aimed at another host;
// - restricted adds: only the listed volume types, allowPrivilegeEscalation: false, runAsNonRoot, no
//   runAsUser 0, a RuntimeDefault or Localhost seccomp profile, capabilities.drop ALL (adding back only
//   NET_BIND_SERVICE), and /proc always masked;
// - a pod with `hostUsers: false` (its own user namespace) may unmask /proc at baseline and may run as
//   uid 0 at restricted; a pod with `os.name: windows` is exempt from the Linux-only restricted checks.
import type { Path } from "../object-index.ts";
import { type Json, list, record, text } from "../shape.ts";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface PodSecurityViolation {
  /** The lowest level this breaks: a baseline violation also keeps the pod from restricted. */
  level: "baseline" | "restricted";
  /** Pod Security admission's own check id ("hostNamespaces", "capabilities_restricted"…). */
  check: string;
  /** "pod" or `container "name"`: who sets (or fails to set) the field. */
  setter: string;
  /** What is wrong, in one phrase: `hostNetwork: true`, `adds capability NET_ADMIN`. */
  problem: string;
  /** The field, or the nearest object that should hold it, from the workload's root. */
  path: Path;
  /** The offending value, where one was written (a capability, a sysctl name). */
  value?: string;
}

const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

/** Namespaced sysctls the kubelet deems safe (baseline's list as of 1.32). */
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

const SELINUX_TYPES = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
  "container_engine_t",
]);
const CONFINED_PROFILES = new Set(["RuntimeDefault", "Localhost"]);
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/** Volume sources restricted allows: ones that cannot reach the node's or another tenant's storage directly. */
const RESTRICTED_VOLUMES = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "image",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;

interface ContainerAt {
  container: Json;
  path: Path;
  setter: string;
}

function containers(spec: Json, specPath: Path): ContainerAt[] {
  return (["initContainers", "containers", "ephemeralContainers"] as const).flatMap((field) =>
    list(spec[field]).map((container, i) => ({
      container,
      path: [...specPath, field, i],
      setter: `container "${text(container.name) ?? "(unnamed)"}"`,
    })),
  );
}

const present = (value: unknown) => value !== undefined && value !== null;

/**
 * Every way the pod falls short of baseline and restricted. `templatePath` is where the pod (its
 * `metadata` and `spec`) sits in the object: [] for a Pod, ["spec","template"] for a Deployment.
 */
export function podSecurityViolations(pod: unknown, templatePath: Path): PodSecurityViolation[] {
  const template = record(pod);
  const spec = record(template.spec);
  const specPath = [...templatePath, "spec"];
  const podContext = record(spec.securityContext);
  const podContextPath = [...specPath, "securityContext"];
  const all = containers(spec, specPath);
  const out: PodSecurityViolation[] = [];
  const add = (v: PodSecurityViolation) => out.push(v);
  const ownUserNamespace = spec.hostUsers === false;
  const windows = record(spec.os).name === "windows";

  // Baseline, pod level.
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
    if (spec[field] === true) {
      add({
        level: "baseline",
        check: "hostNamespaces",
        setter: "pod",
        problem: `${field}: true`,
        path: [...specPath, field],
      });
    }
  }
  list(spec.volumes).forEach((volume, i) => {
    const path = [...specPath, "volumes", i];
    const name = text(volume.name) ?? "(unnamed)";
    if (present(volume.hostPath)) {
      add({
        level: "baseline",
        check: "hostPathVolumes",
        setter: "pod",
        problem: `mounts hostPath volume "${name}"`,
        path: [...path, "hostPath"],
      });
      return;
    }
    // A volume naming no source at all is defaulted to emptyDir by the apiserver.
    const type = Object.keys(volume).find((k) => k !== "name" && present(volume[k]));
    if (type === undefined || RESTRICTED_VOLUMES.includes(type)) return;
    add({
      level: "restricted",
      check: "restrictedVolumes",
      setter: "pod",
      problem: `volume "${name}" is of type ${type}`,
      path: [...path, type],
      value: type,
    });
  });
  list(podContext.sysctls).forEach((sysctl, i) => {
    const name = text(sysctl.name) ?? "";
    if (SAFE_SYSCTLS.has(name)) return;
    add({
      level: "baseline",
      check: "sysctls",
      setter: "pod",
      problem: `sets sysctl ${name}`,
      path: [...podContextPath, "sysctls", i, "name"],
      value: name,
    });
  });
  const annotations = record(record(template.metadata).annotations);
  for (const [key, value] of Object.entries(annotations)) {
    const profile = String(value);
    if (!key.startsWith(APPARMOR_ANNOTATION)) continue;
    if (profile === "" || profile === "runtime/default" || profile.startsWith("localhost/")) continue;
    add({
      level: "baseline",
      check: "appArmorProfile",
      setter: "pod",
      problem: `annotation ${key}: ${profile}`,
      path: [...templatePath, "metadata", "annotations", key],
      value: profile,
    });
  }

  // Settings both the pod and its containers may hold.
  const contexts = [
    { context: podContext, path: podContextPath, setter: "pod" },
    ...all.map((c) => ({
      context: record(c.container.securityContext),
      path: [...c.path, "securityContext"],
      setter: c.setter,
    })),
  ];
  for (const { context, path, setter } of contexts) {
    const apparmor = record(context.appArmorProfile);
    if (present(context.appArmorProfile) && !CONFINED_PROFILES.has(String(apparmor.type))) {
      add({
        level: "baseline",
        check: "appArmorProfile",
        setter,
        problem: `appArmorProfile.type: ${String(apparmor.type)}`,
        path: [...path, "appArmorProfile", "type"],
      });
    }
    const seccomp = record(context.seccompProfile);
    if (present(context.seccompProfile) && !CONFINED_PROFILES.has(String(seccomp.type))) {
      add({
        level: "baseline",
        check: "seccompProfile_baseline",
        setter,
        problem: `seccompProfile.type: ${String(seccomp.type)}`,
        path: [...path, "seccompProfile", "type"],
      });
    }
    const selinux = record(context.seLinuxOptions);
    if (present(context.seLinuxOptions)) {
      for (const field of ["type", "user", "role"] as const) {
        const value = text(selinux[field]) ?? "";
        const allowed = field === "type" ? SELINUX_TYPES.has(value) : value === "";
        if (allowed) continue;
        add({
          level: "baseline",
          check: "seLinuxOptions",
          setter,
          problem: `seLinuxOptions.${field}: ${value}`,
          path: [...path, "seLinuxOptions", field],
        });
      }
    }
    if (record(context.windowsOptions).hostProcess === true) {
      add({
        level: "baseline",
        check: "windowsHostProcess",
        setter,
        problem: "windowsOptions.hostProcess: true",
        path: [...path, "windowsOptions", "hostProcess"],
      });
    }
    if (context.runAsUser === 0 && !ownUserNamespace) {
      add({
        level: "restricted",
        check: "runAsUser",
        setter,
        problem: "runAsUser: 0",
        path: [...path, "runAsUser"],
      });
    }
  }
  if (podContext.runAsNonRoot === false && !ownUserNamespace) {
    add({
      level: "restricted",
      check: "runAsNonRoot",
      setter: "pod",
      problem: "runAsNonRoot: false",
      path: [...podContextPath, "runAsNonRoot"],
    });
  }
  const podSeccomp = record(podContext.seccompProfile);
  const podConfined = CONFINED_PROFILES.has(String(podSeccomp.type));

  // Container level.
  for (const { container, path, setter } of all) {
    const context = record(container.securityContext);
    const contextPath = [...path, "securityContext"];
    const nearest = (field: string) => (present(container.securityContext) ? [...contextPath, field] : path);
    if (context.privileged === true) {
      add({
        level: "baseline",
        check: "privileged",
        setter,
        problem: "privileged: true",
        path: [...contextPath, "privileged"],
      });
    }
    const capabilities = record(context.capabilities);
    const added = Array.isArray(capabilities.add) ? (capabilities.add as unknown[]) : [];
    added.forEach((raw, i) => {
      const capability = String(raw);
      const at = [...contextPath, "capabilities", "add", i];
      if (!BASELINE_CAPABILITIES.has(capability)) {
        add({
          level: "baseline",
          check: "capabilities_baseline",
          setter,
          problem: `adds capability ${capability}`,
          path: at,
          value: capability,
        });
      } else if (capability !== "NET_BIND_SERVICE" && !windows) {
        add({
          level: "restricted",
          check: "capabilities_restricted",
          setter,
          problem: `adds capability ${capability}`,
          path: at,
          value: capability,
        });
      }
    });
    const dropped = Array.isArray(capabilities.drop) ? (capabilities.drop as unknown[]) : [];
    if (!dropped.includes("ALL") && !windows) {
      add({
        level: "restricted",
        check: "capabilities_restricted",
        setter,
        problem: "does not drop ALL capabilities",
        path: present(context.capabilities) ? [...contextPath, "capabilities"] : nearest("capabilities"),
      });
    }
    for (const [p, port] of list(container.ports).entries()) {
      if (port.hostPort === undefined || port.hostPort === null || port.hostPort === 0) continue;
      add({
        level: "baseline",
        check: "hostPorts",
        setter,
        problem: `hostPort: ${String(port.hostPort)}`,
        path: [...path, "ports", p, "hostPort"],
      });
    }
    if (present(context.procMount) && context.procMount !== "Default") {
      add({
        level: ownUserNamespace ? "restricted" : "baseline",
        check: ownUserNamespace ? "procMount_restricted" : "procMount",
        setter,
        problem: `procMount: ${String(context.procMount)}`,
        path: [...contextPath, "procMount"],
      });
    }
    for (const { handler, at } of remoteHandlers(container, path)) {
      add({
        level: "baseline",
        check: "hostProbesAndHostLifecycle",
        setter,
        problem: `${at.slice(path.length).join(".")} aims at host ${handler}`,
        path: at,
      });
    }
    if (context.allowPrivilegeEscalation !== false && !windows) {
      add({
        level: "restricted",
        check: "allowPrivilegeEscalation",
        setter,
        problem: "does not set allowPrivilegeEscalation: false",
        path: nearest("allowPrivilegeEscalation"),
      });
    }
    if (!ownUserNamespace) {
      if (context.runAsNonRoot === false) {
        add({
          level: "restricted",
          check: "runAsNonRoot",
          setter,
          problem: "runAsNonRoot: false",
          path: [...contextPath, "runAsNonRoot"],
        });
      } else if (!present(context.runAsNonRoot) && podContext.runAsNonRoot !== true) {
        add({
          level: "restricted",
          check: "runAsNonRoot",
          setter,
          problem: "does not set runAsNonRoot: true (nor does the pod)",
          path: nearest("runAsNonRoot"),
        });
      }
    }
    if (!present(context.seccompProfile) && !podConfined && !windows) {
      add({
        level: "restricted",
        check: "seccompProfile_restricted",
        setter,
        problem: "sets no RuntimeDefault or Localhost seccompProfile (nor does the pod)",
        path: nearest("seccompProfile"),
      });
    }
  }
  return out;
}

/** Probe and lifecycle handlers with a `host` of their own: the kubelet would connect there, not to the pod. */
function remoteHandlers(container: Json, path: Path): Array<{ handler: string; at: Path }> {
  const handlers: Array<{ owner: Json; at: Path }> = [
    ...PROBES.map((probe) => ({ owner: record(container[probe]), at: [...path, probe] })),
    ...(["postStart", "preStop"] as const).map((hook) => ({
      owner: record(record(container.lifecycle)[hook]),
      at: [...path, "lifecycle", hook],
    })),
  ];
  return handlers.flatMap(({ owner, at }) =>
    (["httpGet", "tcpSocket"] as const).flatMap((kind) => {
      const host = text(record(owner[kind]).host);
      return host ? [{ handler: host, at: [...at, kind, "host"] }] : [];
    }),
  );
}

/** The highest level the pod meets. */
export function podSecurityLevel(violations: readonly PodSecurityViolation[]): PodSecurityLevel {
  if (violations.some((v) => v.level === "baseline")) return "privileged";
  return violations.length > 0 ? "baseline" : "restricted";
}

/** Whether a violation grants the container everything: privileged, or adding SYS_ADMIN or ALL (in any
 * spelling the runtime accepts: "sys_admin", "CAP_SYS_ADMIN"). */
export function grantsEverything(violation: PodSecurityViolation): boolean {
  if (violation.check === "privileged") return true;
  if (violation.check !== "capabilities_baseline") return false;
  const capability = (violation.value ?? "").toUpperCase().replace(/^CAP_/, "");
  return capability === "SYS_ADMIN" || capability === "ALL";
}

/** The level a Namespace's `pod-security.kubernetes.io/enforce` label enforces, if it names one. */
export function enforcedLevel(namespace: Json | undefined): PodSecurityLevel | undefined {
  const label = record(record(namespace?.metadata).labels)["pod-security.kubernetes.io/enforce"];
  return label === "privileged" || label === "baseline" || label === "restricted" ? label : undefined;
}
