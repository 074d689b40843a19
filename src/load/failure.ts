// What went wrong with a request, in the four kinds a reader acts on differently: could not
// connect (nothing listening, DNS, TLS), no answer in time, the connection was cut, or other.

export type ErrorKind = "connect" | "timeout" | "reset" | "other";
export const ERROR_KINDS: readonly ErrorKind[] = ["connect", "timeout", "reset", "other"];

export type ErrorCounts = Record<ErrorKind, number>;

export function noErrors(): ErrorCounts {
  return { connect: 0, timeout: 0, reset: 0, other: 0 };
}

export function addErrors(into: ErrorCounts, from: ErrorCounts): void {
  for (const kind of ERROR_KINDS) into[kind] += from[kind];
}

export function totalErrors(counts: ErrorCounts): number {
  return counts.connect + counts.timeout + counts.reset + counts.other;
}

/** How many failed requests one cause (an error code) failed, and its kind. */
export interface ErrorCause {
  kind: ErrorKind;
  code: string;
  count: number;
}

/** Failed requests by kind and cause (the error code: ECONNREFUSED, EPROTO, REQUEST_TIMEOUT…). */
export class ErrorCauses {
  private readonly counts = new Map<ErrorKind, Map<string, number>>();

  add(kind: ErrorKind, code: string, n = 1): void {
    const causes = this.counts.get(kind) ?? new Map<string, number>();
    causes.set(code, (causes.get(code) ?? 0) + n);
    this.counts.set(kind, causes);
  }

  merge(other: ErrorCauses): void {
    for (const [kind, causes] of other.counts) for (const [code, n] of causes) this.add(kind, code, n);
  }

  /** As JSON: every cause with its kind, the most frequent first. */
  list(): ErrorCause[] {
    return [...this.counts]
      .flatMap(([kind, causes]) => [...causes].map(([code, count]) => ({ kind, code, count })))
      .sort((a, b) => b.count - a.count);
  }
}

/** One failed request: an error, or an HTTP status >= 400. Times are ms after the run's start. */
export interface FailureEvent {
  /** When the request was due to be sent (its place on a timeline). */
  atMs: number;
  /** How long until the answer or the error, measured from `atMs`. */
  latencyMs: number;
  /** "status" for an HTTP error status, otherwise the error kind. */
  kind: ErrorKind | "status";
  status?: number;
  /** The error code or message, for errors. */
  detail?: string;
}

/** An error this tool raises itself, knowing its kind (the connect phase failed, a timeout fired…). */
export class RequestError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  constructor(kind: ErrorKind, code: string, message: string) {
    super(message);
    this.kind = kind;
    this.code = code;
  }
}

const CONNECT = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);
const TIMEOUT = new Set(["ETIMEDOUT"]);
/** The client machine's own limits (file descriptors): the client failed, not the server. */
export const CLIENT_LIMITS = new Set(["EMFILE", "ENFILE"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

/** The error's code; happy-eyeballs connects fail with an AggregateError whose parts carry it. */
export function errorCode(error: unknown): string {
  const e = error as { code?: unknown; errors?: unknown[]; message?: unknown };
  if (typeof e?.code === "string") return e.code;
  if (Array.isArray(e?.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  return typeof e?.message === "string" ? e.message : String(error);
}

export function classifyError(error: unknown): ErrorKind {
  if (error instanceof RequestError) return error.kind;
  const code = errorCode(error);
  if (CONNECT.has(code)) return "connect";
  if (TIMEOUT.has(code)) return "timeout";
  if (RESET.has(code)) return "reset";
  return "other";
}
