// The verdict as a terminal reads it: the answer first, then the incidents on one timeline with the pod
// events around them, then the likely causes with the rule findings that confirm them.
import { workerLines } from "../../load/report/text.ts";
import { LEFT_REASONS } from "../drain-leftovers.ts";
import type { ClusterEvent, Timeline } from "../timeline.ts";
import { relative } from "../timeline.ts";
import type { Verdict } from "../verdict.ts";
import { headline } from "./headline.ts";

export function describeEvent(event: ClusterEvent): string {
  switch (event.kind) {
    case "pod":
      return `pod ${event.pod} ${event.change}${event.node && event.change === "scheduled" ? ` on ${event.node}` : ""}`;
    case "endpoint":
      return `endpoint ${event.pod} ${event.change.replace("added-", "added, ")}`;
    case "replicaset":
      return `replicaset ${event.name} ${event.ready}/${event.replicas} ready`;
    case "replicas":
      return `replicas ${event.ready}/${event.desired} ready${event.cpuPercent !== undefined ? `, cpu ${event.cpuPercent} %` : ""}`;
    case "eviction":
      return `eviction of ${event.pod} ${event.outcome}${event.message ? `: ${event.message}` : ""}`;
    case "left":
      return `left on the node: ${event.pod} — ${LEFT_REASONS[event.reason].text}${event.detail ? ` (${event.detail})` : ""}`;
    case "phase":
      return `— ${event.phase}${event.detail ? ` (${event.detail})` : ""}`;
  }
}

function codes(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([code, n]) => `${n} × ${code}`)
    .join(", ");
}

export function verifyTextReport(timeline: Timeline, v: Verdict): string {
  const lines: string[] = [];
  const head = headline(v);
  lines.push(`verify ${v.scenario} ${v.subject}: ${head.status}`);
  if (head.reach) lines.push(`  ${head.reach.proven ? "" : "!! "}${head.reach.text}`);
  lines.push(`  ${head.downtime.text}`);
  if (head.baseline) lines.push(`  ${head.baseline}`);
  lines.push(`  ${v.goal.met ? "goal met" : "goal NOT met"}: ${v.goal.summary}`);
  for (const f of v.goal.findings)
    lines.push(`    likely because of rule ${f.rule}: ${f.message}`, `    fix: ${f.fix}`);
  const duration = ((timeline.endedAt - timeline.startedAt) / 1000).toFixed(1);
  lines.push(
    `  load: ${timeline.load.targetQps || "max"} qps target, ${timeline.load.connections} connections, ${duration} s, ${timeline.url}`,
  );
  if (timeline.load.workers) lines.push(...workerLines(timeline.load.workers).map((line) => `  ${line}`));
  if (v.partial) lines.push(`  partial: ${v.partial}`);

  if (v.incidents.length) {
    lines.push("", "Timeline around the failures");
    for (const incident of v.incidents) {
      const rows: Array<[number, string]> = incident.events.map((e) => [e.t, describeEvent(e)]);
      const span = incident.to > incident.from ? ` until ${relative(timeline, incident.to)}` : "";
      rows.push([incident.from, `✗ ${incident.failures} failed: ${codes(incident.codes)}${span}`]);
      rows.sort((a, b) => a[0] - b[0]);
      for (const [t, text] of rows) lines.push(`  ${relative(timeline, t).padStart(11)}  ${text}`);
      lines.push("");
    }
    lines.pop();
  }

  if (v.causes.length) {
    lines.push("", "Likely cause");
    v.causes.forEach((cause, i) => {
      lines.push(`  ${i + 1}. ${cause.title}`, `     ${cause.evidence}`);
      for (const f of cause.findings) lines.push(`     confirmed by rule ${f.rule}: ${f.message}`);
      lines.push(`     fix: ${cause.findings[0]?.fix ?? cause.fix}`);
    });
  }
  if (v.risks.length) {
    lines.push("", "Not triggered this run, still risky");
    for (const f of v.risks) lines.push(`  ${f.rule}: ${f.message}`);
  }
  return `${lines.join("\n")}\n`;
}
