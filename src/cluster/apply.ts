// One object, server-side applied as `shipshape`, with what happened to it: created, configured or
// unchanged (the API server does not bump resourceVersion for a no-op apply, so equal versions before
// and after mean nothing changed). Conflicts with other field managers are reported, not forced.
import { isDeepStrictEqual } from "node:util";
import { InputError } from "../errors.ts";
import type { KubeObject } from "../k8s/object.ts";
import { describeObject } from "../k8s/object.ts";
import { ApiError, type Cluster } from "./client.ts";
import { appliedFields, comparable, managedViews } from "./managed-fields.ts";
import { redactSecretValues } from "./secret-values.ts";

export type Action = "created" | "configured" | "unchanged" | "generated" | "kept" | "pruned";

export interface Change {
  name: string;
  action: Action;
  /** The live object after the apply. */
  live?: KubeObject;
  /** The live object before it (for --atomic). */
  before?: KubeObject;
}

/** Another field manager owns fields we set: the user decides (--force-conflicts), we never silently take over. */
export class ApplyConflict extends Error {
  constructor(object: KubeObject, message: string) {
    super(`${describeObject(object)}: ${message} (re-run with --force-conflicts to take these fields over)`);
    this.name = "ApplyConflict";
  }
}

export async function applyObject(
  cluster: Cluster,
  object: KubeObject,
  options: { force: boolean },
): Promise<Change> {
  const name = describeObject(object);
  const before = await cluster.get(object);
  let live: KubeObject;
  try {
    live = await cluster.apply(object, { force: options.force });
  } catch (error) {
    if (error instanceof ApiError && error.status === 409)
      throw new ApplyConflict(object, redactSecretValues(error.message, object));
    // Invalid or forbidden objects are the input's fault: name the object (never its secret values).
    if (error instanceof ApiError && [400, 403, 404, 422].includes(error.status)) {
      throw new InputError(redactSecretValues(`${error.reason}: ${error.message}`, object), { object: name });
    }
    throw error;
  }
  const action: Action = !before ? "created" : changed(before, live) ? "configured" : "unchanged";
  return { name, action, live, before };
}

/** Whether the apply changed what shipshape manages, fields it stopped setting (now removed) included.
 * A controller's status write between our read and our apply also moves resourceVersion, so equal
 * versions prove "unchanged" but unequal ones do not. */
export function changed(before: KubeObject, after: KubeObject): boolean {
  if (before.metadata.resourceVersion === after.metadata.resourceVersion) return false;
  const { before: was, after: is } = managedViews(before, after);
  return !isDeepStrictEqual(was, is);
}

/** Annotations the controllers write, which an undo must not carry back. */
const CONTROLLER_ANNOTATIONS = [
  "deployment.kubernetes.io/revision",
  "kubectl.kubernetes.io/last-applied-configuration",
];

/**
 * What to apply to put `before` back: the fields shipshape had applied to it (its previous applied
 * configuration), or — if shipshape never applied it — its whole previous spec.
 */
export function previousConfiguration(before: KubeObject): KubeObject {
  const fields = appliedFields(before);
  const previous = comparable(before, Object.keys(fields).length ? fields : undefined) as KubeObject;
  const annotations = { ...previous.metadata.annotations };
  for (const key of CONTROLLER_ANNOTATIONS) delete annotations[key];
  previous.metadata = { ...previous.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete previous.metadata.annotations;
  return previous;
}
