// Helpers for the deploy integration tests: run the real CLI against the testbed, and give the
// blueprint's claims static volumes (the testbed has no storage provisioner, as many clusters don't).
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { fileURLToPath } from "node:url";
import type { Pod } from "kubernetes-types/core/v1.js";
import { Cluster } from "../../src/cluster/client.ts";
import { BLUEPRINT_CLAIMS, staticVolume } from "./deploy-volumes.ts";
import { kubeConfig } from "./support/cluster.ts";

export const CLI = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

let kubeconfigPath: string | undefined;

/** The testbed kubeconfig as a file the CLI can be pointed at with --kubeconfig. */
export function kubeconfigFile(): string {
  if (!kubeconfigPath) {
    kubeconfigPath = join(mkdtempSync(join(tmpdir(), "shipshape-deploy-")), "kubeconfig");
    writeFileSync(kubeconfigPath, kubeConfig().exportConfig(), { mode: 0o600 });
  }
  return kubeconfigPath;
}

export function testCluster(): Cluster {
  return new Cluster(kubeConfig());
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `shipshape <args> --kubeconfig <testbed>` as a user would, not on a TTY (synth takes no kubeconfig). */
export function shipshape(args: string[], stdin?: string): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args, ...(args[0] === "synth" ? [] : ["--kubeconfig", kubeconfigFile()])],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr, ms: Date.now() - started });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Starts `shipshape <args>`, sends `signal` (Ctrl-C by default) once its output matches `when`, and waits
 * for it to exit. */
export function interrupted(
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals = "SIGINT",
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, "--kubeconfig", kubeconfigFile()]);
    let stdout = "";
    let sent = false;
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!sent && when.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

const volumes = new Set<string>();
// Registered at import, so it runs when the test file ends (not when the before() hook that adds volumes ends).
after(async () => {
  const cluster = testCluster();
  await Promise.allSettled(
    [...volumes].map((name) =>
      cluster.delete({ apiVersion: "v1", kind: "PersistentVolume", metadata: { name } }),
    ),
  );
});

/** Static volumes for the blueprint's claims in `namespace`, deleted when the test file ends. */
export async function blueprintVolumes(namespace: string): Promise<void> {
  const cluster = testCluster();
  for (const claim of BLUEPRINT_CLAIMS) {
    const volume = staticVolume(namespace, claim);
    volumes.add(volume.metadata.name ?? "");
    await cluster.apply(volume, { force: true });
  }
}

/** The blueprint's web pods in `namespace`, leaving out those already on their way out. */
export async function blueprintWebPods(cluster: Cluster, namespace: string): Promise<Pod[]> {
  const list = await cluster.list("v1", "Pod", namespace, { labelSelector: "app=wordpress,tier=frontend" });
  return (list.items as unknown as Pod[]).filter((p) => !p.metadata?.deletionTimestamp);
}

/** `deploy wordpress` into `namespace` with the static class for both claims, plus `settings`. */
export function blueprintArgs(
  command: "deploy" | "diff",
  namespace: string,
  ...settings: string[]
): string[] {
  const sets = [`namespace=${namespace}`, "storageClass=static", "dbStorageClass=static", ...settings];
  return [command, "wordpress", "--domain", "blog.example.com", ...sets.flatMap((s) => ["--set", s])];
}
