// What a verify scenario is to the rest of shipshape: its name, what it acts on, its defaults, how it
// runs, how its goal is judged and which check rules explain a missed goal, and the CLI options it
// adds. scenarios/<name>.ts each export one; scenarios/index.ts lists them, and the CLI's help,
// options and dispatch, the verdict's goal and the audit's rules all loop over that list.
import type { RuleId } from "../check/rules/index.ts";
import type { SessionOptions } from "./session.ts";
import type { Timeline } from "./timeline.ts";
import type { Goal } from "./verdict.ts";

/** How long a scenario loads before, after and at most during its disruption. */
export interface ScenarioWaits {
  warmupMs: number;
  settleMs: number;
  timeoutMs: number;
}

/** The waits given, each one not given taken from the scenario's defaults. */
export function waitsOf(defaults: ScenarioWaits, given: Partial<ScenarioWaits>): ScenarioWaits {
  return {
    warmupMs: given.warmupMs ?? defaults.warmupMs,
    settleMs: given.settleMs ?? defaults.settleMs,
    timeoutMs: given.timeoutMs ?? defaults.timeoutMs,
  };
}

/** One CLI option a scenario adds: `--keep-cordoned`. */
export interface ScenarioOption {
  type: "boolean";
  /** One line for `--help`. */
  help: string;
}

/** What the CLI hands a scenario: the session, the waits it was given, the parsed target, its own options. */
export interface ScenarioRun {
  session: SessionOptions;
  waits: Partial<ScenarioWaits>;
  /** -n as given (undefined when not given), and the namespace it means (the context's by default). */
  namespace: { given?: string; effective: string };
  target: string;
  options: Readonly<Record<string, boolean | undefined>>;
}

export interface VerifyScenario<Name extends string = string> {
  name: Name;
  /** The argument after the scenario's name. */
  target: {
    /** `deploy/NAME`, `NODE`: for usage lines. */
    usage: string;
    /** The error when it is missing: "name the node to drain". */
    missing: string;
    /** The argument → the name the scenario takes, refusing what it cannot act on. */
    parse(text: string): string;
  };
  /** For `--help`: what it does while the load runs, a few lines (no indent). */
  summary: string;
  defaults: ScenarioWaits;
  /** CLI options only this scenario reads, by flag name without dashes. */
  options: Readonly<Record<string, ScenarioOption>>;
  run(run: ScenarioRun): Promise<Timeline>;
  /** Whether the recorded run reached the scenario's goal, in one line. */
  goal(timeline: Timeline): Omit<Goal, "findings">;
  /** Check rules that explain a missed goal (a drain a PDB blocks…). */
  goalRules: readonly RuleId[];
}
