// Values that are credentials by their shape alone, whatever the key or env var holding them is called:
// private keys in PEM, tokens whose issuers give them a fixed prefix, and URLs carrying a password.
// Each pattern is specific enough that a match is a secret, not a guess.

const PATTERNS: ReadonlyArray<{ what: string; pattern: RegExp }> = [
  // Three dashes or more: a key pasted with its armour shortened (as Polaris' fixtures do) is still a key.
  { what: "a PEM private key", pattern: /---BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?---/ },
  { what: "a GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { what: "a GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { what: "a Slack token", pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/ },
  { what: "a Stripe secret key", pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/ },
  { what: "a Google API key", pattern: /\bAIza[A-Za-z0-9_-]{35}\b/ },
  {
    what: "an AWS secret access key assignment",
    pattern: /aws_secret_access_key\s*[=:]\s*[A-Za-z0-9/+]{40}\b/i,
  },
];

/** scheme://user:password@host, where the password is not a placeholder ($VAR, ${VAR}, {{ }}, <pass>, ***). */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s/@]+)@[^\s/@]/i;
const PLACEHOLDER = /^(?:\$.*|\{\{.*|<.*>|\*+|x+|\.\.\.|password|pass|secret|changeme)$/i;

/** What kind of credential `value` carries by its shape, or undefined. */
export function credentialIn(value: string): string | undefined {
  for (const { what, pattern } of PATTERNS) if (pattern.test(value)) return what;
  const password = URL_PASSWORD.exec(value)?.[1];
  if (password !== undefined && !PLACEHOLDER.test(decoded(password))) {
    return "a URL with a password";
  }
  return undefined;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray "%" is part of the password
  }
}
