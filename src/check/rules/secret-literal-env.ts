import { credentialIn } from "../secret-values.ts";
import { list, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

/** Words that name a credential, alone or as a pair (DB_PASSWORD, AWS_SECRET_ACCESS_KEY, apiKey, AUTH_SALT). */
const SECRET_WORDS = new Set([
  "PASSWORD",
  "PASSWD",
  "PASS",
  "PWD",
  "SECRET",
  "SECRETS",
  "TOKEN",
  "CREDENTIALS",
  "CREDENTIAL",
  "APIKEY",
  "SALT",
]);
const SECRET_PAIRS = new Set([
  "API KEY",
  "ACCESS KEY",
  "PRIVATE KEY",
  "AUTH KEY",
  "SECURE KEY",
  "LOGGED KEY",
  "NONCE KEY",
  "SIGNING KEY",
  "ENCRYPTION KEY",
  "MASTER KEY",
]);
/** A last word that makes it a pointer or a setting (DB_PASSWORD_FILE, TOKEN_TTL, AWS_ACCESS_KEY_ID)… */
const NOT_SECRET_LAST = new Set([
  "FILE",
  "PATH",
  "DIR",
  "URL",
  "URI",
  "NAME",
  "REF",
  "ENDPOINT",
  "TTL",
  "TIMEOUT",
  "LENGTH",
  "EXPIRY",
  "ENABLED",
  "ID",
  "HEADER",
  "TYPE",
  "METHOD",
  "POLICY",
  "MODE",
  "FIELD",
  "KEYREF",
]);
/** …or a word that makes it a switch (MYSQL_RANDOM_ROOT_PASSWORD, MYSQL_ALLOW_EMPTY_PASSWORD). */
const SWITCH_WORDS = new Set(["RANDOM", "ALLOW", "GENERATE", "SKIP", "DISABLE", "ENABLE", "USE", "REQUIRE"]);
const SWITCH_VALUE = /^(true|false|yes|no|on|off|0|1|)$/i;

/** Whether an env var name says it holds a credential: "DB_PASSWORD", "dbPassword", "client-secret". */
export function namesSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || NOT_SECRET_LAST.has(words.at(-1)!) || words.some((w) => SWITCH_WORDS.has(w)))
    return false;
  return words.some((w, i) => SECRET_WORDS.has(w) || SECRET_PAIRS.has(`${w} ${words[i + 1]}`));
}

/** A credential flag with its value in a command line: --password=hunter2, --db-token s3cr3t, -psecret
 * is too ambiguous to judge. The value is a literal unless it expands a variable ($(VAR), $VAR, ${VAR}). */
const FLAG = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/;

function literalFlagValue(args: unknown[], i: number): string | undefined {
  const match = FLAG.exec(String(args[i]));
  if (!match || !namesSecret(match[1]!)) return undefined;
  const value =
    match[2] ??
    (typeof args[i + 1] === "string" && !String(args[i + 1]).startsWith("-")
      ? String(args[i + 1])
      : undefined);
  if (value === undefined || SWITCH_VALUE.test(value.trim()) || value.includes("$")) return undefined;
  return value;
}

export const secretLiteralEnv = defineRule({
  id: "secret-literal-env",
  title: "Passwords and tokens come from Secrets, never literal values in env or command lines",
  severity: "error",
  category: "security",
  targets: "workloads",
  explain: `What breaks: a password written as an env value lives in plain text in the manifest, in Git, in
every \`kubectl get -o yaml\`, in the Deployment's revision history and in CI logs. Anyone who can read the
workload — far more people than should read the database password — has it, and rotating it means
editing and redeploying every manifest.

Why: the seed (安全性): the naive manifests carry WORDPRESS_DB_PASSWORD: wordpress and
MYSQL_ROOT_PASSWORD: rootPassW0rd as literals; the tutorial moves the password into a Secret
(kubectl create secret generic wordpress-db-pwd --from-literal=dbpwd=...) and references it with
valueFrom.secretKeyRef, "so the plain-text password no longer appears in the YAML". The same holds for a
credential on a command line (args: ["--password=..."]), which also shows in every process listing.

Fix: put the value in a Secret (generated, not written down; shipshape synth generates one) and reference it:
  env:
  - name: WORDPRESS_DB_PASSWORD
    valueFrom: {secretKeyRef: {name: wordpress-db-pwd, key: dbpwd}}
and on a command line refer to it as $(WORDPRESS_DB_PASSWORD). Whatever the variable is called, a value
holding a PEM private key, an issuer-prefixed token or a URL with a password is reported too.`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const { container, path } of containersOf(w)) {
      list(container.env).forEach((env, i) => {
        const name = text(env.name) ?? "";
        const value = env.value;
        if (value === undefined || value === null) return;
        // A private key or an issuer-prefixed token is a credential whatever the variable is called.
        const shape = credentialIn(String(value));
        if (shape === undefined && !namesSecret(name)) return;
        if (
          shape === undefined &&
          (SWITCH_VALUE.test(String(value).trim()) || /^\$\([A-Za-z_][\w]*\)$/.test(String(value)))
        )
          return;
        findings.push({
          message: `container "${containerName(container)}" of ${describe(subject)} sets ${name} to ${shape ?? "a literal value"}: the credential is readable by anyone who can read the manifest`,
          fix: `Move the value into a Secret and use env[].valueFrom.secretKeyRef for ${name}.`,
          path: [...path, "env", i, "value"],
        });
      });
      for (const field of ["command", "args"] as const) {
        const args = Array.isArray(container[field]) ? (container[field] as unknown[]) : [];
        args.forEach((_, i) => {
          if (literalFlagValue(args, i) === undefined) return;
          findings.push({
            message: `container "${containerName(container)}" of ${describe(subject)} passes ${String(args[i]).split("=")[0]} a literal value in its ${field}: the credential is readable by anyone who can read the manifest or list processes`,
            fix: `Put the value in a Secret, expose it as an env var with valueFrom.secretKeyRef, and pass it as $(VAR_NAME).`,
            path: [...path, field, i],
          });
        });
      }
    }
    return findings;
  },
});
