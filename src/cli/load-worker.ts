// `shipshape load-worker`: one pod of the Job `load --workers N` creates (not meant to be run by hand).
// Its spec comes in the environment, its share from the Job's completion index; it prints JSON lines
// that the CLI reads back from its log. SIGTERM (the Job deleted: Ctrl-C, or the run's end) stops its
// load, and it still prints its end before it exits.
import { InputError } from "../errors.ts";
import { runWorker, type WorkerSpec } from "../load/worker.ts";

const HELP = `Usage: shipshape load-worker

One worker of \`shipshape load URL --workers N\`, run inside the pods of the Job that command creates:
it reads its spec from $SHIPSHAPE_LOAD_WORKER and its share from $JOB_COMPLETION_INDEX, runs its share
of the load from the common start, and prints one JSON line per second and one at the end.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const text = process.env.SHIPSHAPE_LOAD_WORKER;
  if (!text)
    throw new InputError("no spec in $SHIPSHAPE_LOAD_WORKER: this runs inside a pod of load --workers");
  let spec: WorkerSpec;
  try {
    spec = JSON.parse(text) as WorkerSpec;
  } catch {
    throw new InputError("$SHIPSHAPE_LOAD_WORKER is not JSON");
  }
  const index = Number(process.env.JOB_COMPLETION_INDEX ?? "0");
  const worker = runWorker(spec, index, (line) => process.stdout.write(`${line}\n`));
  process.on("SIGTERM", () => worker.run?.stop());
  return (await worker.done) ? 0 : 1;
}
