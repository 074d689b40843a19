// The seed's story, end to end on real nodes and through the path a user's traffic takes: HTTPS
// via Traefik (its ACME resolver's certificate from Pebble, trusted through --cacert, never
// --insecure), WordPress installed and a post written over it, http answering a redirect to
// https; then `verify rollout` under load (QPS below) with the blueprint's readiness + preStop (no failed
// request), and without the preStop (the failures the seed saw, named after-sigterm).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { AppsV1Api } from "@kubernetes/client-node";
import type { Verdict } from "../../src/verify/verdict.ts";
import { shipshape } from "../integration/deploy-support.ts";
import { core, freshNamespace, kubeConfig, testbed, waitFor } from "./support/dataplane.ts";
import { type Answer, ingress, viaIngress } from "./support/ingress.ts";
import { freshAdmin, installWordPress, postTitle, publishPost, type Site } from "./support/wordpress-site.ts";

const apps = kubeConfig().makeApiClient(AppsV1Api);
/** A static page: Apache serves it without PHP, so the load costs the web tier (200m CPU ×3)
 * little and the rollout, not the CPU, decides what fails. */
const PAGE = "/readme.html";
/** The issue asks ~200 qps; on this 2-core machine (shared, load average 20-30) 200 saturated the
 * path — 54-155 qps achieved, corrected p50 7-14 s — and a failure's intended send time then lay
 * seconds before the pod event that caused it. At 60 qps the load is served on time. */
const QPS = 60;
/** Traefik's websecure entry point on every node (testbed/ingress.sh). */
const TRAEFIK_HTTPS_NODEPORT = 30443;
/** Runs of the no-preStop rollout: the race is timing-dependent, one run proves little. */
const RUNS_WITHOUT_PRESTOP = 5;

let ns = "";
let site = "";
const out = mkdtempSync(join(tmpdir(), "shipshape-story-"));

/** `synth wordpress --ingress traefik` with the testbed's images, classes and ACME resolver,
 * piped to `deploy -`, as the walkthrough (docs/story.md) does. */
async function synthAndDeploy(preStopSeconds: 0 | "default"): Promise<void> {
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
    // A fixed 3 replicas: an HPA scaling in the middle of a rollout would blur what it shows.
    "--no-autoscale",
    // The seed's 20 s (and the blueprint's grace period), or none at all. 5 s was tried first: on
    // this loaded machine Traefik once took 6-7 s to drop a terminating pod, and 20 of 3,589
    // requests failed after the sleep ended.
    ...(preStopSeconds === 0 ? ["--pre-stop-seconds", "0"] : []),
  ]);
  assert.equal(synth.code, 0, synth.stderr);
  const deploy = await shipshape(["deploy", "-", "--app", "wordpress", "--timeout", "300s"], synth.stdout);
  assert.equal(deploy.code, 0, deploy.stdout + deploy.stderr);
}

before(async () => {
  ns = await freshNamespace("story");
  site = `${ns}.${(await ingress()).domain}`;
  await synthAndDeploy("default");
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

  const plain = await viaIngress("http", site, "/wp-login.php");
  assert.ok([301, 308].includes(plain.status), `http answered ${plain.status}, not a permanent redirect`);
  assert.match(
    String(plain.headers.location),
    new RegExp(`^https://${site.replaceAll(".", "\\.")}(:\\d+)?/wp-login\\.php$`),
  );
});

/** `verify <scenario> <target>` at QPS over HTTPS through the ingress; the verdict from its JSON. */
async function verifyUnderLoad(
  scenario: string,
  target: string,
  name: string,
): Promise<{ code: number; verdict: Verdict; text: string }> {
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
    `https://${site}:${TRAEFIK_HTTPS_NODEPORT}${PAGE}`,
    "--resolve",
    `${site}:${TRAEFIK_HTTPS_NODEPORT}:${address}`,
    "--cacert",
    caFile,
    "--qps",
    String(QPS),
    "--connections",
    "8",
    "--warmup",
    "5s",
    "--json",
    json,
    "--quiet",
  ]);
  assert.ok(run.code === 0 || run.code === 1, `verify exited ${run.code}: ${run.stderr}`);
  const verdict: Verdict = JSON.parse(readFileSync(json, "utf8")).verdict;
  assert.match(
    verdict.reach?.how ?? "",
    /^Service traefik\/traefik \(nodePort \d+ on node \S+\) → IngressRoute \S+ \(host \S+\) → Service \S+ → the target.s pods$/,
    run.stdout,
  );
  return { code: run.code, verdict, text: run.stdout };
}

test("2a. a rollout under load over HTTPS with readiness + preStop fails no request", async () => {
  const { code, verdict, text } = await verifyUnderLoad("rollout", "deploy/wordpress", "with-prestop");
  assert.equal(verdict.failed, 0, text);
  assert.ok(verdict.zeroDowntime && verdict.goal.met, text);
  assert.equal(code, 0, text);
  // The load was answered at the rate asked, not refused at the door.
  assert.ok(verdict.calls >= QPS * 15, `${verdict.calls} calls: ${text}`);
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
  await synthAndDeploy(0);
  const { items } = await apps.listNamespacedDeployment({ namespace: ns });
  const web = items.find((d) => d.metadata?.name === "wordpress");
  assert.equal(web?.spec?.template.spec?.containers[0]?.lifecycle, undefined, "no preStop hook at all");

  const runs: Verdict[] = [];
  for (let i = 1; i <= RUNS_WITHOUT_PRESTOP; i++)
    runs.push((await verifyUnderLoad("rollout", "deploy/wordpress", `without-prestop-${i}`)).verdict);
  const summary = runs.map((v, i) => {
    const codes = Object.entries(
      v.incidents
        .flatMap((x) => Object.entries(x.codes))
        .reduce<Record<string, number>>(
          (all, [code, n]) => Object.assign(all, { [code]: (all[code] ?? 0) + n }),
          {},
        ),
    );
    return `run ${i + 1}: ${v.failed} of ${v.calls} failed (${codes.map(([c, n]) => `${c}: ${n}`).join(", ") || "none"}); causes: ${v.causes.map((c) => `${c.kind} ${c.failures}`).join(", ") || "none"}`;
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
