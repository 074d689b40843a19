import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { LatencyHistogram, MAX_TRACKABLE_US } from "../../../src/load/histogram.ts";

/** The exact value at a percentile, by the same rank rule (nearest rank, rounded up). */
function exactPercentile(sorted: number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1]!;
}

test("percentiles stay within the histogram's relative precision of the exact values", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 120_000_000 }), { minLength: 1, maxLength: 400 }),
      fc.constantFrom(0, 1, 25, 50, 75, 90, 99, 99.9, 100),
      (values, p) => {
        const h = new LatencyHistogram(11);
        for (const v of values) h.record(v);
        const exact = exactPercentile(
          [...values].sort((a, b) => a - b),
          p || 0.0001,
        );
        const got = h.percentile(p);
        // the bucket holding the exact value reports its top, clamped to the max: never below it,
        // and at most 1/1024 above it (values under 2048 are exact)
        assert.ok(got >= exact, `p${p}: ${got} < exact ${exact}`);
        assert.ok(got <= exact + Math.max(0, exact / 1024), `p${p}: ${got} too far above ${exact}`);
      },
    ),
  );
});

test("percentiles asked together, in one pass over the buckets, equal each asked alone", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 120_000_000 }), { maxLength: 400 }),
      fc.uniqueArray(fc.constantFrom(0, 1, 10, 25, 50, 50.5, 75, 90, 99, 99.9, 99.99, 100)),
      (values, asked) => {
        const h = new LatencyHistogram(11);
        for (const v of values) h.record(v);
        const ascending = [...asked].sort((a, b) => a - b);
        assert.deepEqual(
          h.percentiles(ascending),
          ascending.map((p) => h.percentile(p)),
        );
      },
    ),
  );
});

test("merging per-connection histograms equals recording everything in one", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { maxLength: 100 }), {
        minLength: 1,
        maxLength: 8,
      }),
      (perConnection) => {
        const single = new LatencyHistogram(11);
        const merged = new LatencyHistogram(11);
        for (const values of perConnection) {
          const own = new LatencyHistogram(11);
          for (const v of values) {
            own.record(v);
            single.record(v);
          }
          merged.merge(own);
        }
        assert.deepEqual([...merged.buckets()], [...single.buckets()]);
        assert.equal(merged.total, single.total);
        assert.equal(merged.max, single.max);
        assert.equal(merged.min, single.min);
        assert.equal(merged.sum, single.sum);
        for (const p of [50, 90, 99, 100]) assert.equal(merged.percentile(p), single.percentile(p));
      },
    ),
  );
});

test("every value lands in a bucket whose bounds contain it, buckets tile the range", () => {
  const h = new LatencyHistogram(8);
  for (let i = 0; i + 1 < h.length; i++) assert.equal(h.highestOf(i) + 1, h.lowestOf(i + 1));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: MAX_TRACKABLE_US }), (v) => {
      const i = h.indexOf(v);
      assert.ok(h.lowestOf(i) <= v && v <= h.highestOf(i), `${v} not in bucket ${i}`);
      const before = h.countAt(i);
      h.record(v);
      assert.equal(h.countAt(i), before + 1);
    }),
  );
});

test("out-of-range values are clamped, not lost; empty histograms report zeros", () => {
  const h = new LatencyHistogram(11);
  assert.equal(h.percentile(99), 0);
  h.record(-5);
  h.record(1e12);
  assert.equal(h.total, 2);
  assert.equal(h.min, 0);
  assert.equal(h.max, MAX_TRACKABLE_US);
  assert.throws(() => h.merge(new LatencyHistogram(8)), /different precision/);
  h.reset();
  assert.equal(h.total, 0);
  assert.equal(h.percentile(50), 0);
});
