// The command-line face: picks the command, runs it, turns errors into one line and an exit code.
// Every command lives in its own file and exports `run(argv)`; logic lives in the library.
import { InputError } from "../errors.ts";
import { oneOf } from "./args.ts";

export interface Command {
  summary: string;
  load: () => Promise<{ run(argv: string[]): Promise<number> }>;
}

const COMMANDS: Record<string, Command> = {
  check: {
    summary: "audit manifests for production readiness: findings, why, the fix",
    // The package runs check.ts as one script with a code cache instead (check-script.ts).
    load: () => import("./check.ts"),
  },
  deploy: {
    summary: "apply in dependency order, wait until ready, explain or roll back",
    load: () => import("./deploy.ts"),
  },
  diff: {
    summary: "the plan deploy would act on: creates, changes and prunes (server-side dry run vs live)",
    load: () => import("./diff.ts"),
  },
  apps: {
    summary: "the apps deployed here and their last release",
    load: () => import("./apps.ts"),
  },
  history: {
    summary: "an app's numbered releases",
    load: () => import("./history.ts"),
  },
  rollback: {
    summary: "deploy an earlier release of an app again",
    load: () => import("./rollback.ts"),
  },
  delete: {
    summary: "delete an app (what is provably its own; data kept unless --prune-data)",
    load: () => import("./delete.ts"),
  },
  status: {
    summary: "replicas, QoS, PDB, HPA, PVC and endpoints of a live namespace",
    load: () => import("./status.ts"),
  },
  load: {
    summary: "HTTP load at a fixed rate or max speed: latency percentiles, codes, errors",
    load: () => import("./load.ts"),
  },
  "load-worker": {
    summary: "one pod of `load --workers`: runs its share, prints JSON lines (run by that Job, not by hand)",
    load: () => import("./load-worker.ts"),
  },
  verify: {
    summary:
      "prove it under load: rollout, drain, autoscale or a pod deleted, with a zero-downtime verdict and its cause",
    load: () => import("./verify.ts"),
  },
  size: {
    summary: "choose requests == limits, replicas and the HPA target from a measured load; check they hold",
    load: () => import("./size.ts"),
  },
  synth: {
    summary: "synthesize production-grade manifests (WordPress blueprint or your config)",
    load: () => import("./synth.ts"),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    "shipshape — make a Kubernetes application production-grade, and prove it",
    "",
    "Usage: shipshape <command> [options]      (shipshape <command> --help for details)",
    "",
    "Commands:",
    ...lines,
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-V") {
    const pkg = await import("../../package.json", { with: { type: "json" } });
    process.stdout.write(`${pkg.default.version}\n`);
    return 0;
  }
  if (name.startsWith("-")) throw new InputError(`unknown option ${name}; see shipshape --help`);
  const command = COMMANDS[oneOf("command", name, Object.keys(COMMANDS))]!;
  return (await command.load()).run(rest);
}

// A reader that stops early (`| head`) closes the pipe: not an error; the command still ends with its own code.
// The handler goes on process.stdout when a command first reads it, as creating the stream loads Node's
// stream modules, which check never needs (write-out.ts).
const stdout = Object.getOwnPropertyDescriptor(process, "stdout")!;
Object.defineProperty(process, "stdout", {
  ...stdout,
  get() {
    const stream = stdout.get!.call(process) as NodeJS.WriteStream;
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    Object.defineProperty(process, "stdout", { ...stdout, get: () => stream });
    return stream;
  },
});

// Ctrl-C: exit 130 like a shell would; commands that must clean up install their own handler first.
process.once("SIGINT", () => {
  process.stderr.write("shipshape: interrupted\n");
  process.exit(130);
});

const argv = process.argv.slice(2);
// Errors inside a command name it, as its usage errors do: "shipshape load: --qps: …".
const prefix = argv[0] && Object.hasOwn(COMMANDS, argv[0]) ? `shipshape ${argv[0]}` : "shipshape";
try {
  process.exitCode = await main(argv);
} catch (error) {
  if (error instanceof InputError) {
    process.stderr.write(`${prefix}: ${error.oneLine()}\n`);
    process.exitCode = error.exitCode;
  } else {
    // A bug, not a verdict: its own exit code, so it is never mistaken for "findings" or "not ready" (1).
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${prefix}: internal error: ${message}\n`);
    if (process.env.SHIPSHAPE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write("shipshape: run again with SHIPSHAPE_DEBUG=1 for the stack trace\n");
    process.exitCode = 3;
  }
}
