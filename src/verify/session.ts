// What every scenario shares: record the cluster, run load against the URL meanwhile, wait in ways
// Ctrl-C can cut short, and at the end turn the load result and the recorded events into one Timeline.

import { setTimeout as sleep } from "node:timers/promises";
import type { Cluster } from "../cluster/client.ts";
import { explain, formatExplanations } from "../cluster/diagnose.ts";
import { gatherEvidence } from "../cluster/evidence.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import type { LoadOptions } from "../load/options.ts";
import { progressLine } from "../load/report/progress.ts";
import type { ResolveEntry } from "../load/resolve.ts";
import type { LoadResult } from "../load/result.ts";
import { type RunningLoad, startLoad } from "../load/run.ts";
import { failedCalls } from "../load/slo.ts";
import { ClusterRecorder, type RecordScope } from "./cluster-recorder.ts";
import type { TargetReach } from "./reach.ts";
import { reachOf } from "./reach-cluster.ts";
import type { ScenarioName } from "./scenarios/index.ts";
import type { FailedRequest, LoadSecond, Timeline } from "./timeline.ts";

export interface LoadSettings {
  url: string;
  qps: number;
  connections: number;
  insecure?: boolean;
  /** CA certificates (PEM) trusted instead of the system's. */
  ca?: string;
  /** curl's --resolve: the URL's host reached at another address. */
  resolve?: ResolveEntry[];
  /** Request headers (-H), e.g. the Host an ingress routes by. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface SessionOptions {
  cluster: Cluster;
  load: LoadSettings;
  /** Aborted by Ctrl-C: waits end early, the run winds down and the timeline is marked partial. */
  signal?: AbortSignal;
  /** One line per step, for a terminal ("rollout triggered", "pod x evicted"). */
  log?: (line: string) => void;
  /** Go on when the URL cannot be traced to the target's pods (the verdict then says it proves
   * nothing about the workload); refused by default. */
  assumeReach?: boolean;
  /**
   * Where the load runs: this process by default, or worker pods (`--workers`); settles once the
   * load is under way.
   */
  startLoad?: (options: LoadOptions) => Promise<RunningLoad>;
}

const startHere = async (options: LoadOptions): Promise<RunningLoad> => startLoad(options);

/** How often the progress line is logged while the load runs. */
const PROGRESS_MS = 5000;

/** The longest any scenario may keep load running; each stops it far earlier. */
const LOAD_CEILING_MS = 6 * 3600 * 1000;

/** The load engineer's result, on the verification timeline's clock (epoch ms). */
export function loadSection(result: LoadResult, startedAt: number, settings: LoadSettings): Timeline["load"] {
  const seconds: LoadSecond[] = result.timeline.map((s) => {
    return {
      t: startedAt + s.second * 1000,
      calls: s.calls,
      errors: failedCalls(s),
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
    };
  });
  const failures: FailedRequest[] = result.failures.map((f) => {
    const failure: FailedRequest = { t: startedAt + f.atMs, latencyMs: f.latencyMs };
    if (f.status !== undefined) failure.status = f.status;
    else failure.error = f.kind;
    return failure;
  });
  failures.sort((a, b) => a.t - b.t);
  return {
    targetQps: settings.qps,
    connections: settings.connections,
    seconds,
    failures,
    calls: result.calls,
    failed: failedCalls(result),
    latencyMs: result.latencyMs,
    qps: result.qps,
    ...(result.workers && { workers: result.workers }),
  };
}

export class Session {
  readonly recorder: ClusterRecorder;
  private readonly options: SessionOptions;
  private run: RunningLoad | undefined;
  private result: Promise<LoadResult> | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly scope: RecordScope;
  /** Whether the URL leads to the target's pods, traced before the load starts. */
  reach: TargetReach | undefined;

  constructor(options: SessionOptions, scope: RecordScope) {
    this.options = options;
    this.scope = scope;
    this.recorder = new ClusterRecorder(options.cluster, scope);
  }

  get cluster(): Cluster {
    return this.options.cluster;
  }

  get interrupted(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  /** Starts recording, and once every watch has its initial state and the URL is traced to the
   * target's pods (refused when it is not, unless assumeReach), the load. */
  async begin(subject = "the target"): Promise<void> {
    await this.recorder.start();
    await this.traceReach(subject);
    const { url, qps, connections } = this.options.load;
    const start = this.options.startLoad ?? startHere;
    this.run = await start({ ...this.options.load, durationMs: LOAD_CEILING_MS });
    this.result = this.run.result();
    this.recorder.phase("load-started", `${qps || "max"} qps, ${connections} connections`);
    this.log(`load started: ${qps || "max"} qps on ${connections} connections against ${url}`);
    if (this.options.log) {
      const run = this.run;
      this.progressTimer = setInterval(
        () => this.log(`load: ${progressLine(run.progress(), undefined)}`),
        PROGRESS_MS,
      );
      this.progressTimer.unref();
    }
  }

  /** A load that does not reach the target's pods measures something else: refused before it starts,
   * unless told to go on, and then said in every report. */
  private async traceReach(target: string): Promise<void> {
    const via = this.scope.reach;
    const subject = via?.what ?? target;
    const reach = await reachOf(
      this.cluster,
      this.options.load,
      via ?? { pods: [...this.recorder.pods.values()], services: this.scope.services },
    );
    if (reach.proven) {
      this.log(`the load reaches ${subject}: ${reach.how}`);
    } else if (this.options.assumeReach) {
      reach.assumed = true;
      this.log(
        `warning: the load is NOT proven to reach ${subject} (${reach.how}); the verdict will prove nothing about it`,
      );
    } else {
      throw new InputError(
        `not proven to reach ${subject}'s pods: ${reach.how}. Aim it at the workload (its Service's node port or ingress host, a pod IP), or pass --assume-reach to go on with a verdict that proves nothing about the workload`,
        { field: "--url" },
      );
    }
    this.reach = reach;
  }

  /** Sleeps, unless interrupted first; says whether the full time passed. */
  async wait(ms: number): Promise<boolean> {
    if (this.interrupted) return false;
    try {
      await sleep(ms, undefined, { signal: this.options.signal });
      return true;
    } catch {
      return false;
    }
  }

  /** Loads for `ms` before the disruption, for a baseline; a target that fails every request then
   * is the wrong URL (or already down), not a finding about the disruption. */
  async warmup(ms: number): Promise<void> {
    if (!(await this.wait(ms)) || !this.run) return;
    this.recorder.phase("warmed-up");
    const { calls, errors, badStatus } = this.run.progress();
    if (calls > 0 && errors + badStatus >= calls) {
      throw new InputError(
        `every request failed during the ${ms / 1000} s warm-up (${calls} of ${calls}), before anything was disrupted: is it the service, and is it up?`,
        { field: "--url" },
      );
    }
  }

  /** Waits for a recorded state (see ClusterRecorder.until); false on timeout or interrupt. */
  until(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
    return this.recorder.until(predicate, timeoutMs, this.options.signal);
  }

  /** Why a workload is not ready, in the cluster's own words (pod conditions, events), one line:
   * what a timed-out scenario says. Best effort — an error reading the evidence is not the story. */
  async whyNotReady(workload: KubeObject): Promise<string> {
    try {
      return formatExplanations(explain(await gatherEvidence(this.cluster, workload)))
        .filter((line) => !line.startsWith(" "))
        .join("; ");
    } catch {
      return "";
    }
  }

  /** Stops the load now (autoscale waits for scale-down without it); idempotent. */
  stopLoad(): void {
    clearInterval(this.progressTimer);
    if (this.run && !this.recorder.events.some((e) => e.kind === "phase" && e.phase === "load-stopped")) {
      this.run.stop();
      this.recorder.phase("load-stopped");
    }
  }

  /**
   * Runs a scenario: begin, `body`, then `cleanup` (uncordon…) whatever happened, then the timeline.
   * An error is rethrown only after the load is stopped and the cleanup done, so nothing is left
   * half-way that a re-run would not converge.
   */
  async conduct(
    what: { scenario: ScenarioName; subject: string; objects: KubeObject[] },
    body: () => Promise<void>,
    cleanup?: () => Promise<void>,
  ): Promise<Timeline> {
    let failure: unknown;
    try {
      await this.begin(what.subject);
      await body();
    } catch (error) {
      failure = error;
    }
    try {
      await cleanup?.();
    } catch (error) {
      failure ??= error;
    }
    const timeline = await this.end(what.scenario, what.subject, what.objects);
    if (failure) throw failure;
    return timeline;
  }

  /** What stopped the run: the abort's reason when it names one (the CLI passes the signal), else Ctrl-C. */
  #interruptedBy(): string {
    const reason = this.options.signal?.reason;
    return typeof reason === "string" ? reason : "Ctrl-C";
  }

  /** Ends the run and assembles the timeline. Safe to call after an error half-way. */
  private async end(scenario: ScenarioName, subject: string, objects: KubeObject[]): Promise<Timeline> {
    this.stopLoad();
    const result = await this.result;
    this.recorder.stop();
    if (this.interrupted) this.recorder.phase("interrupted", this.#interruptedBy());
    const startedAt = this.recorder.startedAt;
    const load = result
      ? loadSection(result, this.run!.startedAt, this.options.load)
      : {
          targetQps: this.options.load.qps,
          connections: this.options.load.connections,
          seconds: [],
          failures: [],
          calls: 0,
          failed: 0,
        };
    const timeline: Timeline = {
      scenario,
      subject,
      url: this.options.load.url,
      startedAt,
      endedAt: Date.now(),
      load,
      events: [...this.recorder.events].sort((a, b) => a.t - b.t),
      objects,
      podStops: { ...this.recorder.podStops },
    };
    if (this.reach) timeline.reach = this.reach;
    if (this.interrupted) timeline.interrupted = `interrupted by ${this.#interruptedBy()}`;
    // A load the client itself could not keep up proves nothing about the workload.
    if (result?.clientError) timeline.interrupted = result.clientError;
    return timeline;
  }
}
