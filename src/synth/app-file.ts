// `shipshape synth --config FILE`: a YAML (or JSON) file holding a blueprint's settings, or a
// TypeScript/JavaScript module whose default export is those settings, an App, or a function returning an
// App or objects built with the constructs. Errors name the file, and for YAML the line and column.
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { App, type Resource, resource } from "../blueprint/app.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { parseMappingDocument } from "../manifest/mapping-document.ts";
import { decodeText } from "../manifest/read.ts";
import type { Position } from "../manifest/types.ts";

/** What a config file yields: blueprint settings (still to be checked and composed) or finished resources. */
export type Config =
  | {
      kind: "props";
      /** Settings for a blueprint, still to be typed and checked by its spec. */
      props: Record<string, unknown>;
      file: string;
      positionOf(field: string): Position | undefined;
    }
  | { kind: "resources"; resources: Resource[]; file: string };

const MODULE = new Set([".ts", ".mts", ".js", ".mjs"]);
const DATA = new Set([".yaml", ".yml", ".json"]);
/** Config files are small; anything larger is a mistake, not a config. */
const MAX_BYTES = 1024 * 1024;

export async function loadConfig(path: string): Promise<Config> {
  const extension = extname(path).toLowerCase();
  if (MODULE.has(extension)) return loadModule(path);
  if (DATA.has(extension)) return loadData(path);
  throw new InputError("config must be .ts, .mts, .js, .mjs, .yaml, .yml or .json", { file: path });
}

function loadData(file: string): Config {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`cannot read config: ${(error as NodeJS.ErrnoException).code ?? error}`, { file });
  }
  // The manifest reader's guards (nesting depth, alias bombs, duplicate keys, encodings) hold here too.
  const { entries, positionOf } = parseMappingDocument(decodeText(bytes, file, MAX_BYTES), file, {
    what: "the config",
    expected: "a map of settings (key: value lines)",
  });
  // Errors point at the setting's key: the line a user edits.
  return { kind: "props", props: entries, file, positionOf: (field) => positionOf([field]) };
}

/** This library's entry, as the running code is laid out: the sources (.ts) in a clone, dist/ (.js) installed. */
const SELF = new URL(import.meta.url.endsWith(".ts") ? "../index.ts" : "../index.js", import.meta.url).href;
let selfImportHooked = false;

/**
 * A config's `import … from "shipshape"` gets the shipshape that is running it: found even when the
 * config's repo does not depend on shipshape (a global install), and the same classes, so the
 * `instanceof App` below holds.
 */
function resolveShipshapeToSelf(): void {
  if (selfImportHooked) return;
  selfImportHooked = true;
  registerHooks({
    resolve: (specifier, context, next) =>
      specifier === "shipshape" ? { url: SELF, shortCircuit: true } : next(specifier, context),
  });
}

async function loadModule(file: string): Promise<Config> {
  resolveShipshapeToSelf();
  let exported: unknown;
  try {
    exported = ((await import(pathToFileURL(resolve(file)).href)) as { default?: unknown }).default;
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file, ...error.place });
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ERR_MODULE_NOT_FOUND" ? `cannot find ${file}` : String((error as Error).message);
    throw new InputError(`cannot load config: ${message.split("\n")[0]}`, { file });
  }
  if (exported === undefined) throw new InputError("config module has no default export", { file });
  try {
    if (typeof exported === "function") exported = await (exported as () => unknown)();
    if (exported instanceof App) return { kind: "resources", resources: exported.synth(), file };
    if (Array.isArray(exported)) return { kind: "resources", resources: exported.map(asResource), file };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message, { file, ...error.place });
    throw error;
  }
  return { kind: "props", props: exported as Record<string, unknown>, file, positionOf: () => undefined };
}

function asResource(item: unknown, index: number): Resource {
  if (isResource(item)) return item;
  const object = item as Partial<KubeObject> | null;
  if (
    !object ||
    typeof object.apiVersion !== "string" ||
    typeof object.kind !== "string" ||
    !object.metadata
  ) {
    throw new InputError("not a Kubernetes object (needs apiVersion, kind and metadata)", {
      field: `[${index}]`,
    });
  }
  return resource(object as KubeObject);
}

function isResource(item: unknown): item is Resource {
  return typeof item === "object" && item !== null && "object" in item && "notes" in item;
}
