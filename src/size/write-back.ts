// --write and --config: the recommendation written into the user's own files, in place, through
// yaml's document API so every comment, key order and unrelated value stays as written. A
// manifest file gets requests == limits on the workload's containers and either the HPA's CPU
// target (and a maxReplicas that reaches the replicas needed) or spec.replicas; a blueprint
// config gets its cpu, memory and cpuUtilization (or replicas) settings.
import { type Document, isMap, parseAllDocuments } from "yaml";
import { InputError } from "../errors.ts";
import { locatedDocuments } from "../manifest/parse.ts";
import { formatCpu, formatMemory } from "./recommend.ts";
import type { Recommendation } from "./result.ts";
import type { WorkloadRef } from "./workload.ts";

export type WriteTarget = { to: "manifests"; file: string } | { to: "config"; file: string };

/** The file's documents; hostile input (alias bombs, deep nesting) meets the manifest reader's guards first. */
function documents(text: string, file: string): Document[] {
  locatedDocuments(text, file);
  const docs = parseAllDocuments(text, { keepSourceTokens: false });
  if (!Array.isArray(docs)) return [];
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) throw new InputError(`not valid YAML: ${broken.errors[0]!.message.split("\n")[0]}`, { file });
  return docs;
}

const str = (doc: Document, path: string[]) => {
  const value = doc.getIn(path);
  return typeof value === "string" ? value : undefined;
};

function findWorkload(docs: Document[], ref: WorkloadRef, file: string): Document {
  const doc = docs.find(
    (d) =>
      str(d, ["kind"]) === ref.kind &&
      str(d, ["metadata", "name"]) === ref.name &&
      (str(d, ["metadata", "namespace"]) ?? ref.namespace) === ref.namespace,
  );
  if (!doc) throw new InputError(`holds no ${ref.kind} ${ref.namespace}/${ref.name} to resize`, { file });
  return doc;
}

function findHpa(docs: Document[], ref: WorkloadRef): Document | undefined {
  return docs.find(
    (d) =>
      str(d, ["kind"]) === "HorizontalPodAutoscaler" &&
      str(d, ["spec", "scaleTargetRef", "kind"]) === ref.kind &&
      str(d, ["spec", "scaleTargetRef", "name"]) === ref.name,
  );
}

/** Refuses a target that cannot take the recommendation, before any load is sent. */
export function checkWriteTarget(text: string, target: WriteTarget, ref: WorkloadRef): void {
  const docs = documents(text, target.file);
  if (target.to === "manifests") findWorkload(docs, ref, target.file);
  else if (docs.length !== 1 || !isMap(docs[0]!.contents))
    throw new InputError("a config file is one YAML mapping of settings", { file: target.file });
}

function writeManifests(docs: Document[], rec: Recommendation, ref: WorkloadRef, file: string): void {
  const workload = findWorkload(docs, ref, file);
  const containers = workload.getIn(["spec", "template", "spec", "containers"], true);
  const items = (containers as { items?: unknown[] } | undefined)?.items ?? [];
  for (const [i, item] of items.entries()) {
    const name = (item as { get?(key: string): unknown }).get?.("name");
    const size = rec.containers.find((c) => c.container === name);
    if (!size) continue;
    for (const kind of ["requests", "limits"]) {
      workload.setIn(
        ["spec", "template", "spec", "containers", i, "resources", kind, "cpu"],
        formatCpu(size.cpu),
      );
      workload.setIn(
        ["spec", "template", "spec", "containers", i, "resources", kind, "memory"],
        formatMemory(size.memory),
      );
    }
  }
  const hpa = findHpa(docs, ref);
  if (!hpa) {
    workload.setIn(["spec", "replicas"], rec.replicas);
    return;
  }
  const metrics = (hpa.getIn(["spec", "metrics"], true) as { items?: unknown[] } | undefined)?.items ?? [];
  for (const [i, metric] of metrics.entries()) {
    const m = metric as { getIn?(path: string[]): unknown };
    if (m.getIn?.(["resource", "name"]) === "cpu")
      hpa.setIn(["spec", "metrics", i, "resource", "target", "averageUtilization"], rec.hpaCpuUtilization);
  }
  const max = hpa.getIn(["spec", "maxReplicas"]);
  if (typeof max !== "number" || max < rec.replicas) hpa.setIn(["spec", "maxReplicas"], rec.replicas);
}

function writeConfig(doc: Document, rec: Recommendation, file: string): void {
  const [web, ...more] = rec.containers;
  if (!web || more.length > 0)
    throw new InputError(
      `a blueprint config sizes one web container; this workload has ${rec.containers.length}: use --write with its manifests`,
      { file },
    );
  doc.set("cpu", formatCpu(web.cpu));
  doc.set("memory", formatMemory(web.memory));
  if (doc.get("autoscale") === false) {
    doc.set("replicas", rec.replicas);
    return;
  }
  doc.set("cpuUtilization", rec.hpaCpuUtilization);
  const max = doc.get("maxReplicas");
  if (typeof max === "number" && max < rec.replicas) doc.set("maxReplicas", rec.replicas);
}

/** `text` with the recommendation written in. */
export function writeRecommendation(
  text: string,
  target: WriteTarget,
  ref: WorkloadRef,
  rec: Recommendation,
): string {
  const docs = documents(text, target.file);
  if (target.to === "manifests") writeManifests(docs, rec, ref, target.file);
  else {
    checkWriteTarget(text, target, ref);
    writeConfig(docs[0]!, rec, target.file);
  }
  return docs
    .map((d, i) => {
      const out = d.toString();
      return i === 0 || out.startsWith("---") ? out : `---\n${out}`;
    })
    .join("");
}
