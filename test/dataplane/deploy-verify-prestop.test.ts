// A release that adds a preStop, deployed with --verify on real pods: the pods it replaces were made
// without one, so the failures they cause on SIGTERM are theirs, and the verdict must say so — never
// "although a preStop exists", which the new template alone would suggest. The verdict judges each
// failing pod by its own spec, recorded while the rollout ran (src/verify/prestop.ts).
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { shipshape } from "../integration/deploy-support.ts";
import { core, freshNamespace, httpGet, isReady, nodePortUrl, waitFor } from "./support/dataplane.ts";
import { manifestOf, webWorkload } from "./support/web-workload.ts";

/** The race is timing-dependent (kube-proxy drops a terminating pod a moment after its SIGTERM):
 * a run may fail no request, so up to this many are made. */
const ATTEMPTS = 5;
const PRESTOP_SECONDS = 3;
let ns = "";
let url = "";

/** The app with or without a preStop sleep: 3 replicas rolled one at a time, 10 s of grace. */
async function release(preStop: boolean): Promise<string> {
  return manifestOf(
    await webWorkload({
      namespace: ns,
      replicas: 3,
      rolling: true,
      pod: { terminationGracePeriodSeconds: 10 },
      ...(preStop && { container: { lifecycle: { preStop: { sleep: { seconds: PRESTOP_SECONDS } } } } }),
    }),
  );
}

/** The names of the app's pods once only 3 ready ones made without a preStop are left. */
async function podsWithoutPreStop(): Promise<string[]> {
  return waitFor(
    async () => {
      const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
      const ok = items.length === 3 && items.every((p) => isReady(p) && !p.spec?.containers[0]?.lifecycle);
      return ok && items.map((p) => p.metadata!.name!);
    },
    { timeoutMs: 120_000, what: "3 ready pods without a preStop, no other pod left" },
  );
}

async function deployWithoutPreStop(): Promise<void> {
  const run = await shipshape(
    ["deploy", "-", "--app", "web", "-n", ns, "--timeout", "120s"],
    await release(false),
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
}

before(async () => {
  ns = await freshNamespace("dp-deploy-verify-prestop");
  await deployWithoutPreStop();
  url = await nodePortUrl(ns, "web");
  await podsWithoutPreStop();
  // kube-proxy programs a new node port a moment after the Service exists.
  assert.equal((await httpGet(url)).status, 200);
});

test("deploy --verify of a release that adds a preStop blames the replaced pods' failures on their missing preStop, never on the new one", async (t) => {
  const summaries: string[] = [];
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const replaced = await podsWithoutPreStop();
    // A light load (the machine is shared), as deploy-verify.test.ts runs it.
    const run = await shipshape(
      ["deploy", "-", "--app", "web", "-n", ns, "--timeout", "120s", "--verify", url].concat([
        "-q",
        "60",
        "-c",
        "4",
        "--settle",
        "8s",
      ]),
      await release(true),
    );
    const output = run.stdout + run.stderr;
    // A refused release prints verify's verdict; a kept one only its count (deploy-verify.ts)
    const downtime =
      /zero downtime: (?:NO — (\d+) of|yes)/.exec(run.stdout) ??
      /^verify: \d+ requests, (\d+) failed; SLO held: release kept$/m.exec(run.stdout);
    assert.ok(downtime, output);
    const failed = Number(downtime[1] ?? 0);
    const causes = run.stdout.split("\n").filter((line) => /^ {2}\d+\. /.test(line));
    summaries.push(
      `attempt ${attempt}: ${failed} failed; causes: ${causes.map((c) => c.trim()).join(" | ") || "none"}`,
    );
    t.diagnostic(summaries.at(-1)!);
    // Whatever failed, no pod of this rollout is ever judged by a preStop it did not have.
    assert.doesNotMatch(run.stdout, /although a preStop exists|add a preStop sleep/, output);
    const index = run.stdout
      .split("\n")
      .findIndex((line) =>
        line.includes(
          `endpoints removed after SIGTERM of pods made without a preStop; the template now has one (preStop sleep ${PRESTOP_SECONDS} s)`,
        ),
      );
    if (index >= 0) {
      // The evidence under the cause names the pods it blames: the ones the release replaced.
      const evidence = run.stdout.split("\n")[index + 1] ?? "";
      const named = evidence.match(/web-[a-z0-9]+-[a-z0-9]+/g) ?? [];
      assert.ok(named.length > 0, evidence);
      for (const pod of named) assert.ok(replaced.includes(pod), `${pod} is not a replaced pod: ${output}`);
      assert.match(run.stdout, /fix: nothing to add: these failures came from the pods being replaced/);
      return;
    }
    // Kept (nothing or too little failed) or rolled back: start again from the release without preStop.
    if (run.code === 0) await deployWithoutPreStop();
  }
  assert.fail(`no attempt's failures were placed after a replaced pod's SIGTERM:\n${summaries.join("\n")}`);
});
