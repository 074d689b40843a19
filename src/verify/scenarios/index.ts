// Every verify scenario, one line each. A new scenario is one file exporting a VerifyScenario plus one
// line here.
import type { VerifyScenario } from "../scenario.ts";
import { autoscaleScenario } from "./autoscale.ts";
import { deleteScenario } from "./delete.ts";
import { drainScenario } from "./drain.ts";
import { rolloutScenario } from "./rollout.ts";

export const SCENARIOS = [rolloutScenario, drainScenario, autoscaleScenario, deleteScenario] as const;

/** "rollout" | "drain" | "autoscale" | "delete": what a Timeline records it ran. */
export type ScenarioName = (typeof SCENARIOS)[number]["name"];

export function findScenario(name: string): VerifyScenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
