// Ctrl-C for commands that must wind down (stop load, uncordon, print a partial result): the first
// press calls `stop` instead of main's exit-at-once handler; a second press quits at once (130).
// Returns the function that puts main's handler back.
export function onCtrlC(stop: () => void, stopping = "stopping"): () => void {
  const previous = process.listeners("SIGINT");
  process.removeAllListeners("SIGINT");
  let pressed = false;
  const handler = () => {
    if (pressed) {
      process.stderr.write("shipshape: interrupted\n");
      process.exit(130);
    }
    pressed = true;
    process.stderr.write(`\nshipshape: ${stopping} (Ctrl-C again to quit at once)\n`);
    stop();
  };
  process.on("SIGINT", handler);
  return () => {
    process.off("SIGINT", handler);
    for (const listener of previous) process.on("SIGINT", listener as () => void);
  };
}
