// The target of bench/load.ts: a minimal keep-alive HTTP server in its own process, so it never
// shares an event loop with the client being measured. Prints its port, then serves until killed.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const body = Buffer.from("hello\n");
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain", "content-length": body.length });
  res.end(body);
});
server.keepAliveTimeout = 120_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
