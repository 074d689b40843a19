// The seed's story, end to end on real nodes and through the path a user's traffic takes: HTTPS
// via Traefik (its ACME resolver's certificate from Pebble, trusted through --cacert, never
// --insecure), WordPress installed and a post written over it, http answering a redirect to
// https; then `verify rollout` at the issue's 200 qps with the blueprint's readiness + preStop (no failed
// request), and at 60 qps without the preStop (the failures the seed saw, named after-sigterm); `verify drain`;
// `verify autoscale` with the seed's HPA under CPU-bound load (3 → 6 → 3); `verify delete` of the
// MySQL pod (failures only while it is down, the post kept); and `shipshape delete` keeping the data,
// then a redeploy that finds the post again. Docs: docs/story.md.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { AppsV1Api, AutoscalingV2Api } from "@kubernetes/client-node";
import type { Timeline } from "../../src/verify/timeline.ts";
import type { Verdict } from "../../src/verify/verdict.ts";
import { shipshape } from "../integration/deploy-support.ts";
import { core, freshNamespace, kubeConfig, testbed, waitFor } from "./support/dataplane.ts";
import { type Answer, ingress, viaIngress } from "./support/ingress.ts";
import { freshAdmin, installWordPress, postTitle, publishPost, type Site } from "./support/wordpress-site.ts";

const apps = kubeConfig().makeApiClient(AppsV1Api);
const autoscaling = kubeConfig().makeApiClient(AutoscalingV2Api);
/** A static page: Apache serves it without PHP, so the load costs the web tier (200m CPU ×3)
 * little and the rollout, not the CPU, decides what fails. */
const PAGE = "/readme.html";
/** The issue's rate, for the rollout with the preStop: no request may fail at it. This shared
 * 2-core machine holds it only at times (198 qps achieved at load average ~30, 136 at ~50). */
const ISSUE_QPS = 200;
/** The rate of the drain and of the runs without the preStop, whose failures are placed on the
 * timeline: at 200 the saturated path (corrected p50 ~5 s) put a failure's intended send time
 * seconds before the pod event that caused it ("unexplained"). At 60 qps the load is served on time. */
const QPS = 60;
/** Traefik's websecure entry point on every node (testbed/ingress.sh). */
const TRAEFIK_HTTPS_NODEPORT = 30443;
/** Runs of the no-preStop rollout: the race is timing-dependent, one run proves little. */
const RUNS_WITHOUT_PRESTOP = 5;

let ns = "";
let site = "";
/** The post step 1 writes; steps 5 and 6 read it back. */
let post = { id: "", title: "" };
const out = mkdtempSync(join(tmpdir(), "shipshape-story-"));

/** How a deploy of the story differs from the blueprint's defaults. */
interface Variant {
  /** `--pre-stop-seconds 0`: no preStop hook at all. */
  withoutPreStop?: boolean;
  /** The seed's HPA (3..6 at 20 % CPU) instead of a fixed 3 replicas. */
  autoscale?: boolean;
}

/** The HPA's scale-down stabilisation for the story: the blueprint's 300 s are for production; the
 * testbed's tuning (testbed/README.md) lets the scale-down show within the test. */
const SCALE_DOWN_WINDOW_S = 30;

/** `synth wordpress --ingress traefik` with the testbed's images, classes and ACME resolver,
 * piped to `deploy -`, as the walkthrough (docs/story.md) does. */
async function synthAndDeploy(variant: Variant = {}): Promise<void> {
  const { images, storage } = await testbed();
  const synth = await shipshape([
    "synth",
    "wordpress",
    "--ingress",
    "traefik",
    "--domain",
    site,
    "--cert-resolver",
    (await ingress()).certResolver,
    "--namespace",
    ns,
    "--wordpress-image",
    images.wordpress,
    "--mysql-image",
    images.mysql,
    "--storage-class",
    storage.rwx,
    "--db-storage-class",
    storage.rwo,
    // A fixed 3 replicas for the rollouts and the drain: an HPA scaling in the middle of a rollout
    // would blur what it shows.
    ...(variant.autoscale
      ? ["--scale-down-stabilization-seconds", String(SCALE_DOWN_WINDOW_S)]
      : ["--no-autoscale"]),
    // The seed's 20 s (and the blueprint's grace period), or none at all. 5 s was tried first: on
    // this loaded machine Traefik once took 6-7 s to drop a terminating pod, and 20 of 3,589
    // requests failed after the sleep ended.
    ...(variant.withoutPreStop ? ["--pre-stop-seconds", "0"] : []),
  ]);
  assert.equal(synth.code, 0, synth.stderr);
  const deploy = await shipshape(["deploy", "-", "--app", "wordpress", "--timeout", "300s"], synth.stdout);
  assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
}

before(async () => {
  ns = await freshNamespace("story");
  site = `${ns}.${(await ingress()).domain}`;
  await synthAndDeploy();
});

/** Once Traefik's resolver has its certificate, TLS verifies against Pebble's root alone. */
async function firstHttps(path: string): Promise<Answer> {
  return waitFor(() => viaIngress("https", site, path), {
    timeoutMs: 180_000,
    what: `https://${site}${path} with a certificate Pebble's root verifies`,
  });
}

/** The blog through the ingress's HTTPS relay, as its users reach it. */
async function overHttps(): Promise<Site> {
  const { https, ca } = await ingress();
  return { host: https.host, port: https.port, domain: `${site}:${https.port}`, ca };
}

test("1. HTTPS through Traefik with an ACME certificate: install finished, a post created; http redirects to https", async () => {
  const installer = await firstHttps("/wp-admin/install.php");
  assert.equal(installer.status, 200, installer.body.slice(0, 300));
  assert.doesNotMatch(installer.body, /Error establishing a database connection/);

  const admin = freshAdmin();
  await installWordPress(await overHttps(), admin);
  const title = `Written over HTTPS at ${new Date().toISOString()}`;
  const id = await publishPost(await overHttps(), admin, title);
  assert.equal(await postTitle(await overHttps(), id), title);
  post = { id, title };

  const plain = await viaIngress("http", site, "/wp-login.php");
  assert.ok([301, 308].includes(plain.status), `http answered ${plain.status}, not a permanent redirect`);
  assert.match(
    String(plain.headers.location),
    new RegExp(`^https://${site.replaceAll(".", "\\.")}(:\\d+)?/wp-login\\.php$`),
  );
});

/** The failed requests of a verdict by status or error: "502: 13, timeout: 8", or "none". */
function failureCodes(v: Verdict): string {
  const counts: Record<string, number> = {};
  for (const incident of v.incidents)
    for (const [code, n] of Object.entries(incident.codes)) counts[code] = (counts[code] ?? 0) + n;
  return (
    Object.entries(counts)
      .map(([code, n]) => `${code}: ${n}`)
      .join(", ") || "none"
  );
}

/** What a verify run loads: a path of the site, at a rate, on a number of connections. */
interface Load {
  path: string;
  qps: number;
  connections: number;
}

const STATIC_LOAD: Load = { path: PAGE, qps: QPS, connections: 8 };

/** `verify <scenario> <target>` over HTTPS through the ingress (the static page at QPS unless
 * `load` says otherwise); the verdict and timeline from its JSON. */
async function verifyUnderLoad(
  scenario: string,
  target: string,
  name: string,
  load: Load = STATIC_LOAD,
  ...extra: string[]
): Promise<{ code: number; verdict: Verdict; timeline: Timeline; text: string }> {
  const { caFile } = await ingress();
  // Traefik's websecure NodePort on a node's address, not the 127.0.0.1 relay: verify traces the
  // URL to the pods before it loads (Service traefik/traefik → the IngressRoute for the site →
  // Service wordpress), and a relay the cluster knows nothing of cannot be traced.
  const { items } = await core.listNode();
  const address = items[0]?.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
  assert.ok(address, "a node with an InternalIP");
  const json = join(out, `${name}.json`);
  const run = await shipshape([
    "verify",
    scenario,
    target,
    "-n",
    ns,
    "--url",
    `https://${site}:${TRAEFIK_HTTPS_NODEPORT}${load.path}`,
    "--resolve",
    `${site}:${TRAEFIK_HTTPS_NODEPORT}:${address}`,
    "--cacert",
    caFile,
    "--qps",
    String(load.qps),
    "--connections",
    String(load.connections),
    "--warmup",
    "5s",
    ...extra,
    "--json",
    json,
    "--quiet",
  ]);
  assert.ok(run.code === 0 || run.code === 1, `verify exited ${run.code}: ${run.stderr}`);
  const { verdict, timeline } = JSON.parse(readFileSync(json, "utf8")) as {
    verdict: Verdict;
    timeline: Timeline;
  };
  assert.match(
    verdict.reach?.how ?? "",
    /^Service traefik\/traefik \(nodePort \d+ on node \S+\) → IngressRoute \S+ \(host \S+\) → Service \S+ → the target.s pods$/,
    run.stdout,
  );
  return { code: run.code, verdict, timeline, text: run.stdout };
}

test("2a. a rollout at the issue's 200 qps over HTTPS with readiness + preStop fails no request", async () => {
  const load: Load = { ...STATIC_LOAD, qps: ISSUE_QPS };
  const { code, verdict, timeline, text } = await verifyUnderLoad(
    "rollout",
    "deploy/wordpress",
    "with-prestop",
    load,
  );
  const { qps, latencyMs } = timeline.load;
  console.log(
    `rollout with preStop, ${ISSUE_QPS} qps asked: ${qps?.toFixed(1)} achieved, ${verdict.failed} of ${verdict.calls} failed, corrected p50 ${latencyMs?.p50?.toFixed(0)} ms, p99 ${latencyMs?.p99?.toFixed(0)} ms; ${verdict.goal.summary}`,
  );
  assert.equal(verdict.failed, 0, text);
  assert.ok(verdict.zeroDowntime && verdict.goal.met, text);
  assert.equal(code, 0, text);
  // The load was answered at the rate asked, not refused at the door.
  assert.ok(verdict.calls >= ISSUE_QPS * 15, `${verdict.calls} calls: ${text}`);
});

test("3. verify drain of a node holding a WordPress pod: paced by the PDB, no failed request", async () => {
  const nodeOf = async (namespace: string, selector: string) =>
    (await core.listNamespacedPod({ namespace, labelSelector: selector })).items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.spec?.nodeName);
  // Not the node of the one MySQL pod (no PDB can keep a single instance up) nor of the one
  // Traefik pod (the ingress itself): the drain is about the web tier.
  const busy = new Set([...(await nodeOf(ns, "tier=mysql")), ...(await nodeOf("traefik", "app=traefik"))]);
  const node = (await nodeOf(ns, "tier=frontend")).find((n) => n && !busy.has(n));
  assert.ok(node, "a node with a WordPress pod and neither MySQL nor Traefik");
  const { code, verdict, text } = await verifyUnderLoad("drain", node, "drain");
  assert.equal(verdict.failed, 0, text);
  assert.ok(verdict.goal.met, text);
  assert.match(verdict.goal.summary, /evicted.*uncordoned/, text);
  assert.equal(code, 0, text);
});

// Last: it takes the preStop away from the deployed app.
test("2b. without the preStop the seed's failures appear on rollout, and the verdict names after-sigterm", async () => {
  await synthAndDeploy({ withoutPreStop: true });
  const { items } = await apps.listNamespacedDeployment({ namespace: ns });
  const web = items.find((d) => d.metadata?.name === "wordpress");
  assert.equal(web?.spec?.template.spec?.containers[0]?.lifecycle, undefined, "no preStop hook at all");

  const runs: Verdict[] = [];
  for (let i = 1; i <= RUNS_WITHOUT_PRESTOP; i++)
    runs.push((await verifyUnderLoad("rollout", "deploy/wordpress", `without-prestop-${i}`)).verdict);
  const summary = runs.map((v, i) => {
    return `run ${i + 1}: ${v.failed} of ${v.calls} failed (${failureCodes(v)}); causes: ${v.causes.map((c) => `${c.kind} ${c.failures}`).join(", ") || "none"}`;
  });
  console.log(`without preStop, ${QPS} qps over HTTPS through Traefik:\n  ${summary.join("\n  ")}`);
  const failing = runs.filter((v) => v.failed > 0);
  assert.ok(failing.length > 0, `no run failed a request:\n${summary.join("\n")}`);
  // Every failing run names after-sigterm and its remedy; some failures of a run can fall outside
  // the correlation window (Traefik here may take seconds to drop an endpoint) and stay
  // "unexplained", so after-sigterm must explain most failures over the runs, not all of each.
  let sigterm = 0;
  let failed = 0;
  for (const v of failing) {
    assert.equal(v.zeroDowntime, false);
    const cause = v.causes.find((c) => c.kind === "after-sigterm");
    assert.ok(cause, summary.join("\n"));
    assert.match(cause.title ?? "", /add a preStop sleep/);
    assert.ok(
      cause.findings.some((f) => f.rule === "prestop-missing"),
      "confirmed by the live objects",
    );
    sigterm += cause.failures;
    failed += v.failed;
  }
  assert.ok(sigterm > failed / 2, `after-sigterm explains ${sigterm} of ${failed}:\n${summary.join("\n")}`);
});

/** The seed's load for its HPA (Fortio, 8 connections, as fast as they go) on the home page, which
 * PHP renders from the database: real CPU in the 200m-limited web pods. */
const CPU_LOAD: Load = { path: "/", qps: 0, connections: 8 };

test("4. verify autoscale under CPU-bound load over HTTPS: the seed's HPA takes 3 → 6 replicas, and back to 3 once the load stops", async () => {
  await synthAndDeploy({ autoscale: true });
  // spec.replicas passes from the manifest to the HPA: start once it holds the minimum and reads CPU,
  // and the previous release's pods (no preStop) are gone — else their 502s open the run.
  await waitFor(
    async () => {
      const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({
        name: "wordpress",
        namespace: ns,
      });
      const web = await apps.readNamespacedDeployment({ name: "wordpress", namespace: ns });
      const cpu = hpa.status?.currentMetrics?.find((m) => m.resource?.name === "cpu");
      const pods = (await core.listNamespacedPod({ namespace: ns, labelSelector: "tier=frontend" })).items;
      return (
        web.spec?.replicas === 3 && web.status?.readyReplicas === 3 && cpu !== undefined && pods.length === 3
      );
    },
    { timeoutMs: 180_000, what: "the HPA holding 3 ready replicas with a CPU reading, no other pod left" },
  );
  const { verdict, timeline, text } = await verifyUnderLoad(
    "autoscale",
    "deploy/wordpress",
    "autoscale",
    CPU_LOAD,
    "--wait-scale-down",
    "--timeout",
    "300s",
  );
  const replicas = timeline.events.filter((e) => e.kind === "replicas");
  const peak = Math.max(...replicas.map((e) => e.desired));
  const cpu = Math.max(...replicas.map((e) => e.cpuPercent ?? 0));
  console.log(
    `autoscale over HTTPS (${timeline.load.qps?.toFixed(1)} qps achieved on ${CPU_LOAD.connections} connections, ${verdict.failed} of ${verdict.calls} failed): ${verdict.goal.summary}; HPA CPU peak ${cpu} % of requests (target 20 %), scale-down window ${SCALE_DOWN_WINDOW_S} s`,
  );
  assert.equal(replicas[0]?.desired, 3, text);
  assert.ok(cpu > 20, `the load drove CPU over the 20 % target: ${text}`);
  assert.equal(peak, 6, `the HPA reached its maximum: ${text}`);
  assert.ok(verdict.goal.met, text);
  assert.match(verdict.goal.summary, /scaled back down/, text);
  assert.equal(replicas.at(-1)?.desired, 3, text);
});

/** How long after the MySQL endpoint is back the site may still fail: WordPress's readiness probe
 * loads wp-login.php, which needs the database, so an outage longer than its 3 failures × 5 s takes
 * every web pod out of rotation (Traefik answers 503) until the next probe passes, up to 5 s after
 * the database is back, and Traefik reloads (~2 s). Measured: the last failure 3.7-4.7 s after in
 * the test's runs, 9.5 s or more once by hand. */
const WEB_RECOVERY_MS = 15_000;

test("5a. the MySQL pod deleted under load: requests fail only while it is down, and the post is still there", async () => {
  // The post through the REST API: a page that needs the database on every request.
  const load: Load = { path: `/?rest_route=/wp/v2/posts/${post.id}`, qps: 5, connections: 4 };
  const { verdict, timeline, text } = await verifyUnderLoad(
    "delete",
    "pod/wordpress-mysql-0",
    "mysql",
    load,
    // Long enough to see the site serve again after the web tier's readiness comes back.
    "--settle",
    "30s",
  );
  assert.ok(verdict.goal.met, text);
  const deleted = timeline.events.find((e) => e.kind === "phase" && e.phase === "pod-deleted")?.t;
  assert.ok(deleted, text);
  // Down from the delete until the new pod's endpoint is ready behind Service wordpress-mysql.
  const back = timeline.events.find(
    (e) => e.kind === "endpoint" && e.t > deleted && (e.change === "ready" || e.change === "added-ready"),
  )?.t;
  assert.ok(back, `the MySQL endpoint turned ready again: ${text}`);
  const failures = timeline.load.failures;
  const last = failures.at(-1)?.t ?? deleted;
  console.log(
    `MySQL pod deleted under ${load.qps} qps: its endpoint back ${((back - deleted) / 1000).toFixed(1)} s after the delete, the last failure ${((last - back) / 1000).toFixed(1)} s after that; ${verdict.failed} of ${verdict.calls} failed (${failureCodes(verdict)}); ${verdict.goal.summary}`,
  );
  assert.ok(verdict.failed > 0, `the page needs the database, so its loss must show: ${text}`);
  // A request in flight at the delete may fail (it was sent just before); none earlier, none once
  // the web tier has recovered.
  const outside = failures.filter((f) => f.t < deleted - 1000 || f.t > back + WEB_RECOVERY_MS);
  assert.deepEqual(outside, [], `failures outside the outage: ${text}`);
  // And the site serves again: the run's last 10 s answered every request.
  const tail = timeline.load.seconds.filter(
    (s) => s.t >= timeline.endedAt - 10_000 && s.t < timeline.endedAt - 1000,
  );
  assert.ok(tail.length > 0 && tail.every((s) => s.calls > 0 && s.errors === 0), `served again: ${text}`);
  assert.equal(await postTitle(await overHttps(), post.id), post.title);
});

/** Name → uid of the namespace's objects of one kind: the same uid means the same object. */
async function uids(list: () => Promise<{ items: { metadata?: { name?: string; uid?: string } }[] }>) {
  return Object.fromEntries((await list()).items.map((o) => [o.metadata?.name, o.metadata?.uid]));
}

/** The Secrets that hold the app's data: the generated DB passwords and WordPress's keys and salts.
 * (Release records, Secrets too, go with the app: `delete` removes its history.) */
const DATA_SECRETS = ["wordpress-mysql", "wordpress-salts"];

test("5b. the app deleted with its data kept, then deployed again: the same claims and Secrets, and the post is still there", async () => {
  const claims = () => uids(() => core.listNamespacedPersistentVolumeClaim({ namespace: ns }));
  const secrets = async () => {
    const all = await uids(() => core.listNamespacedSecret({ namespace: ns }));
    return Object.fromEntries(DATA_SECRETS.map((name) => [name, all[name]]));
  };
  const [claimsBefore, secretsBefore] = [await claims(), await secrets()];
  assert.deepEqual(Object.keys(claimsBefore).sort(), ["data-wordpress-mysql-0", "wordpress-data"]);
  assert.ok(Object.values(secretsBefore).every(Boolean), JSON.stringify(secretsBefore));

  const removed = await shipshape(["delete", "--app", "wordpress", "-n", ns, "--yes"]);
  assert.equal(removed.code, 0, removed.stdout + removed.stderr);
  assert.match(removed.stdout, /deleted StatefulSet .*\/wordpress-mysql\b/, removed.stdout);
  assert.match(removed.stdout, /= keep PersistentVolumeClaim .*\/wordpress-data: holds data/, removed.stdout);
  assert.doesNotMatch(removed.stdout, /deleted (PersistentVolumeClaim|Secret|Namespace) /, removed.stdout);
  // The generated Secrets are the app's data, kept as its claims are, not someone else's left alone.
  for (const name of DATA_SECRETS)
    assert.match(removed.stdout, new RegExp(`= keep Secret ${ns}/${name}: holds data`), removed.stdout);
  assert.doesNotMatch(removed.stdout, /! leave /, removed.stdout);
  // Gone for real: no pod of the app is left to serve the post from memory.
  await waitFor(async () => (await core.listNamespacedPod({ namespace: ns })).items.length === 0, {
    timeoutMs: 180_000,
    what: "every pod of the deleted app gone",
  });
  // Nothing the user did not ask to delete: every claim and data Secret is the same object as before.
  assert.deepEqual(await claims(), claimsBefore);
  assert.deepEqual(await secrets(), secretsBefore);

  await synthAndDeploy({ autoscale: true });
  assert.deepEqual(await claims(), claimsBefore, "the new release uses the kept claims");
  assert.deepEqual(await secrets(), secretsBefore, "and the kept Secrets (the DB password)");
  assert.equal(
    await waitFor(async () => postTitle(await overHttps(), post.id), {
      timeoutMs: 120_000,
      what: "the post over HTTPS after the redeploy",
    }),
    post.title,
  );
});
