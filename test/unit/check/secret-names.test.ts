import assert from "node:assert/strict";
import { test } from "node:test";
import { namesSecret } from "../../../src/check/rules/secret-literal-env.ts";

test("credential-like env var names are recognised in any case style", () => {
  for (const name of [
    "WORDPRESS_DB_PASSWORD",
    "MYSQL_ROOT_PASSWORD",
    "PASSWORD",
    "dbPassword",
    "client-secret",
    "AWS_SECRET_ACCESS_KEY",
    "STRIPE_API_KEY",
    "apiKey",
    "GITHUB_TOKEN",
    "WORDPRESS_AUTH_KEY",
    "WORDPRESS_NONCE_SALT",
    "REDIS_PASS",
  ]) {
    assert.equal(namesSecret(name), true, name);
  }
});

test("pointers, settings and look-alikes are not credentials", () => {
  for (const name of [
    "MYSQL_PASSWORD_FILE",
    "MYSQL_RANDOM_ROOT_PASSWORD",
    "MYSQL_ALLOW_EMPTY_PASSWORD",
    "AWS_ACCESS_KEY_ID",
    "TOKEN_TTL",
    "PASSWORD_MIN_LENGTH",
    "BYPASS_CACHE",
    "TOKENIZER_MODEL",
    "PASSENGER_MAX_POOL_SIZE",
    "CACHE_KEY",
    "SECRET_NAME",
    "WORDPRESS_DB_USER",
  ]) {
    assert.equal(namesSecret(name), false, name);
  }
});
