// Paths → SourceObjects: expands files, directories (recursively: .yaml, .yml, .json) and globs,
// reads stdin for "-", and refuses what is not text before any parsing (too large, binary, not UTF-8).

import { isUtf8 } from "node:buffer";
import { type Dirent, globSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { parseManifests } from "./parse.ts";
import type { SourceObject } from "./types.ts";

/** Larger files are refused before reading: 64 MiB holds well over 100,000 ordinary objects. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;

export interface ReadOptions {
  /** What "-" reads; defaults to the process's stdin. */
  stdin?: () => Promise<Buffer>;
  maxFileBytes?: number;
}

/** Reads every object from the given paths, in a stable order (arguments, then sorted file names). */
export async function readManifests(paths: string[], options: ReadOptions = {}): Promise<SourceObject[]> {
  const texts = await readManifestTexts(paths, options);
  return texts.flatMap(({ file, text }) => parseManifests(text, file));
}

/** The text of every manifest file the paths name ("-" for stdin), each once, in readManifests' order. */
export async function readManifestTexts(paths: string[], options: ReadOptions = {}): Promise<ManifestText[]> {
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const texts: ManifestText[] = [];
  // `check deploy/ deploy/web.yaml` names a file twice: read it once, or every object in it is a duplicate.
  const seen = new Set<string>();
  for (const path of paths) {
    if (path === "-") {
      if (seen.has("-")) continue;
      seen.add("-");
      const bytes = await (options.stdin ?? (() => readStdin(maxBytes)))();
      texts.push({ file: "-", text: decodeText(bytes, "-", maxBytes) });
      continue;
    }
    for (const file of expandPath(path)) {
      const real = resolveLink(file);
      if (seen.has(real)) continue;
      seen.add(real);
      texts.push({ file, text: readText(file, maxBytes) });
    }
  }
  return texts;
}

export interface ManifestText {
  file: string;
  text: string;
}

/** The files a path argument stands for: itself, the manifests under a directory, or a glob's matches. */
export function expandPath(path: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    if (/[*?[{]/.test(path)) {
      const matches = globSync(path).sort();
      const files = matches.flatMap((match) =>
        statSync(match).isDirectory() ? walk(match, new Set()) : [match],
      );
      if (files.length === 0) throw new InputError("no files match this pattern", { file: path });
      return files;
    }
    // The name exists but leads nowhere: say which way it fails.
    if (lstatOrUndefined(path)?.isSymbolicLink()) resolveLink(path);
    throw new InputError("no such file or directory", { file: path });
  }
  if (!stat.isDirectory()) return [path];
  const files = walk(path, new Set());
  // An empty directory is more likely a wrong path than a clean bill of health.
  if (files.length === 0)
    throw new InputError("no manifests (.yaml, .yml, .json) in this directory", { file: path });
  return files;
}

/** Manifest files under a directory, sorted, skipping dot-entries (.git, .shipshape.yaml) and link loops. */
function walk(dir: string, seen: Set<string>): string[] {
  const real = realpathSync(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const files: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true, encoding: "utf8" });
  } catch (error) {
    throw new InputError(`cannot list this directory (${(error as NodeJS.ErrnoException).code ?? error})`, {
      file: dir,
    });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(path));
    if (isDir) pushAll(files, walk(path, seen));
    else if (MANIFEST_EXTENSIONS.test(entry.name)) files.push(path);
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Where a path really leads; a dangling or looping link is the input's fault, named. */
function resolveLink(file: string): string {
  try {
    return realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "a dangling symbolic link" : code === "ELOOP" ? "a symbolic link loop" : code;
    throw new InputError(`cannot read: ${why ?? error}`, { file });
  }
}

function readText(file: string, maxBytes: number): string {
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    // A device (/dev/zero) never ends and a FIFO may never be written: only regular files are read.
    if (!stat.isFile()) throw new InputError("not a regular file (a device, FIFO or socket)", { file });
    if (stat.size > maxBytes) throw new InputError(tooLarge(stat.size, maxBytes), { file });
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "EACCES" ? "permission denied" : `cannot read (${code ?? error})`, {
      file,
    });
  }
  return decodeText(bytes, file, maxBytes);
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function tooLarge(size: number, maxBytes: number): string {
  return `file is ${mb(size)}, over the ${mb(maxBytes)} limit; split it into several files`;
}

/** Bytes → text, refusing binary data and encodings other than UTF-8 with the place of the first bad byte. */
export function decodeText(bytes: Buffer, file: string, maxBytes = MAX_FILE_BYTES): string {
  if (bytes.length > maxBytes) throw new InputError(tooLarge(bytes.length, maxBytes), { file });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError("UTF-16 text; save it as UTF-8", { file, line: 1, col: 1 });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    throw new InputError("binary data (a NUL byte), not YAML or JSON", { file, ...placeOf(bytes, nul) });
  if (!isUtf8(bytes)) {
    const text = bytes.toString("utf8");
    const bad = text.indexOf("\ufffd");
    const line = countNewlines(text, bad) + 1;
    const col = bad - text.lastIndexOf("\n", bad - 1);
    throw new InputError("not UTF-8 text (binary data?)", { file, line, col });
  }
  return bytes.toString("utf8");
}

function placeOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset).toString("utf8");
  return { line: countNewlines(before, before.length) + 1, col: before.length - before.lastIndexOf("\n") };
}

function countNewlines(text: string, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Stdin, refused as soon as it passes the limit (never held whole first). */
async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) {
      process.stdin.destroy();
      throw new InputError(`stdin holds more than the ${mb(maxBytes)} limit; split it into several files`, {
        file: "-",
      });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** push(...items) spreads its arguments on the stack, which overflows past ~100k items: a loop does not. */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
