// The library API: every CLI command is a call into what is exported here.

export { App, type Construct, type Note, type Resource, type Selectable } from "./blueprint/app.ts";
export { WORDPRESS_DEFAULTS, type WordPressProps, wordpress } from "./blueprint/blueprints/wordpress.ts";
export { Database, type DatabaseProps } from "./blueprint/database.ts";
export { GeneratedSecret, type GeneratedSecretProps } from "./blueprint/generated-secret.ts";
export { Ingress, type IngressProps } from "./blueprint/ingress.ts";
export { Namespace, type NamespaceProps } from "./blueprint/namespace.ts";
export { toJsonList, toYaml } from "./blueprint/render.ts";
export { CephFilesystemStorage, type CephFilesystemStorageProps } from "./blueprint/rook.ts";
export { SharedVolume, type SharedVolumeProps } from "./blueprint/volume.ts";
export { type AutoscaleProps, WebService, type WebServiceProps } from "./blueprint/web-service.ts";
export { type CheckConfig, findConfigFile, loadCheckConfig, parseCheckConfig } from "./check/config.ts";
export {
  type CheckOptions,
  type CheckResult,
  checkObjects,
  hasErrors,
  type ObjectFacts,
} from "./check/engine.ts";
export { allowedDisruptions, type DisruptionBudget, desiredHealthy } from "./check/facts/disruptions.ts";
export { oomScoreAdj } from "./check/facts/oom.ts";
export { type PodSpecWithResources, type QosClass, qosClass } from "./check/facts/qos.ts";
export { type FixResult, fixManifests } from "./check/fix/fix-manifests.ts";
export { type Autofix, type PatchOp, removeField, setField } from "./check/fix/patch.ts";
export { liveSource } from "./check/live.ts";
export { buildObjectIndex, type ObjectIndex, type Workload } from "./check/object-index.ts";
export { formatJson } from "./check/report/json.ts";
export { formatJunit } from "./check/report/junit.ts";
export { formatSarif } from "./check/report/sarif.ts";
export { formatText } from "./check/report/text.ts";
export { allRules, type RuleId } from "./check/rules/index.ts";
export type { Finding, FindingDraft, Rule, Severity } from "./check/types.ts";
export { ApiError, Cluster, ClusterUnavailable, type ConnectOptions } from "./cluster/client.ts";
export { type DeployOptions, type DeployResult, deploy, type NotReady, noChanges } from "./cluster/deploy.ts";
export { type Evidence, type Explanation, explain, formatExplanations } from "./cluster/diagnose.ts";
export { type LiveCheckInput, liveCheckInput, readLiveObjects } from "./cluster/live-objects.ts";
export { type Plan, type PlanOptions, plan, planSummary, type Step } from "./cluster/plan.ts";
export { type Readiness, readinessOf } from "./cluster/readiness.ts";
export { type NamespaceStatus, namespaceStatus, statusOf } from "./cluster/status.ts";
export { formatStatus } from "./cluster/status-text.ts";
export { type WaitResult, waitForReady } from "./cluster/wait.ts";
export { watchObjects } from "./cluster/watch.ts";
export { InputError, type Place } from "./errors.ts";
export {
  CLUSTER_ISSUER_ANNOTATION,
  GENERATED_SECRET_ANNOTATION,
  GENERATED_SECRETS_ANNOTATION,
  IGNORE_ANNOTATION,
} from "./k8s/annotations.ts";
export {
  generatedSecrets,
  generatePassword,
  generateSecret,
  type SecretNeed,
} from "./k8s/generated-secrets.ts";
export { type LiveFacts, liveKey, type StuckPod } from "./k8s/live-facts.ts";
export { hasSchema, type SchemaViolation, validateObject } from "./k8s/schema.ts";
export { isEmptySelector, matchesLabels, matchesSelector } from "./k8s/selector.ts";
export type { ErrorCounts, ErrorKind, FailureEvent } from "./load/failure.ts";
export { type LoadOptions, parseDuration, type ResolvedLoadOptions } from "./load/options.ts";
export { loadHtmlReport } from "./load/report/html.ts";
export { loadTextReport } from "./load/report/text.ts";
export type { LatencySummary, LoadResult, WorkerState, WorkerSummary } from "./load/result.ts";
export { type LoadProgress, type LoadRun, type RunningLoad, startLoad } from "./load/run.ts";
export type { TimelineSecond } from "./load/seconds-assembler.ts";
export type { ScheduleShare } from "./load/split.ts";
export { parseManifests } from "./manifest/parse.ts";
export {
  MAX_FILE_BYTES,
  type ManifestText,
  type ReadOptions,
  readManifests,
  readManifestTexts,
} from "./manifest/read.ts";
export type { Position, SourceObject } from "./manifest/types.ts";
export { auditObjects } from "./verify/audit.ts";
export { type Correlation, type CorrelationKind, correlate } from "./verify/correlate.ts";
export { verifyHtmlReport } from "./verify/report/html.ts";
export { verifyTextReport } from "./verify/report/text.ts";
export type { ScenarioRun, ScenarioWaits, VerifyScenario } from "./verify/scenario.ts";
export { type AutoscaleOptions, autoscaleScenario, verifyAutoscale } from "./verify/scenarios/autoscale.ts";
export { type DrainOptions, drainScenario, verifyDrain } from "./verify/scenarios/drain.ts";
export { findScenario, SCENARIOS, type ScenarioName } from "./verify/scenarios/index.ts";
export { type RolloutOptions, rolloutScenario, verifyRollout } from "./verify/scenarios/rollout.ts";
export type { LoadSettings, SessionOptions } from "./verify/session.ts";
export type { ClusterEvent, FailedRequest, LoadSecond, Timeline } from "./verify/timeline.ts";
export { type Cause, type Goal, type Incident, type Verdict, verdict } from "./verify/verdict.ts";
export { startWorkerLoad, type WorkerLoad, type WorkerLoadOptions } from "./workers/run.ts";
