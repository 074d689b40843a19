// Runs every rule over every object against one shared index, applies the opt-outs (annotation and
// config), places each finding at file:line:col, and computes the facts reported per workload. It runs
// object by object as it is iterated (runCheck), so a report can be written as it goes instead of
// holding every finding of a large input at once.

import { InputError } from "../errors.ts";
import { IGNORE_ANNOTATION } from "../k8s/annotations.ts";
import { type LiveFacts, liveKey } from "../k8s/live-facts.ts";
import { describeObject } from "../k8s/object.ts";
import type { SourceObject } from "../manifest/types.ts";
import { nearMatches } from "../text/suggest.ts";
import type { CheckConfig } from "./config.ts";
import { allowedDisruptions } from "./facts/disruptions.ts";
import { oomScoreAdj } from "./facts/oom.ts";
import { type PodSecurityLevel, podSecurityLevel } from "./facts/pod-security.ts";
import { type QosClass, qosClass } from "./facts/qos.ts";
import { buildObjectIndex, type ObjectIndex, type Workload } from "./object-index.ts";
import { podSecurityOf } from "./rules/helpers.ts";
import { allRules } from "./rules/index.ts";
import { int, record, text } from "./shape.ts";
import type { Finding, Fixable, Rule, Severity } from "./types.ts";

/** Burstable OOM scores depend on the node's memory; reported for this node size unless told otherwise. */
export const DEFAULT_NODE_MEMORY = 16 * 1024 ** 3;

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface CheckOptions {
  /** Defaults to every registered rule. */
  rules?: readonly Rule[];
  config?: CheckConfig;
  /** Report only findings at or above this severity (the exit code follows what is reported). */
  minSeverity?: Severity;
  /** Node memory in bytes for Burstable OOM score adjustments. */
  nodeMemory?: number;
  /** Honour the ignore annotation (default). Verify's audit turns it off: it explains a failure,
   * whatever the manifest opted out of. */
  optOuts?: boolean;
  /** What the cluster says about live objects (`check --cluster`), by liveKey. */
  live?: ReadonlyMap<string, LiveFacts>;
}

export interface ObjectFacts {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  file: string;
  line: number;
  col: number;
  /** Present for every pod-bearing object. */
  qosClass?: QosClass;
  /** The highest Pod Security Standard its pods meet, as Pod Security admission would judge them. */
  podSecurity?: PodSecurityLevel;
  /** The highest oom_score_adj among its containers (the first the OOM killer picks). */
  oomScoreAdj?: number;
  /** Pods its PodDisruptionBudget lets an eviction take at its (minimum) replica count. */
  allowedDisruptions?: number;
  /** What the cluster says about it, for a live object. */
  live?: LiveFacts;
}

export interface CheckSummary {
  objects: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface CheckResult {
  findings: Finding[];
  objects: ObjectFacts[];
  summary: CheckSummary;
  /** The rules that ran (after config), for reports that describe them. */
  rules: readonly Rule[];
  /** The reported findings that carry an autofix, with their objects. */
  fixable: Fixable[];
}

/** One object's facts and findings (in line:col order), and those of its findings that carry an autofix. */
export interface ObjectResult {
  facts: ObjectFacts;
  findings: Finding[];
  fixable: Fixable[];
}

/** A check that runs object by object, in input order, as it is iterated; `summary` counts the findings
 * of the objects iterated so far (all of them once the iteration ends). */
export interface CheckRun extends Iterable<ObjectResult> {
  rules: readonly Rule[];
  summary: CheckSummary;
}

export function checkObjects(sources: readonly SourceObject[], options: CheckOptions = {}): CheckResult {
  return collect(runCheck(sources, options));
}

/** Runs a check to its end, keeping every finding. */
export function collect(run: CheckRun): CheckResult {
  const findings: Finding[] = [];
  const objects: ObjectFacts[] = [];
  const fixable: Fixable[] = [];
  for (const result of run) {
    for (const finding of result.findings) findings.push(finding);
    for (const fix of result.fixable) fixable.push(fix);
    objects.push(result.facts);
  }
  return { findings, objects, summary: run.summary, rules: run.rules, fixable };
}

export function runCheck(sources: readonly SourceObject[], options: CheckOptions = {}): CheckRun {
  const registry = options.rules ?? allRules;
  const config = options.config;
  const rules = registry.filter((rule) => !config?.disabled.has(rule.id));
  const known = new Set(registry.map((rule) => rule.id));
  const minRank = SEVERITY_RANK[options.minSeverity ?? "info"];
  const index = buildObjectIndex(sources);
  const summary: CheckSummary = { objects: sources.length, errors: 0, warnings: 0, infos: 0 };
  const counter = { error: "errors", warning: "warnings", info: "infos" } as const;
  const nodeMemory = options.nodeMemory ?? DEFAULT_NODE_MEMORY;
  function* each(): Generator<ObjectResult> {
    summary.errors = summary.warnings = summary.infos = 0;
    for (const source of sources) {
      const identity = identityOf(source);
      const fixable: Fixable[] = [];
      const findings = findingsOf(source, identity, fixable);
      for (const finding of findings) summary[counter[finding.severity]]++;
      const facts = factsOf(source, identity, index, nodeMemory);
      const live = options.live?.get(liveKey(identity));
      if (live) facts.live = live;
      yield { facts, findings, fixable };
    }
  }
  function findingsOf(source: SourceObject, identity: Finding["object"], fixable: Fixable[]): Finding[] {
    const ignored = options.optOuts === false ? NONE : ignoredRules(source, known);
    const findings: Finding[] = [];
    for (const rule of rules) {
      if (ignored.has(rule.id)) continue;
      for (const draft of runRule(rule, source, index)) {
        const severity = config?.severities.get(rule.id) ?? draft.severity ?? rule.severity;
        if (SEVERITY_RANK[severity] < minRank) continue;
        const { line, col } = source.positionOf(draft.path ?? []);
        const finding: Finding = {
          rule: rule.id,
          severity,
          object: identity,
          file: source.file,
          line,
          col,
          message: draft.message,
          fix: draft.fix,
        };
        if (draft.autofix) {
          finding.autofix = draft.autofix;
          fixable.push({ finding, source });
        }
        findings.push(finding);
      }
    }
    // line:col order; the sort is stable, so rule order stays within a place.
    return findings.sort((a, b) => a.line - b.line || a.col - b.col);
  }
  return { rules, summary, [Symbol.iterator]: each };
}

/** A finished result as a run again, for the reports: each object with the findings made on it. */
export function rerun(result: CheckResult): CheckRun {
  const byObject = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const key = objectKey(finding.file, finding.object);
    const list = byObject.get(key);
    if (list) list.push(finding);
    else byObject.set(key, [finding]);
  }
  return {
    rules: result.rules,
    summary: result.summary,
    *[Symbol.iterator]() {
      // An object defined twice in one file has one key: its findings are given once.
      const given = new Set<string>();
      for (const facts of result.objects) {
        const key = objectKey(facts.file, facts);
        yield { facts, findings: given.has(key) ? [] : (byObject.get(key) ?? []), fixable: [] };
        given.add(key);
      }
    },
  };
}

function objectKey(file: string, o: Finding["object"]): string {
  return `${file}\0${o.apiVersion}\0${o.kind}\0${o.namespace ?? ""}\0${o.name ?? ""}`;
}

/** Whether the result should fail a build: any error-level finding. */
export function hasErrors(result: { summary: CheckSummary }): boolean {
  return result.summary.errors > 0;
}

/** Whether `source` is one of the objects `rule` declares it looks at. */
function targets(rule: Rule, source: SourceObject, index: ObjectIndex): boolean {
  if (rule.targets === "any") return true;
  if (rule.targets === "workloads") return index.workloadOf(source) !== undefined;
  return rule.targets.kinds.includes(source.object.kind);
}

function runRule(rule: Rule, source: SourceObject, index: ObjectIndex) {
  if (!targets(rule, source, index)) return [];
  try {
    return rule.check(source, index);
  } catch (cause) {
    // A rule must cope with any input; say which rule and object broke so the bug can be fixed.
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new Error(
      `rule ${rule.id} failed on ${describeObject(source.object)} (${source.file}): ${message}`,
      {
        cause,
      },
    );
  }
}

function identityOf(source: SourceObject): Finding["object"] {
  const { apiVersion, kind } = source.object;
  const metadata = record(source.object.metadata);
  const identity: Finding["object"] = { apiVersion, kind };
  const namespace = text(metadata.namespace);
  const name = text(metadata.name);
  if (namespace !== undefined) identity.namespace = namespace;
  if (name !== undefined) identity.name = name;
  return identity;
}

/** Rule ids the object opts out of; unknown ids are refused so a typo cannot silently keep a finding. */
export function ignoredRules(source: SourceObject, known: ReadonlySet<string>): ReadonlySet<string> {
  const raw = record(record(source.object.metadata).annotations)[IGNORE_ANNOTATION];
  if (raw === undefined) return NONE;
  const ids = String(raw)
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.includes("all")) return known;
  for (const id of ids) {
    if (!known.has(id)) {
      const { line, col } = source.positionOf(["metadata", "annotations", IGNORE_ANNOTATION]);
      throw new InputError(`unknown rule "${id}" in ${IGNORE_ANNOTATION}${nearMatches(id, known)}`, {
        file: source.file,
        line,
        col,
      });
    }
  }
  return new Set(ids);
}
const NONE: ReadonlySet<string> = new Set();

function factsOf(
  source: SourceObject,
  identity: Finding["object"],
  index: ObjectIndex,
  nodeMemory: number,
): ObjectFacts {
  const facts: ObjectFacts = { ...identity, file: source.file, ...source.position };
  const workload = index.workloadOf(source);
  if (!workload) return facts;
  facts.qosClass = qosClass(workload.podSpec);
  facts.podSecurity = podSecurityLevel(podSecurityOf(workload));
  const oom = podOomScoreAdj(workload, nodeMemory);
  if (oom !== undefined) facts.oomScoreAdj = oom;
  const disruptions = podDisruptions(workload);
  if (disruptions !== undefined) facts.allowedDisruptions = disruptions;
  return facts;
}

function podOomScoreAdj(workload: Workload, nodeMemory: number): number | undefined {
  let highest: number | undefined;
  for (const container of [...workload.containers, ...workload.initContainers]) {
    const name = text(container.name);
    if (name === undefined) continue;
    try {
      const adj = oomScoreAdj(workload.podSpec, name, nodeMemory);
      if (highest === undefined || adj > highest) highest = adj;
    } catch {
      // malformed resources: the schema rule reports those
    }
  }
  return highest;
}

/** The fewest disruptions any of its budgets allows, at the HPA minimum when an HPA scales it. */
function podDisruptions(workload: Workload): number | undefined {
  // A loop, not Math.min(...): any number of HPAs may name one workload.
  let replicas = workload.hpas.length > 0 ? Number.POSITIVE_INFINITY : workload.replicas;
  for (const hpa of workload.hpas)
    replicas = Math.min(replicas!, int(record(hpa.object.spec).minReplicas) ?? 1);
  if (replicas === undefined) return undefined;
  let fewest: number | undefined;
  for (const pdb of workload.pdbs) {
    const spec = record(pdb.object.spec);
    const budget = {
      minAvailable: int(spec.minAvailable) ?? text(spec.minAvailable),
      maxUnavailable: int(spec.maxUnavailable) ?? text(spec.maxUnavailable),
    };
    const allowed = allowedDisruptions(budget, replicas, pdb.object.apiVersion);
    if (allowed !== undefined && (fewest === undefined || allowed < fewest)) fewest = allowed;
  }
  return fewest;
}
