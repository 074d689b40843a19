// Time from start to all-ready for the WordPress blueprint: `shipshape deploy` against the anchor
// `kubectl apply --server-side` + `kubectl rollout status` (same manifests, same testbed, same run,
// rotating who goes first, each round in fresh namespaces). Prints per-round times and median ratios
// for the CLI (the installed entry point bin/shipshape.js in a fresh node process per deploy, so it
// pays its start-up: module loading, with the compile cache it turns on) and for the library call in
// a warm process (what `verify` and other callers pay).
//
//   npm run testbed:up && node bench/deploy.ts [rounds]
//
// Both sides do the same work: the blueprint with a fixed 3 web replicas (no HPA, whose 15 s sync
// would dominate), its claims bound to static volumes, and the DB Secret (which kubectl cannot
// generate, so its side gets it in the manifest). shipshape waits for more than kubectl does
// (Service endpoints, PVCs, the PDB), so the comparison does not flatter it.
import { execFile, execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { wordpress } from "../src/blueprint/blueprints/wordpress.ts";
import { Cluster } from "../src/cluster/client.ts";
import { deploy } from "../src/cluster/deploy.ts";
import { generatedSecrets, generateSecret } from "../src/k8s/generated-secrets.ts";
import { BLUEPRINT_CLAIMS, staticVolume } from "../test/integration/deploy-volumes.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const kubeconfig = process.env.KUBECONFIG || join(root, ".testbed", "kubeconfig");
// The testbed builds kubectl into its binary cache; versions.sh knows where (the path carries the pins' digest).
const testbedBin = execFileSync("bash", ["-c", 'source testbed/versions.sh && printf %s "$TESTBED_BIN"'], {
  cwd: root,
  encoding: "utf8",
});
const kubectl = process.env.KUBECTL || join(testbedBin, "kubectl");
const rounds = Number(process.argv[2] ?? 3);
const SETTINGS = { autoscale: false, replicas: 3, storageClass: "static", dbStorageClass: "static" };

const cluster = Cluster.connect({ kubeconfig });

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
    join(root, "bin/shipshape.js"),
    "deploy",
    "wordpress",
    ...sets,
    "--timeout",
    "5m",
  ]);
  return performance.now() - started;
}

async function timeLibrary(namespace: string): Promise<number> {
  await prepare(namespace);
  const objects = wordpress({ ...SETTINGS, namespace }).objects();
  const started = performance.now();
  const result = await deploy(cluster, objects, { app: "wordpress", timeoutMs: 300_000 });
  if (result.outcome !== "ready") throw new Error(`library deploy ended ${result.outcome}`);
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
const TOOLS = {
  kubectl: timeKubectl,
  "shipshape-cli": timeShipshape,
  "shipshape-lib": timeLibrary,
} as const;
type Tool = keyof typeof TOOLS;
const times: Record<Tool, number[]> = { kubectl: [], "shipshape-cli": [], "shipshape-lib": [] };
const names = Object.keys(TOOLS) as Tool[];
const stamp = Date.now().toString(36);
for (let round = 0; round < rounds; round++) {
  // Rotate who goes first, so no one always meets a warmer (or busier) cluster.
  const order = names.map((_, i) => names[(i + round) % names.length]!);
  for (const tool of order) {
    const namespace = `bench-deploy-${tool}-${stamp}-${round}`;
    try {
      const ms = await TOOLS[tool](namespace);
      times[tool].push(ms);
      console.log(`round ${round + 1} ${tool.padEnd(13)} ${(ms / 1000).toFixed(2)} s to all-ready`);
    } finally {
      await cleanup(namespace);
    }
  }
}
const seconds = (tool: Tool) => `${(median(times[tool]) / 1000).toFixed(2)} s`;
console.log(
  `median: kubectl apply + rollout status ${seconds("kubectl")}, shipshape CLI ${seconds("shipshape-cli")}, shipshape library ${seconds("shipshape-lib")}`,
);
for (const tool of ["shipshape-cli", "shipshape-lib"] as const) {
  console.log(
    `ratio ${tool}/kubectl: ${(median(times[tool]) / median(times.kubectl)).toFixed(2)} (≤ 1.00 means no slower)`,
  );
}
await cluster.close();
