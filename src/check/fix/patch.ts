// A fix a machine can apply, carried as data beside the finding (like Polaris's mutations): field
// operations on the object, each path relative to the object, with the comment the fix writes next
// to what it changed. A rule offers one only where the change is mechanical and safe; what needs
// knowledge the input lacks (an image digest, a resource size, a TLS secret) stays a finding.

export type FieldPath = ReadonlyArray<string | number>;

export type PatchOp =
  /** Set the field, creating the mappings above it that are missing. */
  | { op: "set"; path: FieldPath; value: unknown }
  /** Remove the field; nothing happens when it is absent. */
  | { op: "remove"; path: FieldPath };

export interface Autofix {
  ops: readonly PatchOp[];
  /** Why, in a few words: written as a YAML comment beside the change. */
  comment: string;
}

export function setField(path: FieldPath, value: unknown): PatchOp {
  return { op: "set", path, value };
}

export function removeField(path: FieldPath): PatchOp {
  return { op: "remove", path };
}
