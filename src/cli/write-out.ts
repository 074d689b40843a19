// Standard output written through its descriptor, for a command whose start-up counts (check): creating
// process.stdout loads Node's stream modules (~20 of them, 2–3 ms of a 10-object run) only to write a
// report that a synchronous write delivers as well.
//
// What the stream would have done still happens: a reader that stops early (`| head`) ends the output,
// not the command; a descriptor a parent left non-blocking (EAGAIN) gets the rest through the stream,
// which waits for the reader, and so does every later write, in order.
const { fstatSync, writeSync } = process.getBuiltinModule("node:fs");

const STDOUT = 1;
let through: "descriptor" | "stream" | "closed" = "descriptor";

/** Writes `text` to standard output, synchronously while the descriptor takes it. */
export function writeOut(text: string): void {
  if (through === "closed" || text === "") return;
  if (through === "stream") {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(STDOUT, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        through = "closed";
        return;
      }
      if (code !== "EAGAIN") throw error;
      through = "stream";
      process.stdout.write(bytes.subarray(offset));
      return;
    }
  }
}

/** Whether standard output is a terminal, without creating process.stdout unless it may be one. */
export function stdoutIsTerminal(): boolean {
  try {
    // Only a character device can be a terminal (so can /dev/null, which the stream then tells apart).
    if (!fstatSync(STDOUT).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return Boolean(process.stdout.isTTY);
}
