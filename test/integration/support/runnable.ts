// Containers that run on whichever testbed the tests face: on KWOK nothing runs, so any image
// does; on a data plane (ConfigMap kube-public/testbed says `mode: data-plane`) they are the
// testbed's `web` server, never pulled, so an oracle test's pods really start and get Ready.
import type { Container } from "kubernetes-types/core/v1.js";
import { testbedPublished } from "./published.ts";

export async function onDataPlane(): Promise<boolean> {
  return (await testbedPublished()).mode === "data-plane";
}

export type Role = "main" | "init" | "sidecar";

/** Makes `container` runnable here. Each serving container of a pod needs its own `port` (the web
 * server's PORT); an init container exits at once. */
export async function runnable(container: Container, role: Role = "main", port = 8080): Promise<Container> {
  const info = await testbedPublished();
  if (info.mode !== "data-plane") return { ...container, image: container.image ?? "registry.invalid/app:1" };
  const image = info["images.web"];
  if (!image) throw new Error("ConfigMap kube-public/testbed has no images.web");
  const run = role === "init" ? { command: ["true"] } : { env: [{ name: "PORT", value: String(port) }] };
  return { ...container, image, imagePullPolicy: "Never", ...run };
}
