// What a testbed publishes for tests (ConfigMap kube-public/testbed): its `mode` (kwok or
// data-plane), storage classes, and on a data plane its images and ingress. Read once per file.
import { CoreV1Api } from "@kubernetes/client-node";
import { kubeConfig } from "./cluster.ts";

let published: Promise<Record<string, string>> | undefined;

export function testbedPublished(): Promise<Record<string, string>> {
  published ??= kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: "testbed", namespace: "kube-public" })
    .then((cm) => cm.data ?? {});
  return published;
}
