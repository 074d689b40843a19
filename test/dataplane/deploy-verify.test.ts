// deploy --verify on real pods, with load from the host through a NodePort and kube-proxy: a URL that
// does not reach the app is refused before anything is applied; a good revision (readiness + preStop)
// passes its SLO and stays live; a revision whose readiness lies (its probe passes on a port the
// Service does not route to, so every request it gets is refused) breaks the SLO, is rolled back,
// and the previous revision's pods serve again.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { AppsV1Api, type V1Pod } from "@kubernetes/client-node";
import { shipshape } from "../integration/deploy-support.ts";
import {
  core,
  freshNamespace,
  httpGet,
  isReady,
  kubeConfig,
  nodePortUrl,
  waitFor,
} from "./support/dataplane.ts";
import { manifestOf, webWorkload } from "./support/web-workload.ts";

const apps = kubeConfig().makeApiClient(AppsV1Api);
let ns = "";
let url = "";

/** The app's objects at `revision` (an env var, so each is a new pod template), as deploy reads them. */
async function release(revision: string, readiness: "honest" | "lies" = "honest"): Promise<string> {
  const lies = readiness === "lies";
  return manifestOf(
    await webWorkload({
      namespace: ns,
      replicas: 2,
      rolling: true,
      pod: { terminationGracePeriodSeconds: 10 },
      container: {
        // The lie: the server listens on 8081 and the probe asks there, while the Service routes to 8080.
        env: [{ name: "REVISION", value: revision }, ...(lies ? [{ name: "PORT", value: "8081" }] : [])],
        ...(lies && { readinessProbe: { httpGet: { path: "/healthz", port: 8081 }, periodSeconds: 1 } }),
        lifecycle: { preStop: { sleep: { seconds: 3 } } },
      },
    }),
  );
}

/** `deploy - --app web --verify URL` with a light load (the machine is shared) and a short settle. */
function deployVerified(revision: string, readiness: "honest" | "lies", target = url, extra: string[] = []) {
  return release(revision, readiness).then((manifest) =>
    shipshape(
      ["deploy", "-", "--app", "web", "-n", ns, "--timeout", "120s", "--verify", target].concat([
        "-q",
        "40",
        "-c",
        "4",
        "--settle",
        "8s",
        ...extra,
      ]),
      manifest,
    ),
  );
}

const revisionOf = (pod: V1Pod) => pod.spec?.containers[0]?.env?.find((e) => e.name === "REVISION")?.value;

/** The live Deployment's pod template revision. */
async function liveRevision(): Promise<string | undefined> {
  const live = await apps.readNamespacedDeployment({ name: "web", namespace: ns });
  return live.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === "REVISION")?.value;
}

/** The revisions of the pods that answer `url` (the web server answers its pod's name), over 20 requests. */
async function answeringRevisions(): Promise<Set<string | undefined>> {
  const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
  const byName = new Map(items.map((p) => [p.metadata?.name, p]));
  const seen = new Set<string | undefined>();
  for (let i = 0; i < 20; i++) {
    const answer = await httpGet(url);
    assert.equal(answer.status, 200, answer.body);
    const pod = byName.get(answer.body.trim());
    assert.ok(pod, `answered by "${answer.body.trim()}", not a pod of the app`);
    seen.add(revisionOf(pod));
  }
  return seen;
}

/** Until only pods of `revision` are left (terminating ones gone) and all of them are ready. */
function onlyRevision(revision: string): Promise<V1Pod[]> {
  return waitFor(
    async () => {
      const { items } = await core.listNamespacedPod({ namespace: ns, labelSelector: "app=web" });
      return items.length === 2 && items.every((p) => revisionOf(p) === revision && isReady(p)) && items;
    },
    { timeoutMs: 60_000, what: `only ready pods of revision ${revision}` },
  );
}

before(async () => {
  ns = await freshNamespace("dp-deploy-verify");
  const first = await shipshape(
    ["deploy", "-", "--app", "web", "-n", ns, "--timeout", "120s"],
    await release("1"),
  );
  assert.equal(first.code, 0, first.stdout + first.stderr);
  url = await nodePortUrl(ns, "web");
  await onlyRevision("1");
});

test("a URL that does not lead to the Deployment's pods, or where nothing answers, is refused before anything is applied", async () => {
  const { items } = await core.listNode();
  const node = items[0]?.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
  const generation = (await apps.readNamespacedDeployment({ name: "web", namespace: ns })).metadata
    ?.generation;
  // Port 1 on a node: no Service's node port, and nothing listens there.
  const untraced = await deployVerified("refused", "honest", `http://${node}:1/`);
  assert.equal(untraced.code, 2, untraced.stdout + untraced.stderr);
  assert.match(untraced.stderr, /^shipshape deploy: .*not proven to reach Deployment/m);
  // Told to go on regardless, the warm-up finds nothing answering.
  const silent = await deployVerified("refused", "honest", `http://${node}:1/`, ["--assume-reach"]);
  assert.equal(silent.code, 2, silent.stdout + silent.stderr);
  assert.match(silent.stderr, /^shipshape deploy: --verify: every request failed during the 2 s warm-up/m);
  for (const run of [untraced, silent]) assert.doesNotMatch(run.stdout, /^configured /m);
  const after = await apps.readNamespacedDeployment({ name: "web", namespace: ns });
  assert.equal(after.metadata?.generation, generation, "the Deployment was not changed");
  assert.equal(await liveRevision(), "1");
});

/** What the run measured, in the test's output: the numbers docs/deploy.md quotes. */
const measured = (run: { stdout: string }) =>
  run.stdout
    .split("\n")
    .filter((line) => /^(SLO: |verify: (\d+ requests|release refused)| {2}zero downtime)/.test(line));

test("a good revision rolled out under load holds the SLO: exit 0, the measured SLO line, the new pods serve", async (t) => {
  const run = await deployVerified("2", "honest");
  for (const line of measured(run)) t.diagnostic(line);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^verify: load started: 40 qps on 4 connections against http:/m);
  assert.match(run.stdout, /^verify: rollout complete; settling 8 s under load$/m);
  assert.match(run.stdout, /^SLO: success [\d.]+% \(success>=99\.9%\) held$/m);
  assert.match(run.stdout, /^verify: \d+ requests, \d+ failed; SLO held: release kept$/m);
  assert.match(run.stdout, /^deployed; all ready \(release \d+\)/m);
  assert.equal(await liveRevision(), "2");
  await onlyRevision("2");
  assert.deepEqual([...(await answeringRevisions())], ["2"]);
});

test("a revision whose readiness lies breaks the SLO and is rolled back: exit 1, the verdict names the threshold, the previous pods serve again", async (t) => {
  const run = await deployVerified("3", "lies");
  for (const line of measured(run)) t.diagnostic(line);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  // verify's verdict: the failures on a timeline, then the threshold that broke with what was measured.
  assert.match(run.stdout, new RegExp(`^verify rollout Deployment ${ns}/web: FAILED$`, "m"));
  assert.match(run.stdout, /zero downtime: NO — \d+ of \d+ requests failed/);
  assert.match(run.stdout, /✗ \d+ failed: \d+ × (connect|reset)/);
  assert.match(run.stdout, /^SLO: success [\d.]+% \(success>=99\.9%\) BROKEN$/m);
  assert.match(
    run.stdout,
    /^verify: release refused: SLO broken: success>=99\.9% \(measured [\d.]+%\); rolling back$/m,
  );
  assert.match(run.stdout, new RegExp(`^rolled back Deployment ${ns}/web to the previous release$`, "m"));
  assert.match(run.stdout, /^rollback complete: the previous release is back and ready$/m);
  assert.match(run.stdout, /^deploy rolled-back \(release \d+\)/m);
  assert.match(
    run.stderr,
    /^shipshape deploy: release refused: SLO broken: success>=99\.9% \(measured [\d.]+%\)$/m,
  );
  assert.equal(await liveRevision(), "2");
  await onlyRevision("2");
  assert.deepEqual([...(await answeringRevisions())], ["2"]);
});
