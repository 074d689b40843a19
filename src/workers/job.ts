// The Job that runs a split load: N pods of the shipshape image, each `shipshape load-worker` with
// its completion index as its share. A worker that fails is not replaced (its share's times would be
// gone) and does not stop the others; the Job cleans itself up if the CLI that made it cannot.
import type { KubeObject } from "../k8s/object.ts";
import type { WorkerSpec } from "../load/worker.ts";

/** The environment variable that hands a worker its spec. */
export const WORKER_SPEC_ENV = "SHIPSHAPE_LOAD_WORKER";
/** The label every object of one split run carries (its Job's name). */
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const COMPLETION_INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
export const WORKER_CONTAINER = "worker";

export interface WorkerJobOptions {
  name: string;
  namespace: string;
  image: string;
  spec: WorkerSpec;
  /** The longest the Job may run before Kubernetes stops it (a CLI that was killed never cleans up). */
  deadlineSeconds: number;
}

/** The worker's user: an unprivileged id, so the pods pass Pod Security's restricted profile. */
const NOBODY = 65534;

export function workerJob(options: WorkerJobOptions): KubeObject {
  const { name, namespace, image, spec } = options;
  const labels = {
    "app.kubernetes.io/name": "shipshape-load",
    "app.kubernetes.io/managed-by": "shipshape",
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name, namespace, labels },
    spec: {
      completionMode: "Indexed",
      completions: spec.workers,
      parallelism: spec.workers,
      // per index, so one worker failing neither restarts it (its requests' times are gone) nor
      // makes the Job stop the others
      backoffLimitPerIndex: 0,
      activeDeadlineSeconds: options.deadlineSeconds,
      // the CLI deletes the Job at once; this is for a CLI that was killed before it could
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: "Never",
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 10,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: NOBODY,
            runAsGroup: NOBODY,
            seccompProfile: { type: "RuntimeDefault" },
          },
          // one machine's network and CPU is what the workers are there to exceed: spread them
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: "kubernetes.io/hostname",
                    labelSelector: { matchLabels: { [JOB_NAME_LABEL]: name } },
                  },
                },
              ],
            },
          },
          containers: [
            {
              name: WORKER_CONTAINER,
              image,
              imagePullPolicy: "IfNotPresent",
              args: ["load-worker"],
              env: [{ name: WORKER_SPEC_ENV, value: JSON.stringify(spec) }],
              resources: { requests: { cpu: "100m", memory: "128Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              // Node's compile cache and anything else temporary
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}
