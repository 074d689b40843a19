// Regenerates src/k8s/schema/kubernetes-<version>.json.gz from the upstream OpenAPI (swagger 2) of the pinned
// Kubernetes release, trimmed to what validation needs and turned into plain JSON Schema for ajv, then the
// validators compiled from it (scripts/gen-schema-validators.ts).
//
//   node scripts/gen-schema.ts                 # fetches k8s.io/kubernetes@<version> with `go mod download`
//   node scripts/gen-schema.ts path/to/swagger.json
//
// Decisions (mirrored in src/k8s/schema.ts):
// - objects with declared properties reject unknown fields (additionalProperties: false), as the apiserver
//   does under strict field validation — kubectl's default (`--validate=strict`);
// - IntOrString accepts an integer or a string; Quantity a number or a string in Kubernetes quantity syntax;
// - int32/int64 carry their ranges; byte/date-time are plain strings (the apiserver checks them, not us);
// - list-type "map" keeps its keys (x-kubernetes-list-map-keys: entries must not repeat a key, as server-side
//   apply requires), list-type "set" becomes uniqueItems;
// - descriptions and the other x-kubernetes-* patch hints are dropped: they do not change what is valid.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { KUBERNETES_VERSION, schemaFile } from "../src/k8s/schema-data.ts";
import { LIST_MAP_KEYS } from "../src/k8s/schema-list-map.ts";
import { writeValidators } from "./gen-schema-validators.ts";

type Json = Record<string, unknown>;

const DEF = "#/definitions/";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
/** The syntax resource.ParseQuantity accepts. */
const QUANTITY_PATTERN = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$";
const RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function swaggerPath(): string {
  const given = process.argv[2];
  if (given) return given;
  const out = execFileSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@v${KUBERNETES_VERSION}`], {
    encoding: "utf8",
  });
  return join((JSON.parse(out) as { Dir: string }).Dir, "api/openapi-spec/swagger.json");
}

/** One swagger schema node → a JSON Schema node ajv validates with, references shortened. */
function convert(node: Json): Json {
  if (typeof node.$ref === "string") return { $ref: node.$ref };
  const out: Json = {};
  const type = node.type as string | undefined;
  if (type) out.type = type;
  const range = RANGES[node.format as string];
  if (type === "integer" && range) [out.minimum, out.maximum] = range;
  if (Array.isArray(node.required) && node.required.length) out.required = [...node.required].sort();
  if (Array.isArray(node.enum)) out.enum = node.enum;
  if (node.items) out.items = convert(node.items as Json);
  // Server-side apply merges these lists by key, and refuses a list whose entries repeat a key.
  if (node["x-kubernetes-list-type"] === "map") out[LIST_MAP_KEYS] = node["x-kubernetes-list-map-keys"];
  if (node["x-kubernetes-list-type"] === "set") out.uniqueItems = true;
  if (node.properties) {
    const props = node.properties as Record<string, Json>;
    out.properties = Object.fromEntries(
      Object.keys(props)
        .sort()
        .map((k) => [k, convert(props[k]!)]),
    );
    out.additionalProperties = false;
  } else if (node.additionalProperties !== undefined) {
    const extra = node.additionalProperties;
    out.additionalProperties = typeof extra === "object" ? convert(extra as Json) : extra;
  }
  return out;
}

function special(name: string): Json | undefined {
  if (name === INT_OR_STRING) return { type: ["integer", "string"] };
  if (name === QUANTITY) return { type: ["string", "number"], pattern: QUANTITY_PATTERN };
  return undefined;
}

function main(): void {
  const swagger = JSON.parse(readFileSync(swaggerPath(), "utf8")) as { definitions: Record<string, Json> };
  const defs = swagger.definitions;
  const kinds: Record<string, string> = {};
  for (const [name, def] of Object.entries(defs)) {
    const gvks = def["x-kubernetes-group-version-kind"] as { group: string; version: string; kind: string }[];
    // Objects a user writes have exactly one GVK; the shared meta types (DeleteOptions, WatchEvent) have many.
    if (gvks?.length !== 1 || !def.properties) continue;
    const { group, version, kind } = gvks[0]!;
    if (kind.endsWith("List") || !("metadata" in (def.properties as Json))) continue;
    kinds[`${group ? `${group}/` : ""}${version}/${kind}`] = name;
  }
  // Keep only the definitions reachable from an object kind.
  const keep = new Set<string>();
  const visit = (name: string): void => {
    if (keep.has(name)) return;
    keep.add(name);
    JSON.stringify(defs[name], (key, value) => {
      if (key === "$ref" && typeof value === "string") visit(value.slice(DEF.length));
      return value;
    });
  };
  for (const name of Object.values(kinds)) visit(name);
  const definitions = Object.fromEntries(
    [...keep].sort().map((name) => [name, special(name) ?? convert(defs[name]!)]),
  );
  const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
  const data = { version: KUBERNETES_VERSION, kinds: sortedKinds, definitions };
  const file = schemaFile();
  writeFileSync(file, gzipSync(JSON.stringify(data), { level: 9 }));
  console.log(`${file}: ${Object.keys(kinds).length} kinds, ${keep.size} definitions`);
  writeValidators();
}

main();
