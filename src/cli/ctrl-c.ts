// Ctrl-C and SIGTERM (what CI sends on cancel) for commands that must wind down (stop load, uncordon,
// roll back, print a partial result): the first signal calls `stop` instead of main's exit-at-once
// handler; a second one quits at once (130 for Ctrl-C, 143 for TERM, as a shell reports them).
// Returns the function that puts the previous handlers back.
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

export function onCtrlC(stop: () => void, stopping = "stopping"): () => void {
  const restore: Array<() => void> = [];
  let pressed = false;
  for (const [signal, code] of Object.entries(SIGNALS)) {
    const previous = process.listeners(signal as NodeJS.Signals);
    process.removeAllListeners(signal);
    const handler = () => {
      if (pressed) {
        process.stderr.write("shipshape: interrupted\n");
        process.exit(code);
      }
      pressed = true;
      const what = signal === "SIGINT" ? "Ctrl-C again" : "a second TERM";
      process.stderr.write(`\nshipshape: ${stopping} (${what} to quit at once)\n`);
      stop();
    };
    process.on(signal, handler);
    restore.push(() => {
      process.off(signal, handler);
      for (const listener of previous) process.on(signal, listener as () => void);
    });
  }
  return () => {
    for (const undo of restore) undo();
  };
}
