// `shipshape size` refuses bad usage with exit 2 and one line before it connects anywhere (no
// cluster is configured here), and its report says what it measured, recommended and judged.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sizeTextReport } from "../../../src/size/report/text.ts";
import type { SizeResult } from "../../../src/size/result.ts";

function size(args: string[]) {
  const run = spawnSync(process.execPath, ["bin/shipshape.js", "size", ...args], {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: join("/nonexistent", "kubeconfig") },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("size: usage errors are one line and exit 2, before any cluster is asked", () => {
  for (const [args, line] of [
    [
      ["--url", "http://127.0.0.1:1/"],
      "expects one workload, e.g. deploy/web (got 0); see shipshape size --help",
    ],
    [["deploy/web"], "--url is required: where to send the load"],
    [
      ["ds/agent", "--url", "http://127.0.0.1:1/"],
      '"ds/agent": size measures a Deployment or a StatefulSet (deploy/NAME, sts/NAME)',
    ],
    [["deploy/web", "--url", "http://127.0.0.1:1/", "-q", "100,lots"], '--qps: expects a number, got "lots"'],
    [
      ["deploy/web", "--url", "http://127.0.0.1:1/", "--slo", "p99<=soon"],
      `--slo: "p99<=soon": expects METRIC OP VALUE (e.g. 'success>=99.9%,p99<500ms')`,
    ],
    [
      ["deploy/web", "--url", "http://127.0.0.1:1/", "--cpu-margin", "lots"],
      '--cpu-margin: expects a percentage like 25%, got "lots"',
    ],
    [
      ["deploy/web", "--url", "http://127.0.0.1:1/", "--write", "a.yaml", "--config", "b.yaml"],
      "--config: give --write or --config, not both",
    ],
  ] as const) {
    const run = size([...args]);
    assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
    assert.equal(run.stdout, "");
    assert.equal(run.stderr, `shipshape size: ${line}\n`);
  }
});

test("size --help teaches the method, the SLO grammar and the exit codes", () => {
  const run = size(["--help"]);
  assert.equal(run.code, 0);
  for (const words of [
    /requests == limits \(Guaranteed QoS\)/,
    /p99<=500ms,errors<=1%,qps>=95%/,
    /--write FILE/,
    /Exit codes: 0 sized/,
  ])
    assert.match(run.stdout, words);
});

test("the text report puts each step's load beside its usage, then the size with its reasons", () => {
  const result = JSON.parse(
    readFileSync(new URL("../../fixtures/size/web-burn.json", import.meta.url), "utf8"),
  ) as SizeResult;
  const text = sizeTextReport(result);
  const lines = text.split("\n");
  const row = (qps: number) => lines.find((l) => new RegExp(`^  ${qps}\\s`).test(l))!;
  assert.match(
    row(5),
    /^ {2}5\s+5\.00\s+112\.8\s+231\.0\s+0\.00%\s+met\s+web\s+1\s+118m\s+118m\s+8Mi\s+\?\s+-$/,
  );
  assert.match(row(10), /BROKEN/);
  assert.ok(
    lines.includes(
      "  10 qps broke the SLO: p99<=500ms (measured 4907.01ms); qps>=95% (measured 88.5% of the target)",
    ),
    text,
  );
  const web = result.recommendation.containers[0]!;
  assert.ok(
    lines.includes(
      `  web: cpu ${Math.round(web.cpu * 1000)}m, memory ${Math.round(web.memory / 2 ** 20)}Mi (now unset)`,
    ),
    text,
  );
  for (const reason of [...web.reasons, ...result.recommendation.reasons])
    assert.ok(lines.includes(`    - ${reason}`));
  assert.match(text, /usage from kubelet summary via the node proxy \(a reading every ~13 s\)/);
  assert.match(
    text,
    /\nCurrent size: none set\n {2}- no requests == limits on web: no size to verify yet\n$/,
  );
});
