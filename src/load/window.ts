// The counts of one window of requests — a whole run on one connection, or one second of it:
// calls, status codes, errors by kind and a latency histogram. Windows of the same precision merge.
import { addErrors, type ErrorCounts, type ErrorKind, noErrors } from "./failure.ts";
import { LatencyHistogram } from "./histogram.ts";

export class WindowStats {
  calls = 0;
  readonly codes = new Map<number, number>();
  readonly errors: ErrorCounts = noErrors();
  readonly latency: LatencyHistogram;

  constructor(subBits: number) {
    this.latency = new LatencyHistogram(subBits);
  }

  /** A response with `status`, `us` microseconds after its intended send time. */
  recordStatus(status: number, us: number): void {
    this.calls += 1;
    this.codes.set(status, (this.codes.get(status) ?? 0) + 1);
    this.latency.record(us);
  }

  /** A failed request; `us` undefined when it never reached the server (no connection), so it has no latency. */
  recordError(kind: ErrorKind, us: number | undefined): void {
    this.calls += 1;
    this.errors[kind] += 1;
    if (us !== undefined) this.latency.record(us);
  }

  merge(other: WindowStats): void {
    this.calls += other.calls;
    for (const [status, n] of other.codes) this.codes.set(status, (this.codes.get(status) ?? 0) + n);
    addErrors(this.errors, other.errors);
    this.latency.merge(other.latency);
  }

  reset(): void {
    this.calls = 0;
    this.codes.clear();
    Object.assign(this.errors, noErrors());
    this.latency.reset();
  }

  /** Status codes as a JSON object, in ascending order ({"200": 1800, "502": 200}). */
  codesObject(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const status of [...this.codes.keys()].sort((a, b) => a - b)) out[status] = this.codes.get(status)!;
    return out;
  }
}
