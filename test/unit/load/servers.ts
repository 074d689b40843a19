// Local HTTP servers for the load tests: real sockets on 127.0.0.1, behaviour chosen per test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Runs `body` against a server with `handler`, and closes the server whatever happens. */
export async function withServer<T>(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  body: (url: string) => Promise<T>,
): Promise<T> {
  const server = await serve(handler);
  try {
    return await body(server.url);
  } finally {
    await server.close();
  }
}

/** A handler answering 502 to every 10th request it receives and 200 to the others. */
export function every10th502(): (req: IncomingMessage, res: ServerResponse) => void {
  let n = 0;
  return (_req, res) => {
    n += 1;
    res.statusCode = n % 10 === 0 ? 502 : 200;
    res.end("body");
  };
}

/** A port on which nothing listens (bound once, then released). */
export async function closedPort(): Promise<number> {
  const s = await serve(() => {});
  const port = Number(new URL(s.url).port);
  await s.close();
  return port;
}

/**
 * Calls `then` once at least `ms` have passed on the high-resolution clock. (A bare setTimeout
 * may fire up to a millisecond early: Node's timer clock is truncated to whole milliseconds.)
 */
export function after(ms: number, then: () => void): void {
  const until = performance.now() + ms;
  const check = () => {
    const left = until - performance.now();
    if (left <= 0) then();
    else if (left > 1.5) setTimeout(check, left - 1);
    else setImmediate(check);
  };
  check();
}
