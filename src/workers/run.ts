// `load --workers N`: the run split over a Job of N pods. It creates the Job with a common start a
// little ahead (the pods' time to start), reads every worker's log through the API server as it
// goes, merges what they stream into one LoadResult, and deletes the Job (and so its pods) at the
// end, after a stop or a failure alike. A worker that dies or never starts is named in the result.
import { randomBytes } from "node:crypto";
import type { Cluster } from "../cluster/client.ts";
import { watchObjects } from "../cluster/watch.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { SplitRunMerge } from "../load/merge.ts";
import { type LoadOptions, type ResolvedLoadOptions, resolveLoadOptions } from "../load/options.ts";
import type { LoadResult, WorkerSummary } from "../load/result.ts";
import type { LoadProgress, RunningLoad } from "../load/run.ts";
import { LATE_START_MS, parseWorkerLine, type WorkerLine, type WorkerSpec } from "../load/worker.ts";
import { COMPLETION_INDEX_LABEL, JOB_NAME_LABEL, WORKER_CONTAINER, workerJob } from "./job.ts";
import { hasStarted, hasTerminated, podStory } from "./pod-state.ts";

export interface WorkerLoadOptions {
  cluster: Cluster;
  namespace: string;
  /** The shipshape image, as the cluster pulls it. */
  image: string;
  workers: number;
  /** The pods' time to start: the load starts this long after the Job is created. */
  startWithinMs: number;
  /** Progress lines ("2 of 4 workers ready; …"). */
  log?: (line: string) => void;
}

export interface WorkerLoad extends RunningLoad {
  /** The Job's name. */
  readonly job: string;
  readonly options: ResolvedLoadOptions;
  /** Settles at the common start (a worker not up by then is reported, not waited for). */
  readonly started: Promise<void>;
}

/** A worker not up this long after the common start never will be: its share is reported unsent. */
const NEVER_STARTED_MS = LATE_START_MS + 5000;
/** How long the Job may outlive its run before Kubernetes ends it (a CLI killed before it cleaned up). */
const DEADLINE_MARGIN_MS = 120_000;
/** The longest a run without a duration may keep its Job. */
const UNBOUNDED_DEADLINE_MS = 24 * 3600 * 1000;
/** How long the deletion of the Job and its pods is waited for. */
const CLEANUP_MS = 60_000;
const REOPEN_MS = 1000;

/** One worker's pod as the CLI follows it. */
interface Follow {
  pod: KubeObject;
  index: number;
  streaming: boolean;
  /** Its log was read after its container had terminated: nothing more will come. */
  readToEnd: boolean;
  /** The pod is gone (deleted) or its log is read to the end. */
  over: boolean;
  abort: AbortController;
}

/** Splits `input` over a Job of worker pods; settles once the Job exists. */
export async function startWorkerLoad(input: LoadOptions, o: WorkerLoadOptions): Promise<WorkerLoad> {
  const options = resolveLoadOptions(input);
  if (!Number.isInteger(o.workers) || o.workers < 1)
    throw new InputError(`must be a whole number >= 1, got ${o.workers}`, { field: "--workers" });
  const { cluster, namespace, workers } = o;
  const log = o.log ?? (() => {});
  const name = `shipshape-load-${randomBytes(3).toString("hex")}`;
  const startAt = Date.now() + o.startWithinMs;
  const { body, share: _share, startAt: _startAt, ...load } = input;
  const spec: WorkerSpec = {
    load: { ...load, ...(body === undefined ? {} : { bodyBase64: Buffer.from(body).toString("base64") }) },
    workers,
    startAt,
  };
  const runMs = options.durationMs ?? UNBOUNDED_DEADLINE_MS;
  const job = workerJob({
    name,
    namespace,
    image: o.image,
    spec,
    deadlineSeconds: Math.ceil((o.startWithinMs + runMs + DEADLINE_MARGIN_MS) / 1000),
  });
  const created = await cluster.createIfAbsent(job);
  if (!created) throw new InputError(`Job ${namespace}/${name} exists already`, { field: "--workers" });
  log(
    `workers: Job ${namespace}/${name} created: ${workers} pod${workers === 1 ? "" : "s"} of ${o.image}; the load starts in ${Math.round(o.startWithinMs / 1000)} s`,
  );

  const merge = new SplitRunMerge(
    {
      url: options.url.href,
      method: options.method,
      model: options.qps > 0 ? "open" : "closed",
      targetQps: options.qps,
      connections: options.connections * workers,
      pipelining: options.pipelining,
      startedAt: startAt,
    },
    options.maxFailureEvents,
  );
  const follows = new Map<string, Follow>();
  let stoppedByUs = false;
  /** Workers whose end came before the run was stopped: they stopped on their own (pod deleted, node drained). */
  const endedBeforeStop = new Set<string>();
  const take = (podName: string, line: WorkerLine) => {
    merge.add(podName, line);
    if (line.shipshapeWorker === "end" && !stoppedByUs) endedBeforeStop.add(podName);
  };
  let startPassed = false;
  let lastStory = "";
  let finish: () => void = () => {};
  const allOver = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const logPath = (pod: string) =>
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`;

  /** Reads a pod's log (followed while it runs). Lines read twice change nothing: the merge keys them. */
  const follow = (f: Follow) => {
    const podName = f.pod.metadata.name!;
    f.streaming = true;
    const toEnd = hasTerminated(f.pod);
    let rest = "";
    const decoder = new TextDecoder();
    cluster
      .stream(
        logPath(podName),
        { container: WORKER_CONTAINER, follow: true },
        (chunk) => {
          const lines = (rest + decoder.decode(chunk, { stream: true })).split("\n");
          rest = lines.pop() ?? "";
          for (const text of lines) {
            const line = parseWorkerLine(text);
            if (line) take(podName, line);
          }
          report();
        },
        f.abort.signal,
      )
      .catch(() => {})
      .finally(() => {
        const line = parseWorkerLine(rest);
        if (line) take(podName, line);
        f.streaming = false;
        if (toEnd) f.readToEnd = true;
        settle(f);
      });
  };

  /** Whether a worker has nothing more to say; reopens a log stream that ended too soon. */
  const settle = (f: Follow) => {
    const podName = f.pod.metadata.name!;
    const said = merge.hasEnded(podName) || merge.failureOf(podName) !== undefined;
    if (said || f.readToEnd || f.abort.signal.aborted) f.over = true;
    if (!f.over && !f.streaming && hasStarted(f.pod) && !f.abort.signal.aborted)
      setTimeout(() => !f.over && !f.streaming && follow(f), REOPEN_MS).unref();
    checkDone();
  };

  /** Every pod has said all it will, and every index has had a pod (or never will). */
  const checkDone = () => {
    const late = Date.now() >= startAt + NEVER_STARTED_MS;
    // a pod not ready by then never runs its share (a worker up that late refuses to start)
    const podsDone = [...follows.values()].every(
      (f) => f.over || ((late || stoppedByUs) && !merge.isReady(f.pod.metadata.name!)),
    );
    const indexes = new Set([...follows.values()].map((f) => f.index));
    if (podsDone && (indexes.size >= workers || late || stoppedByUs)) finish();
  };

  /** The progress line while the Job starts: how many are ready, and why the others are not. */
  const report = () => {
    if (startPassed) return;
    const ready = [...follows.keys()].filter((pod) => merge.isReady(pod)).length;
    const waiting = [...follows.values()]
      .filter((f) => !merge.isReady(f.pod.metadata.name!))
      .map((f) => `${f.pod.metadata.name} ${podStory(f.pod)}`);
    const story = `workers: ${ready} of ${workers} ready${waiting.length ? `; ${waiting.join("; ")}` : ""}`;
    if (story !== lastStory) log(story);
    lastStory = story;
  };

  const pods = watchObjects(
    cluster,
    { apiVersion: "v1", kind: "Pod", namespace, labelSelector: `${JOB_NAME_LABEL}=${name}` },
    (objects) => {
      const present = new Set<string>();
      for (const pod of objects) {
        const podName = pod.metadata.name!;
        present.add(podName);
        let f = follows.get(podName);
        if (!f) {
          const index = Number(pod.metadata.labels?.[COMPLETION_INDEX_LABEL] ?? -1);
          f = { pod, index, streaming: false, readToEnd: false, over: false, abort: new AbortController() };
          follows.set(podName, f);
        }
        f.pod = pod;
        if (!f.streaming && !f.over && hasStarted(pod)) follow(f);
      }
      // a pod that is gone says nothing more
      for (const [podName, f] of follows) {
        if (present.has(podName) || f.over) continue;
        f.over = !f.streaming;
        if (f.streaming) f.abort.abort();
      }
      report();
      checkDone();
    },
  );

  // At the common start: say who is up. A while after it: whoever is not up never will be.
  const startTimer = setTimeout(
    () => {
      const ready = [...follows.keys()].filter((pod) => merge.isReady(pod)).length;
      report();
      startPassed = true;
      log(`workers: load started with ${ready} of ${workers} workers ready`);
    },
    Math.max(0, startAt - Date.now()),
  );
  const neverTimer = setTimeout(checkDone, Math.max(0, startAt + NEVER_STARTED_MS - Date.now()));

  const deleteJob = async () => {
    try {
      await cluster.delete(created, "Foreground");
    } catch {
      // gone already, or the cluster is unreachable: the Job's own deadline and TTL end it
    }
  };

  const started = new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  /** What became of every worker pod (a replaced one too), and of an index that never had one. */
  const summarize = (): Omit<WorkerSummary, "calls">[] => {
    const order = (f: Follow) =>
      `${String(f.index).padStart(6, "0")} ${f.pod.metadata.creationTimestamp ?? ""}`;
    const seen = [...follows.values()].sort((a, b) => order(a).localeCompare(order(b)));
    const summaries = seen.map((f) => summaryOf(f.pod.metadata.name!, f.index, f.pod));
    for (let index = 0; index < workers; index++) {
      if (seen.some((f) => f.index === index)) continue;
      const never = stoppedByUs ? "stopped" : "never-started";
      summaries.push({ name: `${name} index ${index}`, index, state: never, detail: "no pod was created" });
    }
    return summaries;
  };

  const summaryOf = (podName: string, index: number, pod: KubeObject): Omit<WorkerSummary, "calls"> => {
    const is = (state: WorkerSummary["state"], detail?: string) => ({
      name: podName,
      index,
      state,
      ...(detail === undefined ? {} : { detail }),
    });
    const said = merge.failureOf(podName);
    if (said !== undefined) return is(merge.isReady(podName) ? "died" : "never-started", said);
    const tally = merge.tallyOf(podName);
    if (tally && !tally.stopped) return is("ran");
    if (tally || (stoppedByUs && !merge.isReady(podName))) {
      if (stoppedByUs && !endedBeforeStop.has(podName)) return is("stopped");
      return is(
        "died",
        "stopped before its share was done (SIGTERM: its pod was deleted or its node drained)",
      );
    }
    if (!merge.isReady(podName)) {
      // its container ran, yet it never said it was ready: not the shipshape image, or not its worker
      const story = hasStarted(pod)
        ? `${podStory(pod)}, but it never said it was ready (is --image the shipshape image?)`
        : podStory(pod);
      return is("never-started", story);
    }
    const how = hasTerminated(pod) ? podStory(pod) : "its pod was deleted";
    return is("died", `${how}; the seconds it streamed before are counted`);
  };

  const result = (async (): Promise<LoadResult> => {
    await allOver;
    clearTimeout(startTimer);
    clearTimeout(neverTimer);
    const summaries = summarize();
    for (const f of follows.values()) f.abort.abort();
    await deleteJob();
    await untilGone(cluster, namespace, name);
    pods.stop();
    return merge.result(summaries);
  })();

  return {
    job: name,
    options,
    startedAt: startAt,
    progress: (): LoadProgress => merge.progress(Date.now() - startAt),
    stop() {
      if (stoppedByUs) return;
      stoppedByUs = true;
      // the pods get SIGTERM: each worker stops, sends its end, and exits
      void deleteJob();
      checkDone();
    },
    result: () => result,
    started,
  };
}

/** Waits (bounded) until the Job and its pods are gone. */
async function untilGone(cluster: Cluster, namespace: string, job: string): Promise<void> {
  const gone = (target: Parameters<typeof watchObjects>[1]) =>
    new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const handle = watchObjects(cluster, target, (objects) => {
        if (objects.length === 0) done();
      });
      const done = () => {
        clearTimeout(timer);
        handle.stop();
        resolve();
      };
      timer = setTimeout(done, CLEANUP_MS);
    });
  await gone({ apiVersion: "batch/v1", kind: "Job", namespace, fieldSelector: `metadata.name=${job}` });
  await gone({ apiVersion: "v1", kind: "Pod", namespace, labelSelector: `${JOB_NAME_LABEL}=${job}` });
}
