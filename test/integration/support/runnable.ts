// Containers that run on whichever testbed the tests face: on KWOK nothing runs, so any image
// does; on a data plane (ConfigMap kube-public/testbed says `mode: data-plane`) they are the
// testbed's `web` server, never pulled, so an oracle test's pods really start and get Ready.
import { CoreV1Api } from "@kubernetes/client-node";
import type { Container } from "kubernetes-types/core/v1.js";
import { kubeConfig } from "./cluster.ts";

let published: Promise<Record<string, string>> | undefined;

function testbedInfo(): Promise<Record<string, string>> {
  published ??= kubeConfig()
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ name: "testbed", namespace: "kube-public" })
    .then((cm) => cm.data ?? {});
  return published;
}

export async function onDataPlane(): Promise<boolean> {
  return (await testbedInfo()).mode === "data-plane";
}

export type Role = "main" | "init" | "sidecar";

/** Makes `container` runnable here. Each serving container of a pod needs its own `port` (the web
 * server's PORT); an init container exits at once. */
export async function runnable(container: Container, role: Role = "main", port = 8080): Promise<Container> {
  const info = await testbedInfo();
  if (info.mode !== "data-plane") return { ...container, image: container.image ?? "registry.invalid/app:1" };
  const image = info["images.web"];
  if (!image) throw new Error("ConfigMap kube-public/testbed has no images.web");
  const run = role === "init" ? { command: ["true"] } : { env: [{ name: "PORT", value: String(port) }] };
  return { ...container, image, imagePullPolicy: "Never", ...run };
}
