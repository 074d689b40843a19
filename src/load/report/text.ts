// The text summary printed at the end of a run, in the spirit of Fortio's: what was asked,
// what was achieved, the latency percentiles, status codes, errors and sockets.
import { ERROR_KINDS, totalErrors } from "../failure.ts";
import type { LatencySummary, LoadResult, WorkerState, WorkerSummary } from "../result.ts";
import { bytes, count, ms, percent, rate } from "./format.ts";

function latencyLine(l: LatencySummary): string {
  const parts: [string, number][] = [
    ["min", l.min],
    ["p50", l.p50],
    ["p75", l.p75],
    ["p90", l.p90],
    ["p99", l.p99],
    ["p99.9", l.p999],
    ["max", l.max],
    ["mean", l.mean],
  ];
  return parts.map(([name, v]) => `${name} ${ms(v)}`).join("  ");
}

export function loadTextReport(r: LoadResult): string {
  const target =
    r.model === "open"
      ? `${rate(r.targetQps)} qps target (open model: latency from each request's intended send time)`
      : "max speed (closed model: each connection sends when its previous answer is in)";
  const codes = Object.entries(r.codes).map(([code, n]) => `${code}: ${count(n)} (${percent(n, r.calls)})`);
  const errorTotal = totalErrors(r.errors);
  const errors = ERROR_KINDS.filter((k) => r.errors[k] > 0).map((k) => {
    const causes = r.errorCauses.filter((c) => c.kind === k).map((c) => `${c.code} ${count(c.count)}`);
    return `${k} ${count(r.errors[k])}${causes.length > 0 ? ` (${causes.join(", ")})` : ""}`;
  });
  const lines = [
    `${r.method} ${r.url}  ${r.connections} connection${r.connections === 1 ? "" : "s"}, ${target}`,
    `Ran ${r.durationSeconds.toFixed(3)} s: ${count(r.calls)} calls, ${rate(r.qps)} qps${r.stopped ? " (stopped early)" : ""}`,
    `Latency ms   ${r.percentiles.length > 0 ? latencyLine(r.latencyMs) : "none: no request reached the server"}`,
  ];
  if (r.clientError)
    lines.unshift(`CLIENT FAILED: ${r.clientError}; the figures below say nothing about the server`);
  if (r.model === "open" && r.percentiles.length > 0) {
    lines.push(`Service ms   ${latencyLine(r.serviceTimeMs)}   (from the actual send, uncorrected)`);
  }
  lines.push(
    `Codes        ${codes.length > 0 ? codes.join("   ") : "none"}`,
    `Errors       ${errorTotal === 0 ? "none" : `${count(errorTotal)} (${percent(errorTotal, r.calls)}): ${errors.join(", ")}`}`,
    `Sockets      ${count(r.sockets)} used for ${r.connections} connection${r.connections === 1 ? "" : "s"}${r.sockets > r.connections ? " (connections were re-made)" : ""}   bytes sent ${bytes(r.bytes.sent)}, received ${bytes(r.bytes.received)}`,
  );
  if (r.unsent > 0) {
    const why = r.stopped ? "stopped early" : "the server could not keep up with the target rate";
    lines.push(
      `Not sent     ${count(r.unsent)} planned requests (${why}); those due before the end count in the latency as waiting until it`,
    );
  }
  if (r.retried > 0) {
    lines.push(
      `Retried      ${count(r.retried)} requests: the server closed a kept-alive connection before answering`,
    );
  }
  if (r.interrupted > 0) lines.push(`Abandoned    ${count(r.interrupted)} requests in flight at the stop`);
  if (r.workers) lines.push(...workerLines(r.workers));
  return `${lines.join("\n")}\n`;
}

const STATE_TEXT: Record<WorkerState, string> = {
  ran: "ran its share",
  stopped: "stopped with the run",
  died: "DIED",
  "never-started": "NEVER STARTED",
};

/** "Workers      4 pods: 3 ran their share, 1 died", then one line per worker that did not run its share. */
export function workerLines(workers: WorkerSummary[]): string[] {
  const by = new Map<WorkerState, number>();
  for (const w of workers) by.set(w.state, (by.get(w.state) ?? 0) + 1);
  const tally = [...by].map(([state, n]) => `${n} ${state === "ran" ? "ran their share" : state}`);
  const lines = [`Workers      ${workers.length} pods: ${tally.join(", ")}`];
  for (const w of workers) {
    if (w.state === "ran") continue;
    const detail = w.detail ? `: ${w.detail}` : "";
    lines.push(`             ${w.name} ${STATE_TEXT[w.state]} (${count(w.calls)} calls counted)${detail}`);
  }
  return lines;
}
