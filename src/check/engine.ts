// Runs every rule over every object against one shared index, applies the opt-outs (annotation and
// config), places each finding at file:line:col, and computes the facts reported per workload.

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

export interface CheckResult {
  findings: Finding[];
  objects: ObjectFacts[];
  summary: { objects: number; errors: number; warnings: number; infos: number };
  /** The rules that ran (after config), for reports that describe them. */
  rules: readonly Rule[];
  /** The reported findings that carry an autofix, with their objects. */
  fixable: Fixable[];
}

export function checkObjects(sources: readonly SourceObject[], options: CheckOptions = {}): CheckResult {
  const registry = options.rules ?? allRules;
  const config = options.config;
  const rules = registry.filter((rule) => !config?.disabled.has(rule.id));
  const known = new Set(registry.map((rule) => rule.id));
  const minRank = SEVERITY_RANK[options.minSeverity ?? "info"];
  const index = buildObjectIndex(sources);
  const findings: Finding[] = [];
  const objects: ObjectFacts[] = [];
  const fixable: Fixable[] = [];

  for (const source of sources) {
    const ignored = options.optOuts === false ? NONE : ignoredRules(source, known);
    const identity = identityOf(source);
    const first = findings.length;
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
    sortByPosition(findings, first);
    const facts = factsOf(source, identity, index, options.nodeMemory ?? DEFAULT_NODE_MEMORY);
    const live = options.live?.get(liveKey(identity));
    if (live) facts.live = live;
    objects.push(facts);
  }

  const count = (severity: Severity) => findings.filter((f) => f.severity === severity).length;
  return {
    findings,
    objects,
    summary: {
      objects: sources.length,
      errors: count("error"),
      warnings: count("warning"),
      infos: count("info"),
    },
    rules,
    fixable,
  };
}

/** Orders one object's findings (those from `first` on) by line:col, keeping rule order within a place. */
function sortByPosition(findings: Finding[], first: number): void {
  if (findings.length - first < 2) return;
  const mine = findings.splice(first).sort((a, b) => a.line - b.line || a.col - b.col);
  findings.push(...mine);
}

/** Whether the result should fail a build: any error-level finding. */
export function hasErrors(result: CheckResult): boolean {
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
function ignoredRules(source: SourceObject, known: ReadonlySet<string>): ReadonlySet<string> {
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
  const hpaMin = workload.hpas.map((hpa) => int(record(hpa.object.spec).minReplicas) ?? 1);
  const replicas = hpaMin.length > 0 ? Math.min(...hpaMin) : workload.replicas;
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
