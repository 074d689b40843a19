// Issue: deploy deleted a running app. Each reproduction from that report, now ending with nothing lost
// and a clear message: apps are named, empty input is refused, the plan shows prunes, only what is
// provably the app's is pruned, and data (every Secret, PVCs) is kept.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import type { KubeObject } from "../../src/k8s/object.ts";
import { blueprintVolumes, CLI, kubeconfigFile, shipshape, testCluster } from "./deploy-support.ts";
import { freshNamespace } from "./support/cluster.ts";

const cluster = testCluster();

const configMap = (name: string, value = "1") =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;
const secret = (name: string, password: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\nstringData:\n  password: "${password}"\n`;
const service = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports: [{port: 80}]\n`;

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "shipshape-safety-"));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  return root;
}

const get = (kind: string, name: string, namespace?: string, apiVersion = "v1") =>
  cluster.get({ apiVersion, kind, metadata: namespace ? { name, namespace } : { name } });

const present = async (ns: string, refs: Array<[string, string, string?]>) =>
  (await Promise.all(refs.map(([kind, name, apiVersion]) => get(kind, name, ns, apiVersion)))).every(
    (o) => o && !o.metadata.deletionTimestamp,
  );

const BLUEPRINT: Array<[string, string, string?]> = [
  ["Deployment", "wordpress", "apps/v1"],
  ["StatefulSet", "wordpress-mysql", "apps/v1"],
  ["Service", "wordpress"],
  ["Service", "wordpress-mysql"],
  ["PodDisruptionBudget", "wordpress-pdb", "policy/v1"],
  ["HorizontalPodAutoscaler", "wordpress", "autoscaling/v2"],
  ["Ingress", "wordpress", "networking.k8s.io/v1"],
  ["NetworkPolicy", "wordpress-mysql", "networking.k8s.io/v1"],
  ["Secret", "wordpress-mysql"],
];

let blog = "";
/** `synth wordpress` into the test's namespace with the testbed's static volumes, plus `flags`. */
const synthBlueprint = (...flags: string[]) =>
  shipshape([
    "synth",
    "wordpress",
    "--namespace",
    blog,
    "--storage-class",
    "static",
    "--db-storage-class",
    "static",
    ...flags,
  ]);
before(async () => {
  blog = await freshNamespace("safety-blog");
  await blueprintVolumes(blog);
  const synth = await synthBlueprint();
  assert.equal(synth.code, 0, synth.stderr);
  const run = await shipshape(["deploy", "-", "--timeout", "120s"], synth.stdout);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /plan for app wordpress/);
  assert.ok(await present(blog, BLUEPRINT));
});

test("an unrelated ConfigMap piped into the blueprint's namespace is refused without --app, and with one deletes nothing of WordPress", async () => {
  const refused = await shipshape(["deploy", "-", "-n", blog], configMap("unrelated"));
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /name the app with --app NAME/);
  const other = await shipshape(
    ["deploy", "-", "-n", blog, "--app", "other", "--timeout", "20s"],
    configMap("unrelated"),
  );
  assert.equal(other.code, 0, other.stdout + other.stderr);
  assert.doesNotMatch(other.stdout, /^(pruned| {2}- prune) /m);
  assert.ok(await present(blog, BLUEPRINT), "WordPress is untouched");
});

test("a failed synth piped into deploy (empty stdin) applies and prunes nothing, exit 2", async () => {
  const run = await shipshape(["deploy", "-", "--app", "wordpress", "-n", blog], "");
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(
    run.stderr,
    /the input holds no objects \(stdin was empty: did the command before the pipe fail\?\)/,
  );
  assert.ok(await present(blog, BLUEPRINT));
});

test("diff and deploy --dry-run show the prunes a deploy would make, with kubectl diff's exit code, and change nothing", async () => {
  const synth = await synthBlueprint("--ingress", "none");
  assert.equal(synth.code, 0, synth.stderr);
  const diff = await shipshape(["diff", "-"], synth.stdout);
  assert.equal(diff.code, 1, diff.stdout + diff.stderr);
  assert.match(diff.stdout, new RegExp(`^  - prune Ingress ${blog}/wordpress$`, "m"));
  const dry = await shipshape(["deploy", "-", "--dry-run"], synth.stdout);
  assert.equal(dry.code, 1, dry.stdout + dry.stderr);
  assert.match(dry.stdout, new RegExp(`^  - prune Ingress ${blog}/wordpress$`, "m"));
  assert.ok(await present(blog, BLUEPRINT), "a dry run deletes nothing");
  const real = await shipshape(["deploy", "-", "--timeout", "60s"], synth.stdout);
  assert.equal(real.code, 0, real.stdout + real.stderr);
  assert.match(real.stdout, new RegExp(`^pruned Ingress ${blog}/wordpress$`, "m"));
  assert.equal(await get("Ingress", "wordpress", blog, "networking.k8s.io/v1"), undefined);
});

test("pruning most of an app needs --yes when nobody is at a terminal; nothing is done without it", async () => {
  const run = await shipshape(["deploy", "-", "--app", "wordpress", "-n", blog], configMap("lonely"));
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /nothing done: it deletes \d+ objects \(more than 3\); re-run with --yes/);
  assert.equal(await get("ConfigMap", "lonely", blog), undefined, "not even the new object is applied");
  assert.ok(await present(blog, BLUEPRINT.slice(0, 6)));
});

test("renaming the manifest file changes nothing: the app, not the file, names the inventory", async () => {
  const ns = await freshNamespace("safety-rename");
  const root = dir({ "a.yaml": `${configMap("one")}---\n${configMap("two")}` });
  assert.equal((await shipshape(["deploy", root, "-n", ns, "--app", "site"])).code, 0);
  renameSync(join(root, "a.yaml"), join(root, "renamed.yaml"));
  writeFileSync(join(root, "renamed.yaml"), configMap("one"));
  const run = await shipshape(["deploy", root, "-n", ns, "--app", "site"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`pruned ConfigMap ${ns}/two`));
});

test("an object of another app is not taken over (exit 2), and two apps never prune each other's objects", async () => {
  const ns = await freshNamespace("safety-owners");
  const a = dir({ "app.yaml": `${configMap("shared")}---\n${configMap("a-only")}` });
  assert.equal((await shipshape(["deploy", a, "-n", ns, "--app", "team-a"])).code, 0);
  const b = dir({ "app.yaml": configMap("shared", "2") });
  const taken = await shipshape(["deploy", b, "-n", ns, "--app", "team-b"]);
  assert.equal(taken.code, 2, taken.stdout + taken.stderr);
  assert.match(taken.stderr, new RegExp(`ConfigMap ${ns}/shared: belongs to app "team-a"`));
  const forced = await shipshape(["deploy", b, "-n", ns, "--app", "team-b", "--force-conflicts"]);
  assert.equal(forced.code, 0, forced.stdout + forced.stderr);
  // team-a's next deploy no longer has "shared": it is team-b's now, so team-a leaves it alone.
  const slim = dir({ "app.yaml": configMap("a-only") });
  const again = await shipshape(["deploy", slim, "-n", ns, "--app", "team-a"]);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.match(
    again.stdout,
    new RegExp(`! leave ConfigMap ${ns}/shared: in the inventory but labelled as app "team-b"`),
  );
  assert.ok(await get("ConfigMap", "shared", ns));
});

test("team B's deploy in team A's namespace deletes nothing of team A; a Secret that leaves the input is kept", async () => {
  const ns = await freshNamespace("safety-teams");
  const teamA = dir({
    "teamA/app.yaml": [
      secret("api-key", "irreplaceable-key"),
      configMap("a-settings"),
      service("a-web"),
    ].join("---\n"),
  });
  const teamB = dir({ "teamB/app.yaml": configMap("b-settings") });
  assert.equal(
    (await shipshape(["deploy", join(teamA, "teamA/app.yaml"), "-n", ns, "--app", "team-a"])).code,
    0,
  );
  const b = await shipshape(["deploy", join(teamB, "teamB/app.yaml"), "-n", ns, "--app", "team-b"]);
  assert.equal(b.code, 0, b.stdout + b.stderr);
  assert.ok(
    await present(ns, [
      ["Secret", "api-key"],
      ["ConfigMap", "a-settings"],
      ["Service", "a-web"],
    ]),
  );
  // Team A drops the Secret from its input: kept as data, said so.
  const withoutSecret = dir({ "app.yaml": [configMap("a-settings"), service("a-web")].join("---\n") });
  const run = await shipshape(["deploy", withoutSecret, "-n", ns, "--app", "team-a"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`= keep Secret ${ns}/api-key: holds data`));
  assert.ok(await get("Secret", "api-key", ns));
});

test("refs added to the inventory by hand never delete objects elsewhere: they are reported and left alone", async () => {
  const ns = await freshNamespace("safety-tamper");
  const victims = await freshNamespace("safety-victim");
  await cluster.apply(
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "precious", namespace: victims },
      data: { a: "1" },
    },
    { force: true },
  );
  const role = `safety-victim-${Date.now().toString(36)}`;
  await cluster.apply(
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: role }, rules: [] },
    { force: true },
  );
  const app = dir({ "app.yaml": configMap("mine") });
  assert.equal((await shipshape(["deploy", app, "-n", ns, "--app", "tamper"])).code, 0);
  const inventory = (await get("ConfigMap", "shipshape-inventory-tamper", ns)) as KubeObject;
  const refs = JSON.parse((inventory.data as Record<string, string>).objects ?? "[]");
  refs.push({ apiVersion: "v1", kind: "ConfigMap", namespace: victims, name: "precious" });
  refs.push({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: role });
  await cluster.apply(
    {
      ...inventory,
      metadata: { name: "shipshape-inventory-tamper", namespace: ns },
      data: { objects: JSON.stringify(refs) },
    },
    { force: true },
  );
  const run = await shipshape(["deploy", app, "-n", ns, "--app", "tamper"]);
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(
    run.stdout,
    new RegExp(
      `! leave ConfigMap ${victims}/precious: in the inventory but namespace ${victims} is not one this input deploys to`,
    ),
  );
  assert.match(run.stdout, new RegExp(`! leave ClusterRole ${role}: in the inventory but cluster-scoped`));
  assert.ok(await get("ConfigMap", "precious", victims));
  assert.ok(await get("ClusterRole", role, undefined, "rbac.authorization.k8s.io/v1"));
  await cluster.delete({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: role },
  });
});

test("a removed field is a change, and so is a changed Secret value; no Secret value is ever printed", async () => {
  const ns = await freshNamespace("safety-changes");
  const deployment = (nodeSelector: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${nodeSelector}      containers:
        - name: web
          image: nginx:1.27.3
`;
  // kubectl's last-applied copy carries the password verbatim: diff must not print it.
  const annotated = secret("db", "first-password-123").replace(
    "metadata:\n",
    `metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"password":"first-password-123"}}'\n`,
  );
  const first = dir({
    "app.yaml": [deployment("      nodeSelector: {kubernetes.io/os: linux}\n"), annotated].join("---\n"),
  });
  const one = await shipshape(["deploy", first, "-n", ns, "--app", "changes", "--timeout", "30s"]);
  assert.equal(one.code, 0, one.stdout + one.stderr);
  const second = dir({
    "app.yaml": [deployment(""), annotated.replaceAll("first-password-123", "second-password-456")].join(
      "---\n",
    ),
  });
  const diff = await shipshape(["diff", second, "-n", ns, "--app", "changes"]);
  assert.equal(diff.code, 1, diff.stdout + diff.stderr);
  assert.match(diff.stdout, new RegExp(`~ change Deployment ${ns}/web`));
  assert.match(diff.stdout, /^-\s+nodeSelector:/m);
  assert.match(diff.stdout, new RegExp(`~ change Secret ${ns}/db`));
  assert.match(diff.stdout, /^\+ {2}password: "\*\*\* \(after\)"$/m);
  const two = await shipshape(["deploy", second, "-n", ns, "--app", "changes", "--timeout", "30s"]);
  assert.equal(two.code, 0, two.stdout + two.stderr);
  assert.match(two.stdout, new RegExp(`^configured Deployment ${ns}/web$`, "m"));
  assert.match(two.stdout, new RegExp(`^configured Secret ${ns}/db$`, "m"));
  for (const out of [diff.stdout + diff.stderr, two.stdout + two.stderr, one.stdout + one.stderr])
    assert.doesNotMatch(out, /first-password|second-password|Zmlyc3Q|c2Vjb25k/);
});

test("the API server's error text for a Secret never carries its values", async () => {
  const ns = await freshNamespace("safety-redact");
  // A number where a string must be: the API server quotes the value in its refusal.
  const bad = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\nstringData:\n  token: 987654321012\n";
  const run = await shipshape(["deploy", dir({ "a.yaml": bad }), "-n", ns, "--app", "redact"]);
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, new RegExp(`Secret ${ns}/token: .*\\*\\*\\*`));
  assert.doesNotMatch(run.stdout + run.stderr, /987654321012/);
});

test("a refused object is exit 2 whether or not something was applied before it", async () => {
  const ns = await freshNamespace("safety-exit");
  const ghost = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lost\n  namespace: ghost-${Date.now().toString(36)}\ndata: {a: "1"}\n`;
  const alone = await shipshape(["deploy", dir({ "a.yaml": ghost }), "--app", "exit", "--timeout", "10s"]);
  assert.equal(alone.code, 2, alone.stdout + alone.stderr);
  const local = configMap("applied").replace("metadata:\n", `metadata:\n  namespace: ${ns}\n`);
  const after = await shipshape([
    "deploy",
    dir({ "a.yaml": `${local}---\n${ghost}` }),
    "--app",
    "exit",
    "--timeout",
    "10s",
  ]);
  assert.equal(after.code, 2, after.stdout + after.stderr);
  assert.match(after.stdout, /apply failed: ConfigMap ghost-.*\/lost: NotFound/);
});

/** Runs `shipshape <args>` on a pseudo-terminal (util-linux `script`), typing `answer` at its prompt. */
function onTerminal(args: string[], answer: string): Promise<{ code: number; output: string }> {
  const command = [process.execPath, CLI, ...args, "--kubeconfig", kubeconfigFile()]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
    .join(" ");
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"]);
    let output = "";
    let answered = false;
    // Bounded: a prompt that never comes must fail the test, not hang it.
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (!answered && /\[y\/N\] /.test(output)) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

test("on a terminal, a plan that prunes most of the app asks first: no keeps everything, yes prunes", async () => {
  const ns = await freshNamespace("safety-tty");
  const full = dir({ "app.yaml": ["a", "b", "c", "d", "e"].map((n) => configMap(n)).join("---\n") });
  assert.equal((await shipshape(["deploy", full, "-n", ns, "--app", "tty"])).code, 0);
  const slim = dir({ "app.yaml": configMap("a") });
  const declined = await onTerminal(["deploy", slim, "-n", ns, "--app", "tty"], "n");
  assert.equal(declined.code, 1, declined.output);
  assert.match(
    declined.output,
    /the plan deletes objects: it deletes 4 objects \(more than 3\)\. Go ahead\? \[y\/N\]/,
  );
  assert.match(declined.output, /nothing done/);
  assert.ok(
    await present(ns, [
      ["ConfigMap", "b"],
      ["ConfigMap", "e"],
    ]),
  );
  const agreed = await onTerminal(["deploy", slim, "-n", ns, "--app", "tty"], "y");
  assert.equal(agreed.code, 0, agreed.output);
  assert.equal(await get("ConfigMap", "e", ns), undefined);
});
