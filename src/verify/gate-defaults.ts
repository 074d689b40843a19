// What deploy --verify holds a release to when the user says nothing, in a module of its own so the
// CLI's help can show it without loading the cluster client.
import { parseSlo, type SloThreshold } from "../load/slo.ts";

/** At most one request in a thousand failed over the whole load. */
export const DEFAULT_DEPLOY_SLO_TEXT = "success>=99.9%";
export const DEFAULT_DEPLOY_SLO: SloThreshold[] = parseSlo(DEFAULT_DEPLOY_SLO_TEXT);

/** Load before the apply (a baseline, and the proof the URL answers at all) and after the release is
 * ready (pods of the old ReplicaSet finish terminating meanwhile, and a release that answers errors
 * once it has all the traffic shows it). */
export const GATE_WAITS = { warmupMs: 2000, settleMs: 10_000 };
