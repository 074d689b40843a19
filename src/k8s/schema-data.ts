// The trimmed OpenAPI of the pinned Kubernetes release that offline validation uses, shipped in the repo
// (regenerate with `node scripts/gen-schema.ts`).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The release the testbed pins; the schema is extracted from its upstream OpenAPI. */
export const KUBERNETES_VERSION = "1.36.3";

export interface SchemaData {
  version: string;
  /** "apps/v1/Deployment" → definition name. */
  kinds: Record<string, string>;
  /** JSON Schema per definition, with `$ref: "#/definitions/<name>"` between them. */
  definitions: Record<string, object>;
}

export function schemaFile(): string {
  return new URL(`./schema/kubernetes-${KUBERNETES_VERSION}.json.gz`, import.meta.url).pathname;
}

export function loadSchemaData(): SchemaData {
  return JSON.parse(gunzipSync(readFileSync(schemaFile())).toString("utf8")) as SchemaData;
}
