// deploy's --verify URL and the load options beside it: parsed (and refused) before the cluster is
// reached, and the gate's judgement printed as verify prints its verdict.
import { InputError } from "../errors.ts";
import { parseDuration } from "../load/options.ts";
import { type SloThreshold, sloLine } from "../load/slo.ts";
import { DEFAULT_DEPLOY_SLO, DEFAULT_DEPLOY_SLO_TEXT, GATE_WAITS } from "../verify/gate-defaults.ts";
import type { GateJudgement } from "../verify/gated-deploy.ts";
import { verifyTextReport } from "../verify/report/text.ts";
import type { LoadSettings } from "../verify/session.ts";
import { parseDeploymentRef } from "../verify/target.ts";
import { headerOptions, numberOption } from "./args.ts";
import { REACH_HELP, REACH_OPTIONS, reachOptions } from "./reach-options.ts";
import { SLO_OPTION, SLO_SYNTAX, sloOption } from "./slo-option.ts";

export const VERIFY_OPTIONS = {
  verify: { type: "string" },
  "verify-target": { type: "string" },
  ...SLO_OPTION,
  qps: { type: "string", short: "q" },
  connections: { type: "string", short: "c" },
  header: { type: "string", short: "H", multiple: true },
  insecure: { type: "boolean", short: "k" },
  ...REACH_OPTIONS,
  "assume-reach": { type: "boolean" },
  warmup: { type: "string" },
  settle: { type: "string" },
} as const;

const s = (ms: number) => `${ms / 1000}s`;

/** A section of its own in deploy's help, laid out as verify's options are (it shares their lines). */
export const VERIFY_HELP = `Rollout under load (--verify):
      --verify URL       apply while load runs against URL (the app as users reach it), and keep the
                         release only if the SLO holds through the rollout and --settle after it; else
                         roll it back (as --atomic) and exit 1 with the verdict. Implies --atomic; the
                         Deployment must be running already: it is what a refused release goes back to
      --slo LIST         what the release must hold (default '${DEFAULT_DEPLOY_SLO_TEXT}'), judged on the whole
                         load (warm-up, rollout, settle), comma-separated:
${SLO_SYNTAX}
      --verify-target deploy/NAME
                         the Deployment whose pods serve URL (default: the input's only Deployment)
  -q, --qps N            target requests per second (default 100)
  -c, --connections N    parallel connections (default 8)
  -H, --header "K: V"    request header (repeatable), e.g. the Host an ingress routes by
  -k, --insecure         accept any TLS certificate
${REACH_HELP}
      --assume-reach     go on when URL cannot be traced to the Deployment's pods (verify's check); the
                         SLO then judges whatever answers URL, not the release
      --warmup D         load before anything is applied (default ${s(GATE_WAITS.warmupMs)}): a URL that fails every
                         request of it is refused, nothing applied
      --settle D         load after the rollout completes, before the verdict (default ${s(GATE_WAITS.settleMs)})`;

interface VerifyFlags {
  verify?: string;
  "verify-target"?: string;
  slo?: string;
  qps?: string;
  connections?: string;
  header?: string[];
  insecure?: boolean;
  resolve?: string[];
  cacert?: string;
  "assume-reach"?: boolean;
  warmup?: string;
  settle?: string;
  "dry-run"?: boolean;
}

export interface VerifyRequest {
  load: LoadSettings;
  slo: SloThreshold[];
  deployment?: string;
  assumeReach: boolean;
  waits: { warmupMs?: number; settleMs?: number };
}

const LOAD_FLAGS = [
  "verify-target",
  "slo",
  "qps",
  "connections",
  "header",
  "insecure",
  "resolve",
  "cacert",
  "assume-reach",
  "warmup",
  "settle",
] as const;

/** --verify's settings, or undefined without it (then its load options are refused: they would do nothing). */
export async function verifyRequest(values: VerifyFlags): Promise<VerifyRequest | undefined> {
  if (values.verify === undefined) {
    const stray = LOAD_FLAGS.find((flag) => values[flag] !== undefined);
    if (stray) throw new InputError(`--${stray} sets how --verify loads the app; give --verify URL too`);
    return undefined;
  }
  if (values["dry-run"]) throw new InputError("--dry-run applies nothing, so there is nothing to verify");
  const qps = values.qps === undefined ? 100 : numberOption("--qps", values.qps);
  const duration = (flag: "warmup" | "settle") => {
    const text = values[flag];
    return text === undefined ? undefined : parseDuration(text, `--${flag}`);
  };
  const warmupMs = duration("warmup");
  const settleMs = duration("settle");
  return {
    load: {
      url: values.verify,
      qps,
      connections:
        values.connections === undefined
          ? 8
          : numberOption("--connections", values.connections, { min: 1, integer: true }),
      insecure: values.insecure ?? false,
      headers: headerOptions(values.header),
      ...(await reachOptions(values)),
    },
    slo: sloOption(values.slo, qps) ?? DEFAULT_DEPLOY_SLO,
    assumeReach: values["assume-reach"] ?? false,
    ...(values["verify-target"] ? { deployment: parseDeploymentRef(values["verify-target"]) } : {}),
    waits: {
      ...(warmupMs === undefined ? {} : { warmupMs }),
      ...(settleMs === undefined ? {} : { settleMs }),
    },
  };
}

/** Kept: the measured SLO line. Refused: verify's whole verdict (incidents, causes), then the line and why. */
export function printJudgement(judged: GateJudgement, out: NodeJS.WritableStream): void {
  if (judged.refused) out.write(verifyTextReport(judged.timeline, judged.verdict));
  out.write(`${sloLine(judged.slo)}\n`);
  out.write(
    judged.refused
      ? `verify: release refused: ${judged.refused}; rolling back\n`
      : `verify: ${judged.verdict.calls} requests, ${judged.verdict.failed} failed; SLO held: release kept\n`,
  );
}
