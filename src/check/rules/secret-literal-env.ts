import { list, text } from "../shape.ts";
import type { FindingDraft, Rule } from "../types.ts";
import { containerName, containersOf, describe } from "./helpers.ts";

/** Names that carry a credential… */
const SENSITIVE =
  /PASS(WORD|WD)?($|_)|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH_?KEY|_SALT$|^SALT_?/i;
/** …unless they only point at one or switch a feature (MYSQL_RANDOM_ROOT_PASSWORD=yes, *_PASSWORD_FILE). */
const NOT_A_SECRET =
  /(_FILE|_PATH|_DIR|_URL|_URI|_NAME|_REF|_ENDPOINT|_TTL|_TIMEOUT|_LENGTH|_EXPIRY|_ENABLED)$|^(MYSQL_)?(ALLOW_EMPTY|RANDOM_ROOT|GENERATE)_|_KEY_ID$/i;
const SWITCH_VALUE = /^(true|false|yes|no|on|off|0|1|)$/i;

export const secretLiteralEnv: Rule = {
  id: "secret-literal-env",
  title: "Passwords and tokens come from Secrets, never literal env values",
  severity: "error",
  category: "security",
  explain: `What breaks: a password written as an env value lives in plain text in the manifest, in Git, in
every \`kubectl get -o yaml\`, in the Deployment's revision history and in CI logs. Anyone who can read the
workload — far more people than should read the database password — has it, and rotating it means
editing and redeploying every manifest.

Why: the seed (安全性): the naive manifests carry WORDPRESS_DB_PASSWORD: wordpress and
MYSQL_ROOT_PASSWORD: rootPassW0rd as literals; the tutorial moves the password into a Secret
(kubectl create secret generic wordpress-db-pwd --from-literal=dbpwd=...) and references it with
valueFrom.secretKeyRef, "so the plain-text password no longer appears in the YAML".

Fix: put the value in a Secret (generated, not written down; shipshape synth generates one) and reference it:
  env:
  - name: WORDPRESS_DB_PASSWORD
    valueFrom: {secretKeyRef: {name: wordpress-db-pwd, key: dbpwd}}`,
  check(subject, index) {
    const w = index.workloadOf(subject);
    if (!w) return [];
    const findings: FindingDraft[] = [];
    for (const { container, path } of containersOf(w)) {
      list(container.env).forEach((env, i) => {
        const name = text(env.name) ?? "";
        const value = env.value;
        if (value === undefined || value === null || !SENSITIVE.test(name) || NOT_A_SECRET.test(name)) return;
        if (SWITCH_VALUE.test(String(value).trim()) || /^\$\([A-Za-z_][\w]*\)$/.test(String(value))) return;
        findings.push({
          message: `container "${containerName(container)}" of ${describe(subject)} sets ${name} to a literal value: the credential is readable by anyone who can read the manifest`,
          fix: `Move the value into a Secret and use env[].valueFrom.secretKeyRef for ${name}.`,
          path: [...path, "env", i, "value"],
        });
      });
    }
    return findings;
  },
};
