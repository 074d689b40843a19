// --workers N, --image REF, --start-within D: the load split over a Job of worker pods, for `load` and
// `verify` alike. Checked before anything starts; the cluster part is imported only when asked for.

import type { Cluster } from "../cluster/client.ts";
import { InputError } from "../errors.ts";
import type { LoadOptions } from "../load/options.ts";
import { parseDuration } from "../load/options.ts";
import type { WorkerSummary } from "../load/result.ts";
import type { WorkerLoad } from "../workers/run.ts";
import { numberOption } from "./args.ts";

export const WORKERS_OPTIONS = {
  workers: { type: "string" },
  image: { type: "string" },
  "start-within": { type: "string" },
} as const;

export const WORKERS_HELP = `      --workers N        run the load from N worker pods instead of this machine: a Job in the
                         namespace (--namespace), each pod sending its exact share of the rate
                         (-c connections each) from one common start; their per-second results come
                         back through the API server (pod logs) and merge into one result. A worker
                         that dies or never starts is named, and the exit code is 1. The Job and its
                         pods are deleted at the end and on Ctrl-C
      --image REF        the shipshape image the workers run (required with --workers: your
                         registry's copy; the testbed publishes its own as images.shipshape)
      --start-within D   how long the pods get to start; the load starts then (default 20s)`;

const DEFAULT_START_WITHIN_MS = 20_000;

export interface WorkersChoice {
  workers: number;
  image: string;
  startWithinMs: number;
}

/** The workers asked for, or undefined for a local run; usage errors before any work. */
export function workersOption(values: {
  workers?: string;
  image?: string;
  "start-within"?: string;
}): WorkersChoice | undefined {
  if (values.workers === undefined) {
    for (const flag of ["image", "start-within"] as const)
      if (values[flag] !== undefined)
        throw new InputError(`--${flag} goes with --workers N`, { field: `--${flag}` });
    return undefined;
  }
  const workers = numberOption("--workers", values.workers, { min: 1, integer: true });
  if (!values.image)
    throw new InputError("--workers needs --image REF: the shipshape image as your cluster pulls it", {
      field: "--image",
    });
  const startWithinMs =
    values["start-within"] === undefined
      ? DEFAULT_START_WITHIN_MS
      : parseDuration(values["start-within"], "--start-within");
  return { workers, image: values.image, startWithinMs };
}

/** Starts `input` on the workers; settles once their Job exists. */
export async function startOnWorkers(
  input: LoadOptions,
  choice: WorkersChoice,
  cluster: Cluster,
  namespace: string,
  log: ((line: string) => void) | undefined,
): Promise<WorkerLoad> {
  const { startWorkerLoad } = await import("../workers/run.ts");
  return startWorkerLoad(input, { cluster, namespace, ...choice, ...(log ? { log } : {}) });
}

/**
 * Names on stderr each worker that died or never started: its share of the load was not sent, so the run
 * measured less than was asked. Returns whether there was one (the command then exits 1).
 */
export function reportLostWorkers(command: string, workers: WorkerSummary[] | undefined): boolean {
  const lost = (workers ?? []).filter((w) => w.state === "died" || w.state === "never-started");
  for (const w of lost)
    process.stderr.write(
      `shipshape ${command}: worker ${w.name} ${w.state}${w.detail ? `: ${w.detail}` : ""}\n`,
    );
  return lost.length > 0;
}
