// Where the load's sockets go, as curl's --resolve decides it: a named host reached at another
// address (an ingress relayed to 127.0.0.1, a node's IP) while the Host header and TLS's SNI keep
// the name from the URL, so the server routes and certifies as it would for its users.
import { isIP } from "node:net";
import { InputError } from "../errors.ts";

/** One HOST:PORT:ADDR entry: connections to HOST on PORT go to ADDR instead. */
export interface ResolveEntry {
  host: string;
  port: number;
  address: string;
}

/** "blog.example.test:443:127.0.0.1" or "blog.example.test:8443:[::1]" → an entry. */
export function parseResolve(text: string, field = "--resolve"): ResolveEntry {
  const match = /^([^:\s[\]]+):(\d+):(?:\[([0-9A-Fa-f:.]+)\]|([^:\s[\]]+))$/.exec(text.trim());
  const address = match?.[3] ?? match?.[4];
  if (!match || !address)
    throw new InputError(`expects HOST:PORT:ADDR (as curl's --resolve), got "${text}"`, { field });
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw new InputError(`port must be 1-65535, got ${match[2]}`, { field });
  if (!isIP(address)) throw new InputError(`ADDR must be an IP address, got "${address}"`, { field });
  return { host: match[1]!.toLowerCase(), port, address };
}

/** The address and port a socket for `url` opens to: the matching entry's address, else the URL's host. */
export function connectTarget(url: URL, entries: readonly ResolveEntry[]): { host: string; port: number } {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const entry = entries.find((e) => e.host === host.toLowerCase() && e.port === port);
  return { host: entry?.address ?? host, port };
}
