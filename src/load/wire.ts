// Windows, histograms and tallies as JSON, so a worker of a split run can send them as text (one line
// of its log) and the merge gets back exactly what it counted: a histogram as its non-empty buckets
// by index, with its exact min, max and sum.
import { ERROR_KINDS, ErrorCauses, type ErrorCounts, type ErrorKind, noErrors } from "./failure.ts";
import { LatencyHistogram } from "./histogram.ts";
import type { RunTally } from "./tally.ts";
import { WindowStats } from "./window.ts";

export interface HistogramJson {
  subBits: number;
  /** [bucket index, count] of every non-empty bucket, ascending. */
  buckets: [number, number][];
  min: number;
  max: number;
  sum: number;
}

export interface WindowJson {
  calls: number;
  codes: Record<string, number>;
  errors: ErrorCounts;
  latency: HistogramJson;
}

export type TallyJson = Omit<RunTally, "total" | "service" | "failed" | "causes"> & {
  total: WindowJson;
  service: HistogramJson;
  failed: HistogramJson;
  causes: { kind: ErrorKind; code: string; count: number }[];
};

export function histogramToJson(h: LatencyHistogram): HistogramJson {
  const buckets: [number, number][] = [];
  for (const [low, , count] of h.buckets()) buckets.push([h.indexOf(low), count]);
  return { subBits: h.subBits, buckets, min: h.total === 0 ? 0 : h.min, max: h.max, sum: h.sum };
}

export function histogramFromJson(json: HistogramJson): LatencyHistogram {
  const h = new LatencyHistogram(json.subBits);
  for (const [index, count] of json.buckets) {
    if (!Number.isInteger(index) || index < 0 || index >= h.length || !(count > 0))
      throw new RangeError(`histogram bucket ${index} (count ${count}) out of range`);
    h.record(h.lowestOf(index), count);
  }
  // each bucket was recorded at its lowest value: put back what was really seen
  if (h.total > 0) {
    h.min = json.min;
    h.max = json.max;
    h.sum = json.sum;
  }
  return h;
}

export function windowToJson(w: WindowStats): WindowJson {
  return {
    calls: w.calls,
    codes: w.codesObject(),
    errors: { ...w.errors },
    latency: histogramToJson(w.latency),
  };
}

export function windowFromJson(json: WindowJson): WindowStats {
  const latency = histogramFromJson(json.latency);
  const w = new WindowStats(latency.subBits);
  w.calls = json.calls;
  for (const [status, n] of Object.entries(json.codes)) w.codes.set(Number(status), n);
  const errors = noErrors();
  for (const kind of ERROR_KINDS) errors[kind] = json.errors[kind] ?? 0;
  Object.assign(w.errors, errors);
  w.latency.merge(latency);
  return w;
}

export function tallyToJson(t: RunTally): TallyJson {
  return {
    ...t,
    total: windowToJson(t.total),
    service: histogramToJson(t.service),
    failed: histogramToJson(t.failed),
    causes: t.causes.list(),
  };
}

export function tallyFromJson(json: TallyJson): RunTally {
  const causes = new ErrorCauses();
  for (const c of json.causes) causes.add(c.kind, c.code, c.count);
  return {
    ...json,
    total: windowFromJson(json.total),
    service: histogramFromJson(json.service),
    failed: histogramFromJson(json.failed),
    causes,
  };
}
