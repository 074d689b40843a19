// What deploy shows while it waits: on a terminal, one live line per object (what it waits for,
// elapsed time), redrawn in place; otherwise (CI logs, pipes) a plain line each time an object's
// state changes, so logs stay short and greppable.
import type { ObjectProgress } from "./wait.ts";

export interface ProgressView {
  update(objects: readonly ObjectProgress[]): void;
  /** Stop redrawing and leave the final lines on screen. */
  close(): void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** One object's line, e.g. "… Deployment blog/wordpress: waiting for 1 of 3 new replicas updated (4.2s)". */
export function progressLine(p: ObjectProgress, now: number): string {
  const r = p.readiness;
  if (r.state === "ready") return `✓ ${p.name}: ${r.detail} (${seconds((p.readyAt ?? now) - p.startedAt)})`;
  if (r.state === "failed") return `✗ ${p.name}: ${r.detail} (${seconds(now - p.startedAt)})`;
  return `… ${p.name}: waiting for ${r.detail} (${seconds(now - p.startedAt)})`;
}

export function liveView(out: NodeJS.WritableStream & { columns?: number }): ProgressView {
  let latest: readonly ObjectProgress[] = [];
  let drawn = 0;
  let closed = false;
  const draw = () => {
    const width = (out.columns ?? 100) - 1;
    const lines = latest.map((p) => progressLine(p, Date.now()).slice(0, width));
    // Up to the first line we drew, then rewrite every line in place.
    let text = drawn ? `\x1b[${drawn}A` : "";
    for (const line of lines) text += `\x1b[2K${line}\n`;
    out.write(text);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    update(objects) {
      latest = objects;
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      if (latest.length) draw();
    },
  };
}

export function plainView(out: NodeJS.WritableStream): ProgressView {
  const last = new Map<string, string>();
  return {
    update(objects) {
      for (const p of objects) {
        if (!p.observed) continue;
        const key = p.readiness.state;
        if (last.get(p.name) === key) continue;
        last.set(p.name, key);
        out.write(`${progressLine(p, Date.now())}\n`);
      }
    },
    close() {},
  };
}
