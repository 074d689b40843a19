// --slo for load and verify: thresholds parsed before anything runs (a typo is a usage error, not
// a broken gate), checked after, one line saying each, and exit 1 naming what broke.
import { checkSlo, parseSlo, type SloInput, type SloThreshold, sloBroken, sloLine } from "../load/slo.ts";

export const SLO_OPTION = { slo: { type: "string" } } as const;

export const SLO_HELP = `      --slo LIST         thresholds the run must hold, else exit 1 naming the broken one, e.g.
                         'success>=99.9%,p99<500ms': success|errors OP N%, p50|p75|p90|p95|p99|p99.9|
                         max|mean OP D (ms or s; latency from the intended send), qps OP N; OP < <= > >=`;

export function sloOption(text: string | undefined): SloThreshold[] | undefined {
  return text === undefined ? undefined : parseSlo(text);
}

/** Prints each threshold's outcome (to stderr when stdout carries JSON); false when one broke. */
export function reportSlo(
  command: string,
  thresholds: SloThreshold[] | undefined,
  input: SloInput,
  jsonOnStdout: boolean,
): boolean {
  if (!thresholds) return true;
  const checks = checkSlo(thresholds, input);
  (jsonOnStdout ? process.stderr : process.stdout).write(`${sloLine(checks)}\n`);
  const broken = sloBroken(checks);
  if (broken) process.stderr.write(`shipshape ${command}: ${broken}\n`);
  return broken === undefined;
}
