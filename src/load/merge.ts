// The workers' streams of a split run, merged into one LoadResult of the same shape as a local run's:
// the tallies add up (tally.ts), and the timeline's second s is every worker's second s together —
// they share one start, so their seconds are the same seconds. A worker that never sent its end
// (it died) still counts with the seconds it streamed before, at their precision.
import { LatencyHistogram } from "./histogram.ts";
import type { LoadResult, WorkerSummary } from "./result.ts";
import type { LoadProgress } from "./run.ts";
import { SECOND_SUB_BITS, type TimelineSecond, timelineSecond } from "./seconds-assembler.ts";
import {
  emptyTally,
  loadResultOf,
  mergeTally,
  RUN_SUB_BITS,
  type RunIdentity,
  type RunTally,
} from "./tally.ts";
import { WindowStats } from "./window.ts";
import { tallyFromJson, windowFromJson } from "./wire.ts";
import type { WorkerLine } from "./worker.ts";

interface Stream {
  ready: boolean;
  seconds: Map<number, { stats: WindowStats; widthSeconds: number }>;
  tally?: RunTally;
  /** What the worker itself said went wrong. */
  failed?: string;
}

/** A histogram at a finer precision, each value at the top of its coarser bucket (as percentiles read it). */
function widen(h: LatencyHistogram, subBits: number): LatencyHistogram {
  const out = new LatencyHistogram(subBits);
  for (const [, high, count] of h.buckets()) out.record(high, count);
  if (h.total > 0) {
    out.min = h.min;
    out.max = h.max;
    out.sum = h.sum;
  }
  return out;
}

export class SplitRunMerge {
  private readonly streams = new Map<string, Stream>();
  private readonly run: RunIdentity;
  private readonly maxFailures: number;

  constructor(run: RunIdentity, maxFailures: number) {
    this.run = run;
    this.maxFailures = maxFailures;
  }

  private stream(worker: string): Stream {
    let stream = this.streams.get(worker);
    if (!stream) {
      stream = { ready: false, seconds: new Map() };
      this.streams.set(worker, stream);
    }
    return stream;
  }

  /** One line from `worker`'s stream. */
  add(worker: string, line: WorkerLine): void {
    const stream = this.stream(worker);
    switch (line.shipshapeWorker) {
      case "ready":
        stream.ready = true;
        break;
      case "second":
        stream.seconds.set(line.second, {
          stats: windowFromJson(line.window),
          widthSeconds: line.widthSeconds,
        });
        break;
      case "end":
        stream.tally = tallyFromJson(line.tally);
        break;
      case "failed":
        stream.failed = line.message;
        break;
    }
  }

  isReady(worker: string): boolean {
    return this.streams.get(worker)?.ready ?? false;
  }

  hasEnded(worker: string): boolean {
    return this.tallyOf(worker) !== undefined;
  }

  /** The worker's own tally, once it sent its end. */
  tallyOf(worker: string): RunTally | undefined {
    return this.streams.get(worker)?.tally;
  }

  /** What the worker said went wrong, if it said so. */
  failureOf(worker: string): string | undefined {
    return this.streams.get(worker)?.failed;
  }

  /** Calls in the seconds streamed so far, over all workers. */
  progress(elapsedMs: number): LoadProgress {
    let calls = 0;
    let errors = 0;
    let badStatus = 0;
    const last = new WindowStats(SECOND_SUB_BITS);
    let lastSecond = -1;
    for (const stream of this.streams.values()) {
      for (const [second, { stats }] of stream.seconds) {
        calls += stats.calls;
        for (const n of Object.values(stats.errors)) errors += n;
        for (const [status, n] of stats.codes) if (status >= 400) badStatus += n;
        if (second > lastSecond) lastSecond = second;
      }
    }
    // the last second every stream has sent is the one to show a rate for
    for (const stream of this.streams.values()) {
      const own = Math.max(-1, ...stream.seconds.keys());
      if (own < lastSecond) lastSecond = own;
    }
    for (const stream of this.streams.values()) {
      const entry = stream.seconds.get(lastSecond);
      if (entry) last.merge(entry.stats);
    }
    return { elapsedMs, calls, errors, badStatus, lastSecondQps: lastSecond < 0 ? 0 : last.calls };
  }

  /** The merged result; `workers` says what became of each (the CLI knows from the pods). */
  result(workers: Omit<WorkerSummary, "calls">[]): LoadResult {
    const tally = emptyTally();
    const summaries: WorkerSummary[] = [];
    for (const worker of workers) {
      const stream = this.streams.get(worker.name);
      const own = stream?.tally ?? (stream ? this.tallyOfSeconds(stream) : undefined);
      if (own) mergeTally(tally, own, this.maxFailures);
      summaries.push({ ...worker, calls: own?.total.calls ?? 0 });
    }
    return { ...loadResultOf(this.run, tally, this.timeline()), workers: summaries };
  }

  /** A worker that died sent no tally: what its streamed seconds counted stands in for it. */
  private tallyOfSeconds(stream: Stream): RunTally {
    const tally = emptyTally();
    for (const [second, { stats, widthSeconds }] of stream.seconds) {
      const wide = new WindowStats(RUN_SUB_BITS);
      wide.calls = stats.calls;
      for (const [status, n] of stats.codes) wide.codes.set(status, n);
      Object.assign(wide.errors, stats.errors);
      wide.latency.merge(widen(stats.latency, RUN_SUB_BITS));
      tally.total.merge(wide);
      tally.runMs = Math.max(tally.runMs, (second + widthSeconds) * 1000);
    }
    tally.sent = tally.total.calls;
    return tally;
  }

  private timeline(): TimelineSecond[] {
    const merged: { stats: WindowStats; widthSeconds: number }[] = [];
    for (const stream of this.streams.values()) {
      for (const [second, { stats, widthSeconds }] of stream.seconds) {
        merged[second] ??= { stats: new WindowStats(SECOND_SUB_BITS), widthSeconds: 0 };
        const into = merged[second];
        into.stats.merge(stats);
        into.widthSeconds = Math.max(into.widthSeconds, widthSeconds);
      }
    }
    return Array.from(merged, (entry, second) =>
      entry
        ? timelineSecond(second, entry.stats, entry.widthSeconds)
        : timelineSecond(second, new WindowStats(SECOND_SUB_BITS), 1),
    );
  }
}
