// Asking before a destructive step: on a terminal, a y/N question; elsewhere (CI, a pipe) the user must
// have said --yes up front, since nobody is there to answer.
import { createInterface } from "node:readline/promises";

/** True when the user agreed (or `yes` was given); false when declined. `why` says what is at stake. */
export async function confirmed(
  question: string,
  yes: boolean | undefined,
): Promise<"yes" | "no" | "needs --yes"> {
  if (yes) return "yes";
  if (!process.stdin.isTTY || !process.stderr.isTTY) return "needs --yes";
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim()) ? "yes" : "no";
  } finally {
    rl.close();
  }
}
