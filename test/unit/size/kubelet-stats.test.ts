// Reading what the kubelet says, from answers recorded on the data plane: the summary API's
// cumulative counters for the workload's pods only, and cAdvisor's CFS counters per container.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { cfsCounters, summarySamples } from "../../../src/size/kubelet-stats.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/size/${name}`, import.meta.url), "utf8");
const summary = JSON.parse(fixture("summary.json"));
const pod = summary.pods[0];

test("summarySamples reads the named pods' cumulative CPU and working set at the kubelet's own time", () => {
  const samples = summarySamples(summary, pod.podRef.namespace, new Set([pod.podRef.name]));
  assert.deepEqual(samples, [
    {
      atMs: Date.parse(pod.containers[0].cpu.time),
      pod: pod.podRef.name,
      container: "web",
      cpuCoreNanoseconds: pod.containers[0].cpu.usageCoreNanoSeconds,
      memoryAtMs: Date.parse(pod.containers[0].memory.time),
      workingSetBytes: pod.containers[0].memory.workingSetBytes,
    },
  ]);
});

test("summarySamples skips other namespaces, other pods, and containers with no stats yet", () => {
  assert.deepEqual(summarySamples(summary, "elsewhere", new Set([pod.podRef.name])), []);
  assert.deepEqual(summarySamples(summary, pod.podRef.namespace, new Set(["another-pod"])), []);
  const starting = { pods: [{ podRef: pod.podRef, containers: [{ name: "web" }] }] };
  assert.deepEqual(summarySamples(starting, pod.podRef.namespace, new Set([pod.podRef.name])), []);
  assert.deepEqual(summarySamples(null, "x", new Set()), []);
});

test("cfsCounters gives each container's periods and throttled periods in the namespace, not the pod cgroup's", () => {
  const counters = cfsCounters(fixture("cadvisor-cfs.txt"), "probe");
  assert.deepEqual([...counters], [["burner/web", { periods: 126, throttledPeriods: 86 }]]);
  assert.deepEqual(
    [...cfsCounters(fixture("cadvisor-cfs.txt"), "other")],
    [["burner/web", { periods: 900, throttledPeriods: 0 }]],
  );
});
