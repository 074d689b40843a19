// A command run inside a running container through the apiserver's exec (the kubelet runs it in the
// container's namespaces, under its securityContext): what the process there really may do.
import { PassThrough } from "node:stream";
import { Exec, type V1Status } from "@kubernetes/client-node";
import { kubeConfig } from "./dataplane.ts";

export interface ExecResult {
  /** 0 on success, the command's exit code otherwise (from the status the kubelet sends). */
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` in `container` of pod `namespace/pod` and waits for it to end. */
export async function execIn(
  namespace: string,
  pod: string,
  container: string,
  command: string[],
): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(kubeConfig())
      .exec(namespace, pod, container, command, stdout, stderr, null, false, resolve)
      .then((socket) => socket.on("error", reject), reject);
  });
  const exitCode = status.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
  return {
    code: status.status === "Success" ? 0 : Number(exitCode ?? 1),
    stdout: Buffer.concat(out).toString(),
    stderr: Buffer.concat(err).toString(),
  };
}
