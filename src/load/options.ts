// What a load run is asked to do, and the guard rails: every run is bounded (by a duration or a
// request count), and values that cannot be meant (a million connections, a week-long run) are
// refused with the option named, before a single socket opens.
import { InputError } from "../errors.ts";
import { connectTarget, type ResolveEntry } from "./resolve.ts";
import { type ScheduleShare, shareCount, WHOLE } from "./split.ts";

export interface LoadOptions {
  /** http:// or https:// URL; every request goes to it. */
  url: string;
  /** Target requests per second over all connections (open model); 0 = as fast as possible (closed model). */
  qps: number;
  /** Parallel HTTP/1.1 keep-alive connections. Default 8. */
  connections?: number;
  /** Stop after this long (ms). When neither duration nor count is given: 10 s. */
  durationMs?: number;
  /** Stop after this many requests (over all connections). */
  count?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The longest a request may take (ms), from its send to its answer's last byte; also the connect timeout. Default 10 s. */
  timeoutMs?: number;
  /** Accept any TLS certificate (self-signed test clusters). */
  insecure?: boolean;
  /** Certificate authorities (PEM) to trust instead of the system's, e.g. a test ACME server's root. */
  ca?: string;
  /** Reach the URL's host at another address (curl's --resolve); Host and SNI stay the URL's. */
  resolve?: ResolveEntry[];
  /** Requests in flight per connection. Default 1 (no pipelining). */
  pipelining?: number;
  /** How many failed requests to keep individually (with their time) for a timeline. Default 10 000. */
  maxFailureEvents?: number;
  /** This run is one worker's share of a run split over several (split.ts); qps, count and duration
   * stay the whole run's. Default: the whole run. */
  share?: ScheduleShare;
  /** Wall-clock time (ms since the epoch) the run starts at, shared by every worker of a split run;
   * its seconds and due times count from there. Default: now. */
  startAt?: number;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedLoadOptions {
  url: URL;
  qps: number;
  connections: number;
  durationMs: number | undefined;
  count: number | undefined;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  timeoutMs: number;
  insecure: boolean;
  ca: string | undefined;
  /** Where sockets open to: the URL's host and port, or the --resolve address for them. */
  connectTo: { host: string; port: number };
  pipelining: number;
  maxFailureEvents: number;
  share: ScheduleShare;
  startAt: number | undefined;
}

export const DEFAULT_DURATION_MS = 10_000;

const LIMITS = {
  qps: 1_000_000,
  connections: 10_000,
  durationMs: 24 * 3600 * 1000,
  count: 1_000_000_000,
  timeoutMs: 600_000,
  pipelining: 256,
  maxFailureEvents: 10_000_000,
};

function bad(field: string, message: string): InputError {
  return new InputError(message, { field });
}

function checkNumber(field: string, value: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw bad(field, `must be ${integer ? "a whole number" : "a number"}, got ${value}`);
  }
  if (value < min || value > max) throw bad(field, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function resolveLoadOptions(options: LoadOptions): ResolvedLoadOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw bad("url", `not a URL: "${options.url}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad("url", `only http:// and https:// are supported, got ${url.protocol}`);
  }
  const qps = checkNumber("qps", options.qps, 0, LIMITS.qps, false);
  const count =
    options.count === undefined ? undefined : checkNumber("count", options.count, 1, LIMITS.count, true);
  const durationMs =
    options.durationMs === undefined
      ? count === undefined
        ? DEFAULT_DURATION_MS
        : undefined
      : checkNumber("duration", options.durationMs, 1, LIMITS.durationMs, false);
  const share = checkShare(options.share ?? WHOLE);
  let connections = checkNumber("connections", options.connections ?? 8, 1, LIMITS.connections, true);
  // an idle socket measures nothing
  if (count !== undefined) connections = Math.max(1, Math.min(connections, shareCount(count, share)));
  const method = (options.method ?? "GET").toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw bad("method", `not an HTTP method: "${options.method}"`);
  return {
    url,
    qps,
    connections,
    durationMs,
    count,
    method,
    headers: { ...options.headers },
    body: options.body,
    timeoutMs: checkNumber("timeout", options.timeoutMs ?? 10_000, 1, LIMITS.timeoutMs, false),
    insecure: options.insecure ?? false,
    ca: options.ca,
    connectTo: connectTarget(url, options.resolve ?? []),
    pipelining: checkNumber("pipelining", options.pipelining ?? 1, 1, LIMITS.pipelining, true),
    maxFailureEvents: checkNumber(
      "max-failures",
      options.maxFailureEvents ?? 10_000,
      0,
      LIMITS.maxFailureEvents,
      true,
    ),
    share,
    startAt:
      options.startAt === undefined ? undefined : checkNumber("startAt", options.startAt, 0, 2 ** 53, false),
  };
}

function checkShare(share: ScheduleShare): ScheduleShare {
  const of = checkNumber("workers", share.of, 1, LIMITS.connections, true);
  return { index: checkNumber("worker index", share.index, 0, of - 1, true), of };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "60s", "1m30s", "500ms", "2h", or a bare number of seconds → milliseconds. */
export function parseDuration(text: string, field = "duration"): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== trimmed) {
    throw bad(field, `not a duration: "${text}" (try 10s, 1m, 500ms, 1h30m)`);
  }
  return parts.reduce((total, p) => total + Number(p[1]) * UNITS[p[2]!]!, 0);
}
