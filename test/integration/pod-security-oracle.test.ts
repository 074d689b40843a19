// The check job's Pod Security level against the apiserver's Pod Security admission as the oracle: each
// pod shape is created (server-side dry run) in a namespace enforcing "baseline" and in one enforcing
// "restricted"; admission must admit it exactly where podSecurityLevel() says it meets the level.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { HttpMethod } from "@kubernetes/client-node";
import type { Container, PodSpec } from "kubernetes-types/core/v1.js";
import {
  type PodSecurityLevel,
  podSecurityLevel,
  podSecurityViolations,
} from "../../src/check/facts/pod-security.ts";
import { ApiError, Cluster } from "../../src/cluster/client.ts";
import { freshNamespace, kubeConfig } from "./support/cluster.ts";

const image = "registry.invalid/app:1";
type Shape = { annotations?: Record<string, string>; spec: PodSpec };
type Patch = (spec: PodSpec, app: Container, init: Container) => void;

/** A pod that meets restricted: an init container and an app container, both locked down. */
function restrictedPod(): Shape {
  const locked = (name: string): Container => ({
    name,
    image,
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  });
  return {
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      initContainers: [locked("init")],
      containers: [locked("app")],
    },
  };
}

/** The restricted pod changed by `patch` (which gets the spec, the app and the init container). */
function shape(patch: Patch, annotations?: Record<string, string>): Shape {
  const pod = restrictedPod();
  patch(pod.spec, pod.spec.containers[0]!, pod.spec.initContainers![0]!);
  return annotations ? { ...pod, annotations } : pod;
}

const ctx = (c: Container) => {
  c.securityContext ??= {};
  return c.securityContext;
};
const podCtx = (spec: PodSpec) => {
  spec.securityContext ??= {};
  return spec.securityContext;
};
const addCapability = (...add: string[]) =>
  shape((_, app) => {
    ctx(app).capabilities = { drop: ["ALL"], add };
  });
const sysctl = (name: string, value: string) =>
  shape((spec) => {
    podCtx(spec).sysctls = [{ name, value }];
  });

const shapes: Record<string, Shape> = {
  "the restricted base pod": restrictedPod(),
  "no securityContext anywhere": { spec: { containers: [{ name: "app", image }] } },
  hostNetwork: shape((spec) => {
    spec.hostNetwork = true;
  }),
  hostPID: shape((spec) => {
    spec.hostPID = true;
  }),
  hostIPC: shape((spec) => {
    spec.hostIPC = true;
  }),
  "a hostPath volume": shape((spec) => {
    spec.volumes = [{ name: "logs", hostPath: { path: "/var/log" } }];
  }),
  "a hostPort": shape((_, app) => {
    app.ports = [{ containerPort: 8080, hostPort: 8080 }];
  }),
  "a containerPort without hostPort": shape((_, app) => {
    app.ports = [{ containerPort: 8080 }];
  }),
  "a privileged init container": shape((_, _app, init) => {
    delete ctx(init).allowPrivilegeEscalation;
    ctx(init).privileged = true;
  }),
  "privileged: false": shape((_, app) => {
    ctx(app).privileged = false;
  }),
  "adds NET_ADMIN": addCapability("NET_ADMIN"),
  "adds NET_RAW": addCapability("NET_RAW"),
  "adds SYS_ADMIN": addCapability("SYS_ADMIN"),
  "adds CHOWN (default set)": addCapability("CHOWN"),
  "adds NET_BIND_SERVICE": addCapability("NET_BIND_SERVICE"),
  "adds CAP_CHOWN (prefixed spelling)": addCapability("CAP_CHOWN"),
  "adds chown (lower case)": addCapability("chown"),
  "adds several default-set capabilities": addCapability("SETUID", "SETGID", "KILL"),
  "drops NET_RAW, not ALL": shape((_, app) => {
    ctx(app).capabilities = { drop: ["NET_RAW"] };
  }),
  "drops all (lower case)": shape((_, app) => {
    ctx(app).capabilities = { drop: ["all"] };
  }),
  "no capabilities on the init container": shape((_, _app, init) => {
    delete ctx(init).capabilities;
  }),
  "allowPrivilegeEscalation: true": shape((_, app) => {
    ctx(app).allowPrivilegeEscalation = true;
  }),
  "allowPrivilegeEscalation unset": shape((_, app) => {
    delete ctx(app).allowPrivilegeEscalation;
  }),
  "runAsNonRoot: false on the pod": shape((spec) => {
    podCtx(spec).runAsNonRoot = false;
  }),
  "runAsNonRoot unset on the pod, set on every container": shape((spec, app, init) => {
    delete podCtx(spec).runAsNonRoot;
    ctx(app).runAsNonRoot = true;
    ctx(init).runAsNonRoot = true;
  }),
  "runAsNonRoot unset on the pod, set on one container": shape((spec, app) => {
    delete podCtx(spec).runAsNonRoot;
    ctx(app).runAsNonRoot = true;
  }),
  "runAsNonRoot: false on a container overriding the pod": shape((_, app) => {
    ctx(app).runAsNonRoot = false;
  }),
  "runAsUser: 0 on the pod": shape((spec) => {
    podCtx(spec).runAsUser = 0;
  }),
  "runAsUser: 0 on a container": shape((_, app) => {
    ctx(app).runAsUser = 0;
  }),
  "runAsUser: 0 in the pod's own user namespace": shape((spec) => {
    spec.hostUsers = false;
    podCtx(spec).runAsUser = 0;
  }),
  "runAsNonRoot unset in the pod's own user namespace": shape((spec) => {
    spec.hostUsers = false;
    delete podCtx(spec).runAsNonRoot;
  }),
  "seccomp Unconfined on the pod": shape((spec) => {
    podCtx(spec).seccompProfile = { type: "Unconfined" };
  }),
  "seccomp Unconfined on a container": shape((_, app) => {
    ctx(app).seccompProfile = { type: "Unconfined" };
  }),
  "seccomp Localhost on the pod": shape((spec) => {
    podCtx(spec).seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" };
  }),
  "seccomp on every container, none on the pod": shape((spec, app, init) => {
    delete podCtx(spec).seccompProfile;
    ctx(app).seccompProfile = { type: "RuntimeDefault" };
    ctx(init).seccompProfile = { type: "RuntimeDefault" };
  }),
  "seccomp on one container, none on the pod": shape((spec, app) => {
    delete podCtx(spec).seccompProfile;
    ctx(app).seccompProfile = { type: "RuntimeDefault" };
  }),
  "AppArmor Unconfined on the pod": shape((spec) => {
    podCtx(spec).appArmorProfile = { type: "Unconfined" };
  }),
  "AppArmor RuntimeDefault on a container": shape((_, app) => {
    ctx(app).appArmorProfile = { type: "RuntimeDefault" };
  }),
  "AppArmor Localhost on a container": shape((_, app) => {
    ctx(app).appArmorProfile = { type: "Localhost", localhostProfile: "k8s-app" };
  }),
  "AppArmor annotation unconfined": shape(() => {}, {
    "container.apparmor.security.beta.kubernetes.io/app": "unconfined",
  }),
  "AppArmor annotation runtime/default": shape(() => {}, {
    "container.apparmor.security.beta.kubernetes.io/app": "runtime/default",
  }),
  "SELinux type container_t": shape((spec) => {
    podCtx(spec).seLinuxOptions = { type: "container_t" };
  }),
  "SELinux type container_engine_t": shape((_, app) => {
    ctx(app).seLinuxOptions = { type: "container_engine_t" };
  }),
  "SELinux type spc_t": shape((_, app) => {
    ctx(app).seLinuxOptions = { type: "spc_t" };
  }),
  "SELinux user set": shape((spec) => {
    podCtx(spec).seLinuxOptions = { user: "system_u" };
  }),
  "SELinux role set": shape((_, app) => {
    ctx(app).seLinuxOptions = { role: "system_r" };
  }),
  "SELinux level only": shape((spec) => {
    podCtx(spec).seLinuxOptions = { level: "s0:c123,c456" };
  }),
  "a safe sysctl": sysctl("net.ipv4.ip_local_port_range", "1024 65000"),
  "a safe sysctl added in 1.32": sysctl("net.ipv4.tcp_rmem", "4096 87380 6291456"),
  "an unsafe sysctl": sysctl("net.core.somaxconn", "4096"),
  "procMount Unmasked in the pod's own user namespace": shape((spec, app) => {
    spec.hostUsers = false;
    ctx(app).procMount = "Unmasked";
  }),
  "procMount Default": shape((_, app) => {
    ctx(app).procMount = "Default";
  }),
  "a readiness probe aimed at another host": shape((_, app) => {
    app.readinessProbe = { httpGet: { host: "10.0.0.1", path: "/", port: 80 } };
  }),
  "a preStop hook aimed at another host": shape((_, app) => {
    app.lifecycle = { preStop: { httpGet: { host: "example.com", path: "/drain", port: 80 } } };
  }),
  "a tcpSocket probe on the pod's own address": shape((_, app) => {
    app.livenessProbe = { tcpSocket: { port: 80 } };
  }),
  "restricted volume types only": shape((spec) => {
    spec.volumes = [
      { name: "config", configMap: { name: "app" } },
      { name: "secret", secret: { secretName: "app" } },
      { name: "scratch", emptyDir: {} },
      { name: "data", persistentVolumeClaim: { claimName: "app" } },
      {
        name: "info",
        downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] },
      },
      { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
      { name: "inline", csi: { driver: "secrets-store.csi.k8s.io" } },
    ];
  }),
  "a volume with no source (defaulted to emptyDir)": shape((spec) => {
    spec.volumes = [{ name: "scratch" }];
  }),
  "an NFS volume": shape((spec) => {
    spec.volumes = [{ name: "shared", nfs: { server: "nfs.internal", path: "/exports" } }];
  }),
  "an iSCSI volume": shape((spec) => {
    spec.volumes = [
      { name: "lun", iscsi: { targetPortal: "10.0.0.2:3260", iqn: "iqn.2001-04.com.example:lun", lun: 0 } },
    ];
  }),
  "a Windows pod without the Linux-only settings": {
    spec: {
      os: { name: "windows" },
      securityContext: { runAsNonRoot: true },
      containers: [{ name: "app", image }],
    },
  },
  "a Windows pod running as root": {
    spec: {
      os: { name: "windows" },
      containers: [{ name: "app", image }],
    },
  },
  "a Windows HostProcess pod": {
    spec: {
      os: { name: "windows" },
      hostNetwork: true,
      securityContext: {
        runAsNonRoot: true,
        windowsOptions: { hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM" },
      },
      containers: [{ name: "app", image }],
    },
  },
  "a restartable sidecar that is privileged": shape((_, _app, init) => {
    init.restartPolicy = "Always";
    delete ctx(init).allowPrivilegeEscalation;
    ctx(init).privileged = true;
  }),
};

const cluster = new Cluster(kubeConfig());
const enforcing: Partial<Record<"baseline" | "restricted", string>> = {};

before(async () => {
  for (const level of ["baseline", "restricted"] as const) {
    const ns = await freshNamespace(`pss-${level}`);
    await cluster.request(HttpMethod.PATCH, `/api/v1/namespaces/${ns}`, {
      body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": level } } },
      contentType: "application/merge-patch+json",
    });
    enforcing[level] = ns;
  }
});

/** Whether admission admits the pod in a namespace enforcing `level`; anything but 201 or a 403 from
 * Pod Security fails the test (a shape the apiserver's validation refuses proves nothing). */
async function admitted(level: "baseline" | "restricted", name: string, pod: Shape): Promise<boolean> {
  const namespace = enforcing[level]!;
  try {
    await cluster.request(HttpMethod.POST, `/api/v1/namespaces/${namespace}/pods`, {
      body: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace, ...(pod.annotations ? { annotations: pod.annotations } : {}) },
        spec: pod.spec,
      },
      query: { dryRun: "All" },
    });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 403 && /violates PodSecurity/.test(error.message)) {
      return false;
    }
    throw error;
  }
}

const RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** What check says of the pod, read as a Pod object is read. */
const levelOf = (pod: Shape) =>
  podSecurityLevel(podSecurityViolations({ metadata: { annotations: pod.annotations }, spec: pod.spec }, []));

describe("podSecurityLevel agrees with Pod Security admission", () => {
  Object.entries(shapes).forEach(([what, pod], i) => {
    test(what, async () => {
      const level = levelOf(pod);
      const oracle = {
        baseline: await admitted("baseline", `case-${i}`, pod),
        restricted: await admitted("restricted", `case-${i}`, pod),
      };
      assert.deepEqual(
        { baseline: RANK[level] >= RANK.baseline, restricted: level === "restricted" },
        oracle,
        `check says ${level}`,
      );
    });
  });

  test("the cases cover every level", () => {
    const levels = new Set(Object.values(shapes).map(levelOf));
    assert.deepEqual([...levels].sort(), ["baseline", "privileged", "restricted"]);
  });
});
