// A soak of the blueprint's lifecycle: deploy / change / prune / interrupt (SIGINT or SIGTERM at a random
// moment) / redeploy, SOAK_CYCLES times (default 50). After every run: no object was deleted that the
// run did not print as pruned, the generated DB password never changed, and a re-run converges to
// "no changes". Figures (cycles, runs, deletions, interrupt outcomes, times) go to stdout for docs/deploy.md.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { APP_LABEL } from "../../src/k8s/app-identity.ts";
import {
  blueprintArgs,
  blueprintVolumes,
  interrupted,
  shipshape,
  testCluster,
} from "../integration/deploy-support.ts";
import { freshNamespace } from "../integration/support/cluster.ts";

const CYCLES = Number(process.env.SOAK_CYCLES ?? 50);
const cluster = testCluster();
let ns = "";

const KINDS: Array<[string, string]> = [
  ["apps/v1", "Deployment"],
  ["apps/v1", "StatefulSet"],
  ["v1", "Service"],
  ["v1", "Secret"],
  ["v1", "PersistentVolumeClaim"],
  ["policy/v1", "PodDisruptionBudget"],
  ["autoscaling/v2", "HorizontalPodAutoscaler"],
  ["networking.k8s.io/v1", "Ingress"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
];

/** The app's objects now, as "Kind ns/name". */
async function snapshot(): Promise<Set<string>> {
  const lists = await Promise.all(
    KINDS.map(([apiVersion, kind]) =>
      cluster.list(apiVersion, kind, ns, { labelSelector: `${APP_LABEL}=wordpress` }),
    ),
  );
  return new Set(
    lists.flatMap((l) =>
      l.items.filter((o) => !o.metadata.deletionTimestamp).map((o) => `${o.kind} ${ns}/${o.metadata.name}`),
    ),
  );
}

async function dbPassword(): Promise<string> {
  const secret = await cluster.get({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "wordpress-mysql", namespace: ns },
  });
  return JSON.stringify(secret?.data);
}

/** A random variant of the blueprint: some settings changed, the Ingress and the autoscaler sometimes left out. */
function variant(random: () => number): string[] {
  const settings = [
    `replicas=${3 + Math.floor(random() * 2)}`,
    `preStopSeconds=${10 + Math.floor(random() * 10)}`,
  ];
  if (random() < 0.4) settings.push("ingress=none");
  if (random() < 0.3) settings.push("autoscale=false");
  return blueprintArgs("deploy", ns, ...settings);
}

/** A small deterministic PRNG, so a failing cycle can be replayed with the same SOAK_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const figures = {
  runs: 0,
  pruned: 0,
  interruptsBeforeApply: 0,
  interruptsDuringWait: 0,
  maxMs: 0,
  totalMs: 0,
};

/** Runs one deploy and checks the invariants around it. */
async function checkedRun(run: () => Promise<{ code: number | null; stdout: string }>, password: string) {
  const before = await snapshot();
  const started = Date.now();
  const result = await run();
  const ms = Date.now() - started;
  figures.runs++;
  figures.totalMs += ms;
  figures.maxMs = Math.max(figures.maxMs, ms);
  const after = await snapshot();
  const printed = new Set([...result.stdout.matchAll(/^pruned (.+)$/gm)].map((m) => m[1]!));
  for (const gone of before) {
    if (!after.has(gone))
      assert.ok(printed.has(gone), `${gone} was deleted without being printed as pruned:\n${result.stdout}`);
  }
  figures.pruned += printed.size;
  assert.equal(await dbPassword(), password, "the generated DB password never changes");
  return result;
}

before(async () => {
  ns = await freshNamespace("deploy-soak");
  await blueprintVolumes(ns);
  const first = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "120s"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
});

test(`${CYCLES} cycles of deploy / change / prune / interrupt / redeploy lose nothing and converge`, {
  timeout: CYCLES * 120_000,
}, async () => {
  const seed = Number(process.env.SOAK_SEED ?? Date.now() % 100_000);
  const random = prng(seed);
  const password = await dbPassword();
  assert.notEqual(password, undefined);
  const started = Date.now();
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const where = `cycle ${cycle} (SOAK_SEED=${seed})`;
    const changed = await checkedRun(
      () => shipshape([...variant(random), "--timeout", "90s", "--yes"]),
      password,
    );
    assert.equal(changed.code, 0, `${where}: ${changed.stdout}`);
    // Interrupt a deploy of another variant at a random moment of its plan, apply or wait.
    const signal = random() < 0.5 ? "SIGINT" : "SIGTERM";
    const marker = random() < 0.5 ? /^plan for app/m : /^(configured|created|no changes)/m;
    const stopped = await checkedRun(
      () =>
        interrupted(
          [...variant(random), "--timeout", "90s", "--yes", ...(random() < 0.5 ? ["--atomic"] : [])],
          marker,
          signal,
        ),
      password,
    );
    if (/deploy interrupted/.test(stopped.stdout)) figures.interruptsDuringWait++;
    else figures.interruptsBeforeApply++;
    // Converge: a full deploy, then the same again changes nothing.
    const redeploy = await checkedRun(
      () => shipshape([...blueprintArgs("deploy", ns), "--timeout", "90s", "--yes"]),
      password,
    );
    assert.equal(redeploy.code, 0, `${where}: ${redeploy.stdout}`);
    const again = await shipshape([...blueprintArgs("deploy", ns), "--timeout", "90s"]);
    assert.equal(again.code, 0, `${where}: ${again.stdout}`);
    assert.match(again.stdout, /no changes; all ready/, `${where}: a re-run converges`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `soak: ${CYCLES} cycles, ${figures.runs} checked deploys in ${seconds}s (mean ${(figures.totalMs / figures.runs / 1000).toFixed(1)}s, max ${(figures.maxMs / 1000).toFixed(1)}s), ${figures.pruned} prunes all printed, interrupts: ${figures.interruptsDuringWait} stopped a running deploy, ${figures.interruptsBeforeApply} hit before or after it; DB password unchanged; seed ${seed}\n`,
  );
});
