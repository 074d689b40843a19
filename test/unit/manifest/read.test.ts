import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { InputError } from "../../../src/errors.ts";
import { MAX_FILE_BYTES, readManifests } from "../../../src/manifest/read.ts";

const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`;

function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), "shipshape-read-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function refusal(paths: string[]): Promise<string> {
  try {
    await readManifests(paths);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${error}`);
    return error.oneLine();
  }
  assert.fail("the input was accepted");
}

const names = (objects: Awaited<ReturnType<typeof readManifests>>) =>
  objects.map((o) => o.object.metadata.name);

describe("readManifests", () => {
  it("reads a directory recursively in name order: .yaml, .yml, .json, skipping dot-entries and other files", async () => {
    const root = tree({
      "b.yaml": service("b"),
      "a/z.yml": service("az"),
      "a/y.json": JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "ay" } }),
      "notes.txt": "not a manifest",
      ".shipshape.yaml": "rules: {}\n",
      ".git/x.yaml": "junk: [",
    });
    assert.deepEqual(names(await readManifests([root])), ["ay", "az", "b"]);
  });

  it("reads a file named twice (directly and through its directory) once", async () => {
    const root = tree({ "a.yaml": service("a"), "b.yaml": service("b") });
    assert.deepEqual(names(await readManifests([join(root, "b.yaml"), root, join(root, "*.yaml")])), [
      "b",
      "a",
    ]);
  });

  it("expands globs and reads stdin for '-'", async () => {
    const root = tree({ "one.yaml": service("one"), "two.yaml": service("two"), "three.json": "{}" });
    const objects = await readManifests([join(root, "*.yaml"), "-"], {
      stdin: async () => Buffer.from(service("piped")),
    });
    assert.deepEqual(names(objects), ["one", "two", "piped"]);
    assert.equal(objects[2]!.file, "-");
  });

  it("names the file that is missing, or the pattern that matches nothing", async () => {
    const root = tree({});
    assert.equal(
      await refusal([join(root, "nope.yaml")]),
      `${join(root, "nope.yaml")}: no such file or directory`,
    );
    assert.equal(
      await refusal([join(root, "*.yaml")]),
      `${join(root, "*.yaml")}: no files match this pattern`,
    );
  });

  it("refuses a directory without manifests rather than passing it", async () => {
    const root = tree({ "README.md": "# nothing here\n" });
    assert.equal(await refusal([root]), `${root}: no manifests (.yaml, .yml, .json) in this directory`);
  });

  it("refuses binary garbage, non-UTF-8 and UTF-16 text at the first bad byte", async () => {
    const root = tree({
      "nul.yaml": Buffer.concat([Buffer.from("apiVersion: v1\nkind: Po"), Buffer.from([0, 1, 2, 0xff])]),
      "latin1.yaml": Buffer.concat([
        Buffer.from("apiVersion: v1\nkind: Pod\n# caf"),
        Buffer.from([0xe9, 0x0a]),
      ]),
      "utf16.yaml": Buffer.from("\ufeffapiVersion: v1\n", "utf16le"),
      "random.bin.yaml": Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    });
    assert.equal(
      await refusal([join(root, "nul.yaml")]),
      `${join(root, "nul.yaml")}:2:9: binary data (a NUL byte), not YAML or JSON`,
    );
    assert.equal(
      await refusal([join(root, "latin1.yaml")]),
      `${join(root, "latin1.yaml")}:3:6: not UTF-8 text (binary data?)`,
    );
    assert.equal(
      await refusal([join(root, "utf16.yaml")]),
      `${join(root, "utf16.yaml")}:1:1: UTF-16 text; save it as UTF-8`,
    );
    assert.match(await refusal([join(root, "random.bin.yaml")]), /random\.bin\.yaml:\d+:\d+: /);
  });

  it("refuses a file over the size limit before reading it", async () => {
    const root = tree({ "huge.yaml": "" });
    truncateSync(join(root, "huge.yaml"), MAX_FILE_BYTES + 1); // sparse: costs no disk
    assert.match(
      await refusal([join(root, "huge.yaml")]),
      /huge\.yaml: file is 64\.0 MB, over the 64\.0 MB limit; split it/,
    );
  });

  it("reads a 50 MB multi-document file of ordinary objects", async () => {
    const doc = `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: frontend}\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: "registry.example.com/web:1.2.3"\n        args: ["--port", "8080"]\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n          limits: {cpu: 100m, memory: 128Mi}\n`;
    const copies = Math.ceil((50 * 1024 * 1024) / doc.length);
    const root = tree({ "big.yaml": doc.repeat(copies) });
    const objects = await readManifests([join(root, "big.yaml")]);
    assert.equal(objects.length, copies);
    const last = objects[copies - 1]!;
    assert.deepEqual(last.positionOf(["spec", "template", "spec", "containers", 0, "image"]), {
      line: (copies - 1) * 23 + 19,
      col: 9,
    });
  });

  it("a device or a FIFO under a directory is refused as not a regular file, never read (a /dev/zero link would grow without end)", async () => {
    const root = tree({ "ok.yaml": service("ok") });
    symlinkSync("/dev/zero", join(root, "zero.yaml"));
    assert.match(await refusal([root]), /zero\.yaml: not a regular file \(a device, FIFO or socket\)$/);
    const fifoDir = tree({});
    execFileSync("mkfifo", [join(fifoDir, "pipe.yaml")]);
    assert.match(await refusal([join(fifoDir, "pipe.yaml")]), /pipe\.yaml: not a regular file/);
  });

  it("dangling and looping symbolic links are input errors naming the path", async () => {
    const root = tree({});
    symlinkSync(join(root, "nowhere.yaml"), join(root, "dangling.yaml"));
    assert.match(await refusal([root]), /dangling\.yaml: cannot read: a dangling symbolic link$/);
    const loop = tree({});
    symlinkSync(join(loop, "b.yaml"), join(loop, "a.yaml"));
    symlinkSync(join(loop, "a.yaml"), join(loop, "b.yaml"));
    assert.match(await refusal([join(loop, "a.yaml")]), /a\.yaml: cannot read: a symbolic link loop$/);
  });

  it("stdin past the limit is refused while reading, without holding it whole", async () => {
    const run = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { readManifests } from "${join(process.cwd(), "src/manifest/read.ts")}";
        try { await readManifests(["-"], { maxFileBytes: 1024 * 1024 }); console.log("read"); }
        catch (e) { console.log(e.oneLine(), process.memoryUsage().rss); }`,
      ],
      { input: Buffer.alloc(64 * 1024 * 1024, "a"), encoding: "utf8" },
    );
    assert.match(
      run.stdout,
      /^-: stdin holds more than the 1\.0 MB limit; split it into several files \d+/,
      run.stderr,
    );
  });
});
