// How load and verify reach a named host that DNS does not give them (--resolve, as curl) and
// trust a certificate no system store holds (--cacert, as curl): both commands take the same two
// options with the same help.
import { readFile } from "node:fs/promises";
import { InputError } from "../errors.ts";
import { parseResolve, type ResolveEntry } from "../load/resolve.ts";

export const REACH_OPTIONS = {
  resolve: { type: "string", multiple: true },
  cacert: { type: "string" },
} as const;

export const REACH_HELP = `      --resolve H:P:ADDR connect to ADDR for host H on port P (as curl; repeatable): the Host
                         header and TLS's SNI keep the URL's name, e.g. an ingress relayed to 127.0.0.1
      --cacert FILE      trust the CA certificates (PEM) in FILE instead of the system's`;

export interface Reach {
  resolve: ResolveEntry[];
  ca?: string;
}

/** The parsed --resolve entries and the --cacert file's PEM (read now, so a bad path fails before any load). */
export async function reachOptions(values: { resolve?: string[]; cacert?: string }): Promise<Reach> {
  const resolve = (values.resolve ?? []).map((text) => parseResolve(text));
  const file = values.cacert;
  if (file === undefined) return { resolve };
  const ca = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read: ${error.code ?? error.message}`, { file });
  });
  if (!ca.includes("-----BEGIN CERTIFICATE-----"))
    throw new InputError("holds no PEM certificate (-----BEGIN CERTIFICATE-----)", { file });
  return { resolve, ca };
}
