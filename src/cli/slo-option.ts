// --slo for load, verify and deploy --verify: thresholds parsed before anything runs (a typo is a
// usage error, not a broken gate), checked after, one line saying each, and exit 1 naming what broke.
import {
  checkSlo,
  parseSlo,
  requireTargetRate,
  type SloInput,
  type SloThreshold,
  sloBroken,
  sloLine,
} from "../load/slo.ts";

export const SLO_OPTION = { slo: { type: "string" } } as const;

/** The grammar as every command's help shows it, from column 26 (size and deploy add their defaults). */
export const SLO_SYNTAX = `                         success|errors OP N%; p50|p75|p90|p95|p99|p99.9|max|mean OP D (ms or s,
                         latency from the intended send); qps OP N (per second) or N% (of --qps);
                         OP is < <= > >=`;

export const SLO_HELP = `      --slo LIST         thresholds the run must hold, else exit 1 naming the broken one, e.g.
                         'success>=99.9%,p99<500ms', comma-separated:
${SLO_SYNTAX}`;

/** The thresholds given (none: undefined), refusing a share of the target rate at --qps 0. */
export function sloOption(text: string | undefined, targetQps: number): SloThreshold[] | undefined {
  if (text === undefined) return undefined;
  const thresholds = parseSlo(text);
  requireTargetRate(thresholds, targetQps);
  return thresholds;
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
