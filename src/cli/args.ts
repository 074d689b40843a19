// The one argument layer every command parses through: node:util's parseArgs, with usage errors as
// one line the user can act on (exit 2, a did-you-mean) instead of parseArgs's own text, and files the
// command will write checked before any work starts.
import { accessSync, constants, type Stats, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";
import { InputError } from "../errors.ts";
import { nearMatches } from "../text/suggest.ts";

type Config = ParseArgsConfig & { options: NonNullable<ParseArgsConfig["options"]> };
/** What parseArgs answers in strict mode: after the checks below, every value has its declared type. */
type Parsed<T extends Config> = ReturnType<typeof parseArgs<T & { strict: true; tokens: false }>>;

export interface ParseOptions {
  /** Options whose value is a file the command writes ("-" means stdout). */
  outputs?: readonly string[];
}

/**
 * parseArgs with `config`, every usage error an InputError; the command name goes into the hint
 * ("see shipshape load --help"), main prefixes it to the line.
 */
export function parseCommandArgs<const T extends Config>(
  command: string,
  config: T,
  { outputs = [] }: ParseOptions = {},
): Parsed<T> {
  // Not strict, positionals let in: the tokens say exactly what was typed, so the checks below can name
  // it and suggest (parseArgs's own errors cannot).
  const { values, positionals, tokens } = parseArgs({
    ...config,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const hint = `; see shipshape ${command} --help`;
  for (const token of tokens ?? []) {
    if (token.kind === "positional" && !config.allowPositionals) {
      throw new InputError(`unexpected argument "${token.value}"${hint}`);
    }
    if (token.kind !== "option") continue;
    const option = config.options[token.name];
    const negated = token.rawName === `--no-${token.name}`;
    if (!option || (negated && (option.type !== "boolean" || !config.allowNegative))) {
      throw new InputError(`unknown option ${token.rawName}${suggestOption(token.rawName, config) || hint}`);
    }
    // `-n --atomic` is a forgotten value, not the namespace "--atomic" (a negative number or - is a value).
    const optionLike = !token.inlineValue && /^-[^\d]/.test(token.value ?? "");
    if (option.type === "string" && (token.value === undefined || optionLike)) {
      throw new InputError(`${token.rawName} needs a value${hint}`);
    }
    if (option.type === "boolean" && token.value !== undefined) {
      throw new InputError(`${token.rawName} takes no value, got "${token.value}"${hint}`);
    }
  }
  if (!values.help) {
    for (const name of outputs) {
      const path = values[name];
      if (typeof path === "string" && path !== "-") assertWritable(path);
    }
  }
  return { values, positionals } as Parsed<T>;
}

/** ' (did you mean "--qps"?)' for a mistyped long option; a short one only matches in another case (-N → -n). */
function suggestOption(rawName: string, config: Config): string {
  const entries = Object.entries(config.options);
  if (!rawName.startsWith("--")) {
    const same = entries.filter(([, o]) => o.short?.toLowerCase() === rawName.slice(1).toLowerCase());
    return nearMatches(
      rawName,
      same.map(([, o]) => `-${o.short}`),
    );
  }
  return nearMatches(
    rawName,
    entries.map(([name]) => `--${name}`),
  );
}

/** `value` when it is one of `choices`, else a usage error naming `what` (and the option) with a did-you-mean. */
export function oneOf<C extends string>(
  what: string,
  value: string,
  choices: readonly C[],
  option?: string,
): C {
  if ((choices as readonly string[]).includes(value)) return value as C;
  const near = nearMatches(value, choices);
  throw new InputError(`unknown ${what} "${value}"${near || ` (use ${choices.join(", ")})`}`, {
    field: option,
  });
}

/** A number option's text → its value, refused unless a finite number ≥ `min` (and whole, if asked). */
export function numberOption(
  option: string,
  text: string,
  { min = 0, integer = false }: { min?: number; integer?: boolean } = {},
): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new InputError(`expects ${integer ? "a whole number" : "a number"}, got "${text}"`, {
      field: option,
    });
  }
  if (value < min) throw new InputError(`must be ≥ ${min}, got ${text}`, { field: option });
  return value;
}

/** Repeated -H "Name: value" options (load, size) → headers, names lower-cased. */
export function headerOptions(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of list ?? []) {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new InputError(`expects "Name: value", got "${line}"`, { field: "--header" });
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** Refuses a path the command could not write (missing directory, a directory, read-only) before it runs. */
function assertWritable(path: string): void {
  const refuse = (why: string) => new InputError(`cannot write: ${why}`, { file: path });
  const target = existing(path);
  if (target?.isDirectory()) throw refuse("is a directory");
  const directory = target ? undefined : dirname(resolve(path));
  if (directory !== undefined && !existing(directory)?.isDirectory()) {
    throw refuse(`no directory ${dirname(path)}`);
  }
  try {
    accessSync(directory ?? path, constants.W_OK);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** The path's stats, or undefined when nothing is there (also when a parent is a file). */
function existing(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new InputError(`cannot write: ${code ?? error}`, { file: path });
  }
}
