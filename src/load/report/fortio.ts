// A run as Fortio writes one (`fortio load -json`: its HTTPRunnerResults), so Fortio's report UI
// and the dashboards built on its files read shipshape runs. Fortio's units: seconds in the
// histograms, nanoseconds (Go's time.Duration) for durations. What shipshape measures its own way
// is said where it lands:
// - DurationHistogram is shipshape's corrected latency (from each request's intended send time;
//   requests never sent count until the end, as in `latencyMs`), Fortio's own is from the send;
// - ErrorsDurationHistogram holds the failed requests (errors and statuses >= 400; Fortio counts
//   any status outside 2xx);
// - requests that never connected have no duration in either histogram (they reached no server)
//   and count under RetCodes -1 with every other error, as Fortio's socket errors do;
// - what shipshape does not measure per request (Sizes, HeaderSizes, ConnectionStats, Sockets per
//   connection) is left out rather than made up.
import type { ResolvedLoadOptions } from "../options.ts";
import type { LatencyBin, LatencySummary, LoadResult } from "../result.ts";

interface FortioBucket {
  Start: number;
  End: number;
  /** Cumulative percent of the values up to this bucket's end. */
  Percent: number;
  Count: number;
}

interface FortioHistogram {
  Count: number;
  Min: number;
  Max: number;
  Sum: number;
  Avg: number;
  StdDev: number;
  Data: FortioBucket[] | null;
  Percentiles?: { Percentile: number; Value: number }[];
}

/** The percentiles Fortio reports unless told otherwise (its -p default). */
const FORTIO_PERCENTILES: [number, keyof LatencySummary][] = [
  [50, "p50"],
  [75, "p75"],
  [90, "p90"],
  [99, "p99"],
  [99.9, "p999"],
];

function histogram(summary: LatencySummary, bins: LatencyBin[]): FortioHistogram {
  const filled = bins.filter((b) => b.count > 0);
  const count = filled.reduce((n, b) => n + b.count, 0);
  if (count === 0) return { Count: 0, Min: 0, Max: 0, Sum: 0, Avg: 0, StdDev: 0, Data: null };
  const s = (ms: number) => ms / 1000;
  let seen = 0;
  const data = filled.map((b, i) => {
    seen += b.count;
    return {
      // the ends are the exact extremes, as Fortio's are
      Start: i === 0 ? s(summary.min) : s(b.fromMs),
      End: i === filled.length - 1 ? s(summary.max) : s(b.toMs),
      Percent: (100 * seen) / count,
      Count: b.count,
    };
  });
  return {
    Count: count,
    Min: s(summary.min),
    Max: s(summary.max),
    Sum: s(summary.mean) * count,
    Avg: s(summary.mean),
    StdDev: s(summary.stdDev),
    Data: data,
    Percentiles: FORTIO_PERCENTILES.map(([Percentile, key]) => ({ Percentile, Value: s(summary[key]) })),
  };
}

/** Go's time.Duration.String(): 500ms, 5s, 1.5s, 2m0s, 1h30m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Number(ms.toFixed(6))}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1000).toFixed(9))}s`;
  if (h > 0) return `${h}h${m}m${seconds}`;
  return m > 0 ? `${m}m${seconds}` : seconds;
}

/** Fortio's run id: the start as YYYY-MM-DD-HHmmSS, then the labels with every run of non-alphanumerics as one _. */
function runId(start: Date, labels: string): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const date = `${start.getUTCFullYear()}-${p(start.getUTCMonth() + 1)}-${p(start.getUTCDate())}`;
  const time = `${p(start.getUTCHours())}${p(start.getUTCMinutes())}${p(start.getUTCSeconds())}`;
  const alnum = labels.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
  return `${date}-${time}${alnum ? `_${alnum}` : ""}`.slice(0, 96);
}

/** The run in Fortio's result JSON shape (the object; JSON.stringify it to write the file). */
export function fortioResult(result: LoadResult, options: ResolvedLoadOptions): Record<string, unknown> {
  const url = new URL(result.url);
  const labels = `${url.host}${url.pathname}${url.search} , shipshape`;
  const start = new Date(result.startedAt);
  const errors = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const header = (name: string) =>
    Object.entries(options.headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? "";
  const body = options.body === undefined ? "" : Buffer.from(options.body).toString("base64");
  return {
    RunType: "HTTP",
    Labels: labels,
    StartTime: result.startedAt,
    RequestedQPS: result.targetQps > 0 ? String(Number(result.targetQps.toPrecision(9))) : "max",
    RequestedDuration:
      options.count !== undefined ? `exactly ${options.count} calls` : goDuration(options.durationMs ?? 0),
    ActualQPS: result.qps,
    ActualDuration: Math.round(result.durationSeconds * 1e9),
    NumThreads: result.connections,
    Version: "shipshape",
    DurationHistogram: histogram(result.latencyMs, result.histogram),
    ErrorsDurationHistogram: histogram(result.failureLatencyMs, result.failureHistogram),
    Exactly: options.count ?? 0,
    Jitter: false,
    Uniform: false,
    NoCatchUp: false,
    RunID: 0,
    AccessLoggerInfo: "",
    ID: runId(start, labels),
    RetCodes: { ...result.codes, ...(errors > 0 ? { "-1": errors } : {}) },
    IPCountMap: { [url.host]: result.sockets },
    Insecure: options.insecure,
    MTLS: false,
    CACert: "",
    Cert: "",
    Key: "",
    UnixDomainSocket: "",
    URL: result.url,
    NumConnections: 1,
    Compression: false,
    DisableFastClient: false,
    HTTP10: false,
    H2: false,
    DisableKeepAlive: false,
    AllowHalfClose: false,
    FollowRedirects: false,
    Resolve: "",
    HTTPReqTimeOut: Math.round(options.timeoutMs * 1e6),
    UserCredentials: "",
    ContentType: header("content-type"),
    Payload: body,
    MethodOverride: result.method === "GET" || (result.method === "POST" && body) ? "" : result.method,
    LogErrors: false,
    SequentialWarmup: false,
    ConnReuseRange: [0, 0],
    NoResolveEachConn: false,
    Offset: 0,
    Resolution: 0.001,
    SocketCount: result.sockets,
    AbortOn: 0,
  };
}
