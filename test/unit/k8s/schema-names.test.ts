import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  pathSegmentName,
  portName,
  qualifiedName,
} from "../../../src/k8s/schema-names.ts";

const valid = (check: (v: string) => string | undefined, ...values: string[]) => {
  for (const value of values) assert.equal(check(value), undefined, JSON.stringify(value));
};
const invalid = (check: (v: string) => string | undefined, ...values: string[]) => {
  for (const value of values) assert.ok(check(value), `${JSON.stringify(value)} passed`);
};

describe("name syntaxes as apimachinery validates them", () => {
  it("DNS-1123 labels: lowercase alphanumerics and inner hyphens, at most 63", () => {
    valid(dns1123Label, "web", "1web", "a-b-c", "x".repeat(63));
    invalid(dns1123Label, "Web", "-web", "web-", "web.v2", "web_v2", "x".repeat(64), "");
  });

  it("DNS-1123 subdomains: dot-separated labels, at most 253", () => {
    valid(dns1123Subdomain, "web", "web.v2", "app.config.v2", `${"a".repeat(63)}.${"b".repeat(63)}`);
    invalid(dns1123Subdomain, "Web_App", "web..v2", ".web", "web.", "x".repeat(254));
  });

  it("IANA_SVC_NAME port names: at most 15, a letter, no double or edge hyphen", () => {
    valid(portName, "http", "h2c", "http-alternativ", "8080-http");
    invalid(portName, "http-alternative", "HTTP", "8080", "http--x", "-http", "http-", "http_x");
  });

  it("qualified names (label and annotation keys): an optional DNS-subdomain prefix and a 63-char name", () => {
    valid(qualifiedName, "app", "app.kubernetes.io/name", "Tier_1", "example.com/x", `${"n".repeat(63)}`);
    invalid(qualifiedName, "-tier", "a/b/c", "/name", "example.com/", "Example.com/x", "n".repeat(64));
  });

  it("label values: empty, or at most 63 alphanumerics with inner '-', '_' and '.'", () => {
    valid(labelValue, "", "web", "2.4.1", "My_Value");
    invalid(labelValue, "shop front", "-bad", "bad.", "x".repeat(64));
  });

  it("path segments (RBAC names) refuse only '/', '%', '.' and '..'", () => {
    valid(pathSegmentName, "system:shop-reader", "Odd_Name");
    invalid(pathSegmentName, "a/b", "100%", ".", "..");
  });
});
