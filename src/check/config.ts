// The per-repository configuration: `.shipshape.yaml`, found upward from the working directory (or
// named with --config), switches rules off or changes their severity:
//
//   rules:
//     hpa-missing: off          # this app is scaled by hand
//     qos-burstable: error      # we require Guaranteed pods
//
// Unknown rule ids are errors, with the place, so a typo cannot silently keep (or drop) a finding.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { parseMappingDocument } from "../manifest/mapping-document.ts";
import { decodeText } from "../manifest/read.ts";
import { nearMatches } from "../text/suggest.ts";
import type { Rule, Severity } from "./types.ts";

export const CONFIG_FILES = [".shipshape.yaml", ".shipshape.yml"];

export interface CheckConfig {
  file: string;
  disabled: ReadonlySet<string>;
  severities: ReadonlyMap<string, Severity>;
}

const SETTINGS = ["off", "error", "warning", "info"];

/** The nearest config file at or above `dir`, if any. */
export function findConfigFile(dir: string): string | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    for (const name of CONFIG_FILES) {
      const candidate = join(current, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(current) === current) return undefined;
  }
}

/** Reads the config named by `path`, or the nearest one above `cwd`; undefined when there is none. */
export function loadCheckConfig(
  rules: readonly Rule[],
  path?: string,
  cwd = process.cwd(),
): CheckConfig | undefined {
  const file = path ?? findConfigFile(cwd);
  if (!file) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new InputError("cannot read the config file", { file });
  }
  return parseCheckConfig(decodeText(bytes, file), file, rules);
}

export function parseCheckConfig(text: string, file: string, rules: readonly Rule[]): CheckConfig {
  const known = new Set(rules.map((rule) => rule.id));
  const disabled = new Set<string>();
  const severities = new Map<string, Severity>();
  const { entries: root, positionOf } = parseMappingDocument(text, file, {
    what: "the config file",
    expected: 'a mapping with a "rules" key',
  });
  const place = (path: string[]) => ({ file, ...positionOf(path) });
  for (const key of Object.keys(root)) {
    if (key !== "rules")
      throw new InputError(`unknown setting "${key}" (the config has: rules)`, place([key]));
  }
  const settings = root.rules ?? {};
  if (typeof settings !== "object" || settings === null || Array.isArray(settings)) {
    throw new InputError('"rules" must map rule ids to off|error|warning|info', place(["rules"]));
  }
  for (const [id, value] of Object.entries(settings)) {
    if (!known.has(id))
      throw new InputError(`unknown rule "${id}"${nearMatches(id, known)}`, place(["rules", id]));
    // YAML reads a bare `off` as a string and `false` as a boolean: accept both.
    const setting = value === false ? "off" : value;
    if (typeof setting !== "string" || !SETTINGS.includes(setting)) {
      throw new InputError(`"${id}" must be one of ${SETTINGS.join(", ")}`, place(["rules", id]));
    }
    if (setting === "off") disabled.add(id);
    else severities.set(id, setting as Severity);
  }
  return { file, disabled, severities };
}
