// The latency histogram (src/load/histogram.ts) against hdr-histogram-js, the anchor the design
// names: recording (the hot path, once per request), merging per-connection histograms, and a
// percentile query. Same values, same precision (3 significant digits), same run.
//   npm run bench:load-histogram
import * as hdr from "hdr-histogram-js";
import { LatencyHistogram } from "../src/load/histogram.ts";

const N = 5_000_000;
// latencies in µs, log-spread from 50 µs to 2 s, like a load run with a tail
const values = Float64Array.from({ length: 65_536 }, () => Math.round(50 * 40_000 ** Math.random()));

function time(run: () => void): number {
  run(); // warm up
  const start = performance.now();
  run();
  return performance.now() - start;
}

const build = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2 ** 32 - 1,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });

const ours = new LatencyHistogram(11);
const theirs = build();
const recordOurs = time(() => {
  for (let i = 0; i < N; i++) ours.record(values[i & 65_535]!);
});
const recordTheirs = time(() => {
  for (let i = 0; i < N; i++) theirs.recordValue(values[i & 65_535]!);
});

const mergeOurs = time(() => {
  const total = new LatencyHistogram(11);
  for (let c = 0; c < 64; c++) total.merge(ours);
});
const mergeTheirs = time(() => {
  const total = build();
  for (let c = 0; c < 64; c++) total.add(theirs);
});

const queryOurs = time(() => {
  for (let i = 0; i < 100; i++) ours.percentile(99);
});
const queryTheirs = time(() => {
  for (let i = 0; i < 100; i++) theirs.getValueAtPercentile(99);
});

const row = (what: string, a: number, b: number, unit: string, per: number) =>
  console.log(
    `${what.padEnd(22)} shipshape ${((a * 1e6) / per).toFixed(1).padStart(8)} ${unit}   hdr-histogram-js ${((b * 1e6) / per).toFixed(1).padStart(8)} ${unit}   ${(b / a).toFixed(2)}× faster`,
  );
row("record", recordOurs, recordTheirs, "ns/value", N);
row("merge 64 histograms", mergeOurs, mergeTheirs, "ns/merge", 64);
row("p99 query", queryOurs, queryTheirs, "ns/query", 100);
console.log(
  `p99: shipshape ${ours.percentile(99)} µs, hdr-histogram-js ${theirs.getValueAtPercentile(99)} µs (same data)`,
);
