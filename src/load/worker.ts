// One worker of a run split over a Job's pods (`load --workers N`): it runs its share of the schedule
// from the common start and reports on stdout, one JSON line each, every second as it becomes final
// (its counts, histogram included) and at the end its whole tally. Its log is the channel: the CLI
// reads it through the API server, so nothing else has to be installed or reachable.
import type { LoadOptions } from "./options.ts";
import { type LoadRun, startLoad } from "./run.ts";
import { type TallyJson, tallyToJson, type WindowJson, windowToJson } from "./wire.ts";

/** What every worker of a split run is given (the same for all; each knows its own index). */
export interface WorkerSpec {
  /** The whole run's options: the rate, count and duration are the whole run's, not a share's. */
  load: Omit<LoadOptions, "share" | "startAt" | "body"> & { bodyBase64?: string };
  workers: number;
  /** The common start, ms since the epoch. */
  startAt: number;
}

/** A line a worker prints, tagged so that anything else in the log is never taken for one. */
export type WorkerLine =
  | { shipshapeWorker: "ready"; worker: number }
  | { shipshapeWorker: "second"; second: number; widthSeconds: number; window: WindowJson }
  | { shipshapeWorker: "end"; tally: TallyJson }
  | { shipshapeWorker: "failed"; message: string };

/**
 * A worker that starts later than this after the common start has missed its first requests' times:
 * sending them late would charge the pod's start to the server, so it refuses instead.
 */
export const LATE_START_MS = 250;

export interface WorkerRun {
  /** The load, or undefined when the worker refused to start. */
  run: LoadRun | undefined;
  /** Settles once the last line is written; true when the worker ran its share. */
  done: Promise<boolean>;
}

/** Runs worker `index` of `spec`, writing its lines with `write` (one call per line, no newline). */
export function runWorker(spec: WorkerSpec, index: number, write: (line: string) => void): WorkerRun {
  const say = (line: WorkerLine) => write(JSON.stringify(line));
  const lateMs = Date.now() - spec.startAt;
  if (lateMs > LATE_START_MS) {
    const message = `started ${(lateMs / 1000).toFixed(1)} s after the common start: its requests' times had passed`;
    say({ shipshapeWorker: "failed", message });
    return { run: undefined, done: Promise.resolve(false) };
  }
  const { bodyBase64, ...load } = spec.load;
  const run = startLoad({
    ...load,
    ...(bodyBase64 === undefined ? {} : { body: Buffer.from(bodyBase64, "base64") }),
    share: { index, of: spec.workers },
    startAt: spec.startAt,
  });
  say({ shipshapeWorker: "ready", worker: index });
  run.onSecond((entry, stats, widthSeconds) =>
    say({ shipshapeWorker: "second", second: entry.second, widthSeconds, window: windowToJson(stats) }),
  );
  const done = run.tally().then(
    (tally) => {
      say({ shipshapeWorker: "end", tally: tallyToJson(tally) });
      return true;
    },
    (error: unknown) => {
      say({ shipshapeWorker: "failed", message: (error as Error).message ?? String(error) });
      return false;
    },
  );
  return { run, done };
}

/** The worker line in one line of a log, or undefined for anything else. */
export function parseWorkerLine(text: string): WorkerLine | undefined {
  if (!text.startsWith('{"shipshapeWorker":')) return undefined;
  try {
    return JSON.parse(text) as WorkerLine;
  } catch {
    return undefined;
  }
}
