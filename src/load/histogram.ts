// A log-linear latency histogram in the HdrHistogram layout: values (integer microseconds) below
// 2^subBits are counted exactly, above that each power-of-two range is split into 2^(subBits-1)
// equal buckets, so every value is kept to a relative precision of 2^-(subBits-1).
// Recording is one index computation and one array increment, and histograms of the same
// precision merge by adding their arrays — one per connection, merged at the end. The counts are
// kept in blocks (one per power-of-two range) allocated on first use, so a histogram costs memory
// only for the latency ranges it saw: a few tens of kB, not 190 kB, per connection.

/** Values above this (about 71.6 minutes in µs) are recorded as this: a load run never waits longer. */
export const MAX_TRACKABLE_US = 2 ** 32 - 1;

export class LatencyHistogram {
  readonly subBits: number;
  /** Number of buckets in all. */
  readonly length: number;
  private readonly blocks: (Float64Array | undefined)[];
  private readonly subCount: number;
  private readonly halfCount: number;
  private readonly blockShift: number;
  total = 0;
  min = Number.POSITIVE_INFINITY;
  max = 0;
  sum = 0;

  /** subBits 11 keeps 3 significant digits (0.1 %); 8 keeps about 2 (0.8 %). */
  constructor(subBits = 11) {
    if (!Number.isInteger(subBits) || subBits < 2 || subBits > 16)
      throw new RangeError("subBits out of range");
    this.subBits = subBits;
    this.subCount = 2 ** subBits;
    this.halfCount = this.subCount / 2;
    const ranges = 32 - subBits; // power-of-two ranges above the exact part, up to 2^32
    this.length = this.subCount + ranges * this.halfCount;
    this.blockShift = subBits - 1;
    this.blocks = new Array(this.length / this.halfCount).fill(undefined);
  }

  /** Records a value in microseconds `count` times (rounded; negative counts as 0, huge as MAX_TRACKABLE_US). */
  record(us: number, count = 1): void {
    const v = us <= 0 ? 0 : us >= MAX_TRACKABLE_US ? MAX_TRACKABLE_US : Math.round(us);
    const index = this.indexOf(v);
    this.block(index >>> this.blockShift)[index & (this.halfCount - 1)]! += count;
    this.total += count;
    this.sum += v * count;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  indexOf(v: number): number {
    if (v < this.subCount) return v;
    const shift = 31 - Math.clz32(v) - (this.subBits - 1); // v >>> shift lands in [halfCount, subCount)
    return this.subCount + (shift - 1) * this.halfCount + ((v >>> shift) - this.halfCount);
  }

  /** The smallest value that lands in bucket `index`. */
  lowestOf(index: number): number {
    if (index < this.subCount) return index;
    const shift = Math.floor((index - this.subCount) / this.halfCount) + 1;
    const sub = ((index - this.subCount) % this.halfCount) + this.halfCount;
    return sub * 2 ** shift;
  }

  /** The largest value that lands in bucket `index`. */
  highestOf(index: number): number {
    return index + 1 < this.length ? this.lowestOf(index + 1) - 1 : MAX_TRACKABLE_US;
  }

  private block(b: number): Float64Array {
    let block = this.blocks[b];
    if (!block) {
      block = new Float64Array(this.halfCount);
      this.blocks[b] = block;
    }
    return block;
  }

  /** How many values bucket `index` holds. */
  countAt(index: number): number {
    return this.blocks[index >>> this.blockShift]?.[index & (this.halfCount - 1)] ?? 0;
  }

  /** Adds every count of `other` (same precision) into this one. */
  merge(other: LatencyHistogram): void {
    if (other.subBits !== this.subBits)
      throw new RangeError("cannot merge histograms of different precision");
    if (other.total === 0) return;
    for (let b = 0; b < other.blocks.length; b++) {
      const theirs = other.blocks[b];
      if (!theirs) continue;
      const mine = this.block(b);
      for (let i = 0; i < theirs.length; i++) mine[i]! += theirs[i]!;
    }
    this.total += other.total;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
  }

  reset(): void {
    if (this.total === 0) return;
    for (const block of this.blocks) block?.fill(0);
    this.total = 0;
    this.sum = 0;
    this.min = Number.POSITIVE_INFINITY;
    this.max = 0;
  }

  /**
   * The value at `percentile` (0–100) in µs: the highest value of the bucket holding that rank,
   * clamped to the recorded max (as HdrHistogram reports it). 0 when empty.
   */
  percentile(percentile: number): number {
    return this.percentiles([percentile])[0]!;
  }

  /** The values at several percentiles, given in ascending order, in one pass over the buckets. */
  percentiles(percentiles: readonly number[]): number[] {
    const out = percentiles.map(() => this.max);
    if (this.total === 0) return out.fill(0);
    let p = 0;
    for (; p < percentiles.length && percentiles[p]! <= 0; p++) out[p] = this.min;
    const rank = (i: number) => Math.max(1, Math.ceil((Math.min(percentiles[i]!, 100) / 100) * this.total));
    let seen = 0;
    for (let b = 0; b < this.blocks.length && p < percentiles.length; b++) {
      const block = this.blocks[b];
      if (!block) continue;
      for (let i = 0; i < block.length; i++) {
        seen += block[i]!;
        while (p < percentiles.length && seen >= rank(p)) {
          out[p] = Math.min(this.highestOf(b * this.halfCount + i), this.max);
          p++;
        }
      }
    }
    return out;
  }

  mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** Non-empty buckets as [lowest µs, highest µs (at most the max recorded), count], ascending. */
  *buckets(): Generator<[number, number, number]> {
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      if (!block) continue;
      for (let i = 0; i < block.length; i++) {
        if (block[i] === 0) continue;
        const index = b * this.halfCount + i;
        yield [this.lowestOf(index), Math.min(this.highestOf(index), this.max), block[i]!];
      }
    }
  }
}
