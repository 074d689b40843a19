// The human report: one line per finding, `file:line:col: severity rule: message`, so editors and
// terminals jump to it, with the fix indented on the next line; findings follow their object's line,
// which carries the facts computed per workload (QoS class, OOM score adjustment, allowed disruptions);
// a summary line. Colour only when asked (a TTY without NO_COLOR).
import { type CheckResult, DEFAULT_NODE_MEMORY, type ObjectFacts } from "../engine.ts";
import { isLive } from "../live.ts";
import type { Finding, Severity } from "../types.ts";

export interface TextOptions {
  color?: boolean;
  /** Node memory the Burstable OOM scores were computed for. */
  nodeMemory?: number;
}

const SGR = { red: 31, yellow: 33, blue: 34, green: 32, bold: 1, dim: 2 } as const;
type Style = keyof typeof SGR;

export function formatText(result: CheckResult, options: TextOptions = {}): string {
  const paint = (style: Style, text: string) => (options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const severityStyle: Record<Severity, Style> = { error: "red", warning: "yellow", info: "blue" };
  const gib = (options.nodeMemory ?? DEFAULT_NODE_MEMORY) / 1024 ** 3;

  const byObject = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const key = objectKey(finding.file, finding.object);
    const list = byObject.get(key);
    if (list) list.push(finding);
    else byObject.set(key, [finding]);
  }

  const out: string[] = [];
  for (const object of result.objects) {
    const findings = byObject.get(objectKey(object.file, object)) ?? [];
    const facts = factsLine(object, gib);
    const file = object.file === "-" ? "(stdin)" : object.file;
    // A live object has no place in a file: its name, on the line above its findings, is the place.
    const at = (line: number, col: number) =>
      isLive(object) ? " " : paint("dim", `${file}:${line}:${col}:`);
    const stuck = object.live?.stuckPods ?? [];
    if (findings.length === 0 && stuck.length === 0 && !facts) continue;
    if (out.length > 0) out.push("");
    const name = `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name ?? "(unnamed)"}`;
    const status = findings.length === 0 && stuck.length === 0 ? paint("green", " ✓") : "";
    out.push(
      `${at(object.line, object.col)} ${paint("bold", name)}${status}${facts ? `  ${paint("dim", facts)}` : ""}`.trimStart(),
    );
    for (const pod of stuck)
      out.push(
        `  ${paint("red", "stuck")} pod ${pod.name}: ${pod.reason}${pod.message ? ` — ${pod.message}` : ""}`,
      );
    for (const f of findings) {
      out.push(
        `${at(f.line, f.col)} ${paint(severityStyle[f.severity], f.severity)} ${f.rule}: ${f.message}`,
      );
      const applies = f.autofix && !isLive(f) ? " (--fix applies it)" : "";
      out.push(`    ${paint("dim", `fix: ${f.fix}${applies}`)}`);
    }
  }
  if (out.length > 0) out.push("");
  out.push(summaryLine(result, paint));
  return `${out.join("\n")}\n`;
}

function objectKey(
  file: string,
  o: { kind: string; namespace?: string; name?: string; apiVersion: string },
): string {
  return `${file}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ""}\0${o.name ?? ""}`;
}

function factsLine(object: ObjectFacts, gib: number): string {
  const live = liveFactsLine(object);
  if (!object.qosClass) return live;
  const parts = [`QoS ${object.qosClass}`];
  if (object.podSecurity) parts.push(`Pod Security ${object.podSecurity}`);
  if (object.oomScoreAdj !== undefined) {
    const node = object.qosClass === "Burstable" ? ` on a ${gib} GiB node` : "";
    parts.push(`oom_score_adj ${object.oomScoreAdj}${node}`);
  }
  if (object.allowedDisruptions !== undefined)
    parts.push(`PDB allows ${object.allowedDisruptions} disruption(s)`);
  if (live) parts.push(live);
  return parts.join(" · ");
}

/** What the cluster says, beside what the spec implies. */
function liveFactsLine(object: ObjectFacts): string {
  const live = object.live;
  if (!live) return "";
  const parts: string[] = [];
  if (live.qosClasses) parts.push(`server QoS ${live.qosClasses.join(", ")}`);
  if (live.disruptionsAllowed !== undefined) parts.push(`disruptions allowed now ${live.disruptionsAllowed}`);
  if (live.podSecurity)
    parts.push(
      `Pod Security ${Object.entries(live.podSecurity)
        .map(([key, value]) => `${key.slice("pod-security.kubernetes.io/".length)}=${value}`)
        .join(", ")}`,
    );
  return parts.join(" · ");
}

function summaryLine(result: CheckResult, paint: (style: Style, text: string) => string): string {
  const { objects, errors, warnings, infos } = result.summary;
  const files = new Set(result.objects.map((o) => o.file)).size;
  const problems = errors + warnings + infos;
  const counts = `${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(infos, "info")}`;
  const where = result.objects.some(isLive) ? "the cluster" : plural(files, "file");
  const scope = `${plural(objects, "object")} in ${where}`;
  if (problems === 0) return paint("green", `✓ no problems in ${scope}`);
  const mark = errors > 0 ? paint("red", "✖") : paint("yellow", "!");
  return `${mark} ${plural(problems, "problem")} (${counts}) in ${scope}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
