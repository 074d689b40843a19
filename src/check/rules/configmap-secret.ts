import { credentialIn } from "../secret-values.ts";
import { record } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";
import { namesSecret } from "./secret-literal-env.ts";

/** A value that is a setting, not a credential: empty, a switch, a number, a path, a URL without a
 * password, a reference resolved elsewhere ($VAR, {{ }}, <…>), or a whole config file (several lines, or
 * words separated by spaces). A weak or dummy value ("changeme", "xxxxx") still is a credential here. */
function looksLikeSetting(value: string): boolean {
  const v = value.trim();
  return (
    v.length === 0 ||
    /\s/.test(v) ||
    /^(?:true|false|yes|no|on|off|\d+[a-z]*)$/i.test(v) ||
    /^(?:\/|\.\/|~\/|[a-z][a-z0-9+.-]*:\/\/)/i.test(v) ||
    /^(?:\$|\{\{|<|%)/.test(v)
  );
}

export const configmapSecret = defineRule({
  id: "configmap-secret",
  title: "ConfigMaps hold no passwords, tokens or private keys",
  severity: "warning",
  category: "security",
  targets: { kinds: ["ConfigMap"] },
  explain: `What breaks: ConfigMap data is not secret. It is readable by every role that may read config
(the built-in "view" role included, while that role may not read Secrets), shown in full by
\`kubectl describe\`, stored unencrypted even where etcd encryption covers Secrets, and copied into Git
and CI logs with the rest of the manifests. A password or private key put there is leaked to all of them.

Why: the seed (安全性) moves the database password out of the manifest into a Secret; a ConfigMap is the
manifest by another name.

Fix: move the value into a Secret and mount or reference it from there (envFrom.secretRef,
env[].valueFrom.secretKeyRef, a secret volume). Reported when a key's name says credential (DB_PASSWORD,
api-key, client_secret) and its value is a literal rather than a path, URL, switch, placeholder or a whole
config file; and, whatever the key, when a value holds a PEM private key, a token with a known issuer's
prefix (GitHub, GitLab, Slack, Stripe, Google) or a URL with a password in it.`,
  check(subject) {
    const data = record(subject.object.data);
    const findings: FindingDraft[] = [];
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== "string") continue;
      const shape = credentialIn(raw);
      const named = shape === undefined && namesSecret(key) && !looksLikeSetting(raw);
      if (shape === undefined && !named) continue;
      findings.push({
        message: `${describe(subject)} key "${key}" holds ${shape ?? "a literal credential"}: ConfigMap data is readable by anyone who may read config`,
        fix: `Move "${key}" into a Secret and reference it with secretKeyRef, envFrom.secretRef or a secret volume.`,
        path: ["data", key],
      });
    }
    return findings;
  },
});
