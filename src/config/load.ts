// `shipshape synth --config FILE`: a YAML (or JSON) file holding WordPress blueprint settings, or a
// TypeScript/JavaScript module whose default export is those settings, an App, or a function returning an
// App or objects built with the constructs. Errors name the file, and for YAML the line and column.
import { readFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isMap, isScalar, LineCounter, parseDocument, type Scalar } from "yaml";
import { App, type Resource, resource } from "../blueprint/app.ts";
import type { WordPressProps } from "../blueprint/blueprints/wordpress.ts";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";

/** What a config file yields: blueprint settings (still to be checked and composed) or finished resources. */
export type Config =
  | { kind: "props"; props: WordPressProps; file: string; positionOf(field: string): Position | undefined }
  | { kind: "resources"; resources: Resource[]; file: string };

interface Position {
  line: number;
  col: number;
}

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
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_BYTES) throw new InputError(`config larger than ${MAX_BYTES} bytes`, { file });
    text = bytes.toString("utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read config: ${(error as NodeJS.ErrnoException).code ?? error}`, { file });
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Position => lines.linePos(offset);
  const [problem] = doc.errors;
  if (problem) {
    throw new InputError(problem.message.split("\n")[0]!, { file, ...at(problem.pos[0]) });
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    throw new InputError("expected a map of settings (key: value lines)", {
      file,
      ...at(contents.range?.[0] ?? 0),
    });
  }
  let props: WordPressProps;
  try {
    props = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as WordPressProps;
  } catch (error) {
    // An alias bomb: the yaml library refuses to expand it.
    throw new InputError((error as Error).message, { file });
  }
  // Errors point at the setting's key: the line a user edits.
  const positionOf = (field: string): Position | undefined => {
    const key = contents?.items.find((p) => isScalar(p.key) && p.key.value === field)?.key as
      | Scalar
      | undefined;
    return key?.range ? at(key.range[0]) : undefined;
  };
  return { kind: "props", props, file, positionOf };
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
  return { kind: "props", props: exported as WordPressProps, file, positionOf: () => undefined };
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
