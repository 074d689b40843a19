// The synth command end to end: a real process, its stdout, its one-line errors and exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";

const shipshape = (...args: string[]) =>
  spawnSync(process.execPath, ["src/cli/main.ts", "synth", ...args], { encoding: "utf8" });

describe("shipshape synth", () => {
  it("prints the WordPress manifests with the given namespace and domain", () => {
    const run = shipshape("wordpress", "--namespace", "kube-example", "--domain", "wordpress.example.com");
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^apiVersion: v1\nkind: Namespace\nmetadata:\n {2}name: kube-example\n/);
    assert.match(run.stdout, /- host: wordpress\.example\.com/);
  });

  it("prints byte-identical output on every run", () => {
    const args = ["wordpress", "--ingress", "traefik", "--rook", "--anti-affinity", "spread"];
    assert.equal(shipshape(...args).stdout, shipshape(...args).stdout);
  });

  it("writes a JSON List to -o", () => {
    const dir = mkdtempSync(join(tmpdir(), "synth-"));
    try {
      const file = join(dir, "out.json");
      const run = shipshape("--format", "json", "-o", file, "--no-autoscale", "--replicas", "4");
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, "");
      const list = JSON.parse(readFileSync(file, "utf8"));
      assert.equal(list.kind, "List");
      assert.equal(list.items.find((o: { kind: string }) => o.kind === "Deployment").spec.replicas, 4);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("fails bad settings with one line naming the flag and exit code 2", () => {
    for (const [args, expected] of [
      [["--replicas", "0"], "shipshape synth: --replicas: must be ≥ 1, got 0\n"],
      [["--replicas", "two"], 'shipshape synth: --replicas: must be an integer, got "two"\n'],
      [
        ["--pre-stop-seconds", "45"],
        /^shipshape synth: --pre-stop-seconds: must be shorter than terminationGracePeriodSeconds/,
      ],
      [["--replicaz", "3"], 'shipshape synth: unknown option --replicaz (did you mean "--replicas"?)\n'],
      [["drupal"], 'shipshape synth: unknown blueprint "drupal" (use wordpress)\n'],
      [
        ["-o", "/nonexistent-dir/out.yaml"],
        "shipshape synth: /nonexistent-dir/out.yaml: cannot write: no directory /nonexistent-dir\n",
      ],
    ] as const) {
      const run = shipshape(...args);
      assert.equal(run.status, 2, args.join(" "));
      assert.equal(run.stdout, "");
      assert.equal(run.stderr.trimEnd().split("\n").length, 1, run.stderr);
      if (typeof expected === "string") assert.equal(run.stderr, expected);
      else assert.match(run.stderr, expected);
    }
  });

  it("teaches in --help: settings, secrets decision and examples", () => {
    const run = shipshape("--help");
    assert.equal(run.status, 0);
    for (const text of [
      "--anti-affinity soft|hard|spread",
      "--with-secrets",
      "never overwrites",
      "Examples:",
    ]) {
      assert.ok(run.stdout.includes(text), text);
    }
  });
  it("takes --set KEY=VALUE as deploy does, typed by the setting: --cluster-issuer true, --set clusterIssuer=true and a config key agree", () => {
    const issuerOf = (run: ReturnType<typeof shipshape>) => {
      assert.equal(run.status, 0, run.stderr);
      return /cert-manager\.io\/cluster-issuer: (.*)/.exec(run.stdout)?.[1];
    };
    const dir = mkdtempSync(join(tmpdir(), "synth-"));
    try {
      const config = join(dir, "issuer.yaml");
      writeFileSync(config, "clusterIssuer: true\n");
      const flag = issuerOf(shipshape("wordpress", "--cluster-issuer", "true"));
      assert.equal(flag, '"true"');
      assert.equal(issuerOf(shipshape("wordpress", "--set", "clusterIssuer=true")), flag);
      assert.equal(issuerOf(shipshape("--config", config)), flag);
    } finally {
      rmSync(dir, { recursive: true });
    }
    assert.equal(
      shipshape("wordpress", "--set", "replicas=4", "--no-autoscale").stdout,
      shipshape("wordpress", "--replicas", "4", "--no-autoscale").stdout,
    );
    for (const [args, expected] of [
      [["--set", "replicas=two"], 'shipshape synth: --set replicas: must be an integer, got "two"\n'],
      [["--set", "rook=yes"], 'shipshape synth: --set rook: must be true or false, got "yes"\n'],
      [
        ["--set", "replcas=3"],
        /^shipshape synth: --set replcas: unknown setting \(did you mean "replicas"\?\)\n$/,
      ],
      [
        ["--set", "wordpressImage=wordpress:stable"],
        /^shipshape synth: --set wordpressImage: "wordpress:stable" is tagged stable, a moving tag/,
      ],
    ] as const) {
      const run = shipshape(...args);
      assert.equal(run.status, 2, args.join(" "));
      if (typeof expected === "string") assert.equal(run.stderr, expected);
      else assert.match(run.stderr, expected);
    }
  });
});
