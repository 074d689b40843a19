// Time from start to all-ready for the WordPress blueprint: `shipshape deploy` against the anchor
// `kubectl apply --server-side` + `kubectl rollout status` (same manifests, same testbed, same run,
// alternating, each round in fresh namespaces). Prints per-round times and the median ratio.
//
//   npm run testbed:up && node bench/deploy.ts [rounds]
//
// Both sides do the same work: the blueprint with a fixed 3 web replicas (no HPA, whose 15 s sync
// would dominate), its claims bound to static volumes, and the DB Secret (which kubectl cannot
// generate, so its side gets it in the manifest). shipshape waits for more than kubectl does
// (Service endpoints, PVCs, the PDB), so the comparison does not flatter it.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { wordpress } from "../src/blueprint/blueprints/wordpress.ts";
import { generatedSecrets, generateSecret } from "../src/blueprint/secret.ts";
import { Cluster } from "../src/cluster/client.ts";
import { BLUEPRINT_CLAIMS, staticVolume } from "../test/integration/deploy-volumes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const kubeconfig = process.env.KUBECONFIG || join(root, ".testbed", "kubeconfig");
const version = /K8S_VERSION=(\S+)/.exec(readFileSync(join(root, "testbed", "versions.sh"), "utf8"))?.[1];
const cache = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
const kubectl = process.env.KUBECTL || join(cache, "shipshape-testbed", version ?? "", "bin", "kubectl");
const rounds = Number(process.argv[2] ?? 3);
const SETTINGS = { autoscale: false, replicas: 3, storageClass: "static", dbStorageClass: "static" };

const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
const cluster = new Cluster(kc);

function run(file: string, args: string[], stdin?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
      (error, _out, stderr) =>
        error ? reject(new Error(`${file} ${args.join(" ")}: ${stderr || error.message}`)) : resolve(),
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

async function prepare(namespace: string): Promise<void> {
  for (const claim of BLUEPRINT_CLAIMS) await cluster.apply(staticVolume(namespace, claim), { force: true });
}

async function timeShipshape(namespace: string): Promise<number> {
  await prepare(namespace);
  const sets = Object.entries({ ...SETTINGS, namespace }).flatMap(([k, v]) => ["--set", `${k}=${v}`]);
  const started = performance.now();
  await run(process.execPath, [
    join(root, "src/cli/main.ts"),
    "deploy",
    "wordpress",
    ...sets,
    "--timeout",
    "5m",
  ]);
  return performance.now() - started;
}

async function timeKubectl(namespace: string): Promise<number> {
  await prepare(namespace);
  const objects = wordpress({ ...SETTINGS, namespace }).objects();
  const secrets = generatedSecrets(objects).map((need) => generateSecret(need));
  const yaml = [...objects, ...secrets].map((o) => stringify(o)).join("---\n");
  const started = performance.now();
  await run(kubectl, ["apply", "--server-side", "-f", "-"], yaml);
  await run(kubectl, [
    "rollout",
    "status",
    "-n",
    namespace,
    "deployment/wordpress",
    "statefulset/wordpress-mysql",
    "--timeout=5m",
  ]);
  return performance.now() - started;
}

async function cleanup(namespace: string): Promise<void> {
  await cluster.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  for (const claim of BLUEPRINT_CLAIMS) await cluster.delete(staticVolume(namespace, claim));
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const shipshapeMs: number[] = [];
const kubectlMs: number[] = [];
const stamp = Date.now().toString(36);
for (let round = 0; round < rounds; round++) {
  // Alternate who goes first, so neither always meets a warmer cluster.
  const order = round % 2 === 0 ? (["kubectl", "shipshape"] as const) : (["shipshape", "kubectl"] as const);
  for (const tool of order) {
    const namespace = `bench-deploy-${tool}-${stamp}-${round}`;
    try {
      const ms = tool === "kubectl" ? await timeKubectl(namespace) : await timeShipshape(namespace);
      (tool === "kubectl" ? kubectlMs : shipshapeMs).push(ms);
      console.log(`round ${round + 1} ${tool.padEnd(9)} ${(ms / 1000).toFixed(2)} s to all-ready`);
    } finally {
      await cleanup(namespace);
    }
  }
}
const ratio = median(shipshapeMs) / median(kubectlMs);
console.log(
  `median: shipshape ${(median(shipshapeMs) / 1000).toFixed(2)} s, kubectl apply + rollout status ${(median(kubectlMs) / 1000).toFixed(2)} s`,
);
console.log(`ratio shipshape/kubectl: ${ratio.toFixed(2)} (≤ 1.00 means no slower)`);
