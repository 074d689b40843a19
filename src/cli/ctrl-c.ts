// Ctrl-C, SIGTERM (what CI sends on cancel) and SIGHUP (a closed terminal) for commands that must wind
// down (stop load, uncordon, roll back, print a partial result): the first signal calls `stop` instead
// of main's exit-at-once handler; a second one quits at once. Exit codes as a shell reports them.
// Returns the function that puts the previous handlers back.
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** How a signal is named to a person. */
export function signalName(signal: StopSignal): string {
  return signal === "SIGINT" ? "Ctrl-C" : signal;
}

export function onCtrlC(stop: (signal: StopSignal) => void, stopping = "stopping"): () => void {
  const restore: Array<() => void> = [];
  let pressed = false;
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES) as Array<[StopSignal, number]>) {
    const previous = process.listeners(signal);
    process.removeAllListeners(signal);
    const handler = () => {
      if (pressed) {
        process.stderr.write("shipshape: interrupted\n");
        process.exit(code);
      }
      pressed = true;
      process.stderr.write(`\nshipshape: ${stopping} (${signalName(signal)} again to quit at once)\n`);
      stop(signal);
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
