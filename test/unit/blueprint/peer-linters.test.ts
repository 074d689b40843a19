// The blueprint passes kube-score (built by bench/install-tools.sh) in every setting combination that
// changes its shape, and shipshape check agrees on what is left: nothing critical, and as warnings only
// what the user opted out of (a NodePort, which both flag; a fixed replica count, which kube-score does not
// weigh). Skipped, saying so, where kube-score is not installed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, describe, it } from "node:test";
import { type WordPressProps, wordpress } from "../../../src/blueprint/blueprints/wordpress.ts";
import { toYaml } from "../../../src/blueprint/render.ts";
import { checkObjects } from "../../../src/check/engine.ts";
import { parseManifests } from "../../../src/manifest/parse.ts";
import { combinations } from "./find.ts";

/** The tool in bench/install-tools.sh's directory, else on PATH. */
function installed(name: string): string | undefined {
  const bin = process.env.SHIPSHAPE_BENCH_BIN ?? join(homedir(), ".cache", "shipshape-bench", "bin");
  return [bin, ...(process.env.PATH ?? "").split(delimiter)]
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

const kubeScore = installed("kube-score");
const skip = kubeScore ? false : "kube-score is not installed: run bench/install-tools.sh";
const dir = mkdtempSync(join(tmpdir(), "shipshape-peers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// kube-score's grades (scorecard.Grade): below "almost OK" a check failed.
const CRITICAL = 1;
const ALMOST_OK = 7;

interface ScoredObject {
  object_name: string;
  checks: { check: { id: string }; grade: number; skipped: boolean }[];
}

/** kube-score's exit code and its failed checks ("grade check-id object") on the blueprint with `props`. */
function score(props: WordPressProps): { code: number | null; failed: string[] } {
  const file = join(dir, "wordpress.yaml");
  writeFileSync(file, toYaml(wordpress(props).synth()));
  const run = spawnSync(kubeScore!, ["score", "--output-format", "json", file], { encoding: "utf8" });
  const objects = JSON.parse(run.stdout) as ScoredObject[];
  const failed = objects.flatMap((o) =>
    o.checks
      .filter((c) => !c.skipped && c.grade < ALMOST_OK)
      .map((c) => `${c.grade <= CRITICAL ? "CRITICAL" : "WARNING"} ${c.check.id} ${o.object_name}`),
  );
  return { code: run.status, failed };
}

/** shipshape check's findings ("severity rule Kind/name") on the same output. */
function check(props: WordPressProps): string[] {
  const sources = parseManifests(toYaml(wordpress(props).synth()), "wordpress.yaml");
  return checkObjects(sources, { minSeverity: "warning" }).findings.map(
    (f) => `${f.severity} ${f.rule} ${f.object.kind}/${f.object.name}`,
  );
}

describe("the blueprint under the peer linters", () => {
  for (const props of combinations()) {
    it(`kube-score exits 0 and agrees with shipshape check: ${JSON.stringify(props)}`, { skip }, () => {
      const { code, failed } = score(props);
      const nodePort = "WARNING service-type Service/v1/kube-example/wordpress";
      assert.deepEqual(failed, props.nodePort ? [nodePort] : []);
      assert.equal(code, 0);
      // hpa-missing weighs only a tier the outside reaches (through an ingress or a NodePort).
      const exposed = props.ingress !== "none" || props.nodePort;
      const opted = [
        ...(props.autoscale === false && exposed ? ["warning hpa-missing Deployment/wordpress"] : []),
        ...(props.nodePort ? ["warning nodeport-exposed Service/wordpress"] : []),
      ];
      assert.deepEqual(check(props).sort(), opted.sort());
    });
  }

  it("kube-score fails a copy without the hardening: the test can tell", { skip }, () => {
    const file = join(dir, "bare.yaml");
    // Without the notes: the comments above the removed fields would have nothing to sit on.
    const resources = wordpress({})
      .synth()
      .map(({ object }) => ({ object, notes: [] }));
    for (const { object } of resources) {
      const pod = (object as { spec?: { template?: { spec?: { containers?: Record<string, unknown>[] } } } })
        .spec?.template?.spec;
      for (const container of pod?.containers ?? []) delete container.securityContext;
    }
    writeFileSync(file, toYaml(resources));
    const run = spawnSync(kubeScore!, ["score", file], { encoding: "utf8" });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /\[CRITICAL\] Container Security Context ReadOnlyRootFilesystem/);
  });
});
