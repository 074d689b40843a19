// The status as a person reads it: aligned tables, one section per concern, every cell saying what it
// counts ("3 (needs 2)", not "3/2"); a NAMESPACE column only when the status spans namespaces (-A).
import type { NamespaceStatus } from "./status.ts";

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** "42s ago", "5m ago", "3h ago", "2d ago" — how long before `now` the time was. */
function ago(time: string | undefined, now: number): string {
  const at = Date.parse(time ?? "");
  if (Number.isNaN(at)) return "?";
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}

function endpoints(ready: number, notReady: number): string {
  return notReady ? `${ready} ready, ${notReady} not ready` : `${ready} ready`;
}

/** The status as aligned tables; empty sections are left out. */
export function formatStatus(status: NamespaceStatus, now = Date.now()): string {
  const everywhere = status.namespace === undefined;
  const sections: string[][] = [];
  const add = <T extends { namespace: string }>(
    title: string,
    header: string[],
    items: readonly T[],
    cells: (item: T) => string[],
  ) => {
    if (!items.length) return;
    const rows = items.map((item) => (everywhere ? [item.namespace, ...cells(item)] : cells(item)));
    const lines = table(everywhere ? ["NAMESPACE", ...header] : header, rows);
    sections.push([title, ...lines.map((l) => `  ${l}`)]);
  };
  add("Workloads", ["NAME", "READY", "STATUS", "QOS", "NODES"], status.workloads, (w) => [
    `${w.kind}/${w.name}`,
    `${w.ready}/${w.desired}`,
    w.readiness.state === "ready" ? "ready" : `${w.readiness.state}: ${w.readiness.detail}`,
    w.qos.join(",") || "-",
    w.nodes.length ? `${w.nodes.length} (${w.nodes.join(",")})` : "none (no pod scheduled)",
  ]);
  const stuck = status.workloads.filter((w) => w.why.length);
  if (stuck.length)
    sections.push([
      "Why not ready",
      ...stuck.flatMap((w) => [
        `  ${everywhere ? `${w.namespace}/` : ""}${w.kind}/${w.name}:`,
        ...w.why.map((line) => `    ${line}`),
      ]),
    ]);
  add(
    "PodDisruptionBudgets",
    ["NAME", "ALLOWED DISRUPTIONS", "HEALTHY PODS", "EXPECTED PODS"],
    status.budgets,
    (b) => [b.name, String(b.allowed), `${b.healthy} (needs ${b.desiredHealthy})`, String(b.expected)],
  );
  add(
    "HorizontalPodAutoscalers",
    ["NAME", "TARGET", "REPLICAS (now→desired)", "MIN-MAX", "METRICS (current/target)"],
    status.autoscalers,
    (h) => [h.name, h.target, `${h.current}→${h.desired}`, `${h.min}-${h.max}`, h.metrics.join(", ")],
  );
  add(
    "PersistentVolumeClaims",
    ["NAME", "PHASE", "STORAGE CLASS", "ACCESS", "CAPACITY"],
    status.claims,
    (c) => [c.name, c.phase, c.storageClass ?? "none named", c.accessModes.join(",") || "-", c.capacity],
  );
  add("Services", ["NAME", "TYPE", "ENDPOINTS"], status.services, (s) => [
    s.name,
    s.type,
    endpoints(s.ready, s.notReady),
  ]);
  add("Ingresses", ["NAME", "CLASS", "HOSTS", "TLS", "BACKENDS", "ADDRESS"], status.ingresses, (i) => [
    i.name,
    i.className ?? "-",
    i.hosts.join(",") || "*",
    i.tls.length
      ? i.tls.map((t) => `${t.hosts.join(",") || "*"} (secret ${t.secretName ?? "none"})`).join("; ")
      : "none (plain HTTP)",
    i.backends.join(", ") || "-",
    i.addresses.join(",") || "none yet",
  ]);
  add("Recent warnings", ["LAST SEEN", "OBJECT", "REASON", "MESSAGE"], status.warnings, (e) => [
    ago(e.lastSeen, now),
    e.object,
    e.count > 1 ? `${e.reason} (x${e.count})` : e.reason,
    e.message,
  ]);
  const where = everywhere ? "any namespace" : `namespace ${status.namespace}`;
  if (!sections.length) return `${where}: nothing to show\n`;
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
