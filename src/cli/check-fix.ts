// `shipshape check --fix`: apply the fixes findings carry, then report what is left. Files are
// rewritten in place; stdin's fixed YAML goes to stdout (the report then goes to stderr); with
// --dry-run nothing is written and the unified diff goes to stdout.
import { writeFileSync } from "node:fs";
import type { CheckOptions } from "../check/engine.ts";
import { type FixResult, fixManifests } from "../check/fix/fix-manifests.ts";
import { InputError } from "../errors.ts";
import { readManifestTexts } from "../manifest/read.ts";

export interface FixOutput {
  dryRun: boolean;
  /** Writes the report of what is left; `toStderr` when stdout carries YAML or a diff. */
  report(result: FixResult["after"], toStderr: boolean): void;
}

export async function runFix(paths: string[], options: CheckOptions, output: FixOutput): Promise<FixResult> {
  const texts = await readManifestTexts(paths);
  const result = fixManifests(texts, options);
  if (result.before.objects.length === 0)
    throw new InputError("no Kubernetes objects in the input", { file: paths.join(" ") });
  const stdin = result.texts.find((t) => t.file === "-");
  if (output.dryRun) process.stdout.write(result.diff);
  else {
    for (const file of result.changed) {
      if (file === "-") continue;
      writeFile(file, result.texts.find((t) => t.file === file)!.text);
    }
    if (stdin) process.stdout.write(stdin.text);
  }
  for (const { finding, reason } of result.refused)
    process.stderr.write(`${place(finding)}: not fixed: ${finding.rule}: ${reason}\n`);
  process.stderr.write(`${summary(result, output.dryRun)}\n`);
  output.report(result.after, output.dryRun || stdin !== undefined);
  return result;
}

function writeFile(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw new InputError(`cannot write the fixed file (${(error as NodeJS.ErrnoException).code})`, { file });
  }
}

function place(f: { file: string; line: number; col: number }): string {
  return `${f.file === "-" ? "(stdin)" : f.file}:${f.line}:${f.col}`;
}

function summary(result: FixResult, dryRun: boolean): string {
  const files = result.changed.length;
  const fixed = result.fixed.length;
  const left = result.after.findings.length;
  const verb = dryRun ? "would fix" : "fixed";
  const more = result.alsoCleared.length;
  const also = more > 0 ? ` (clearing ${more} more finding${more === 1 ? "" : "s"} with them)` : "";
  return `shipshape: ${verb} ${fixed} finding${fixed === 1 ? "" : "s"}${also} in ${files} file${files === 1 ? "" : "s"}; ${left} left${dryRun ? " after the fixes" : ""}`;
}
