import assert from "node:assert/strict";
import { test } from "node:test";
import { credentialIn } from "../../../src/check/secret-values.ts";

test("values that are credentials by their shape", () => {
  const cases: Array<[string, string]> = [
    ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----", "a PEM private key"],
    ["-----BEGIN OPENSSH PRIVATE KEY-----", "a PEM private key"],
    ["-----BEGIN ENCRYPTED PRIVATE KEY-----", "a PEM private key"],
    ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "a PEM private key"],
    ["---BEGIN OPENSSH PRIVATE KEY---\nxxxxx\n---END  OPENSSH PRIVATE KEY---", "a PEM private key"],
    [`ghp_${"a1B2".repeat(9)}`, "a GitHub token"],
    ["xoxb-1234567890-0987654321-AbCdEf", "a Slack token"],
    [`sk_live_${"x9".repeat(12)}`, "a Stripe secret key"],
    ["postgres://app:hunter2@db:5432/app", "a URL with a password"],
    ["amqp://guest:p%40ss@rabbit/", "a URL with a password"],
  ];
  for (const [value, what] of cases) assert.equal(credentialIn(value), what, value);
});

test("look-alikes that are not credentials", () => {
  for (const value of [
    "-----BEGIN CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----",
    "postgres://app@db:5432/app",
    "mysql://wp:$(DB_PASSWORD)@db/wp",
    "redis://:$REDIS_PASSWORD@redis:6379",
    "https://user:{{ .Values.password }}@example.com",
    "http://admin:***@proxy:3128",
    "sk_test_abcdefghijklmnopqrstuvwx",
    "ghp_short",
    "see https://example.com/docs",
  ]) {
    assert.equal(credentialIn(value), undefined, value);
  }
});
