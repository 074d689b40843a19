// Bounded polling for tests: the one way integration tests wait for the cluster to converge.
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  timeoutMs: number;
  /** What is awaited, for the timeout message ("3 ready replicas"). */
  what: string;
  intervalMs?: number;
}

/** Polls `fn` until it returns a value other than undefined/null/false and returns that value.
 * Errors thrown by `fn` count as "not yet"; on timeout the last one is reported. A call to `fn`
 * that hangs past the deadline times out too. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs, what, intervalMs = 250 }: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await beforeDeadline(fn(), deadline);
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

/** The value, or undefined if the deadline passes first (the deadline timer is then cancelled,
 * so it holds nothing open). */
async function beforeDeadline<T>(value: Promise<T> | T, deadline: number): Promise<T | undefined> {
  const cancel = new AbortController();
  const expiry = sleep(Math.max(0, deadline - Date.now()), undefined, { signal: cancel.signal });
  try {
    return await Promise.race([value, expiry]);
  } finally {
    cancel.abort();
  }
}
