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

// The API server answers 500 when server-side apply cannot type the object (a number where a string
// belongs): the input's fault all the same.
const UNTYPABLE = "failed to create typed patch object";

/** An apply's error as the user should see it: a conflict, or an input error naming the object for
 * what the API server refused; a Secret's values redacted from any of it. */
export function refusal(error: unknown, object: KubeObject): unknown {
  if (!(error instanceof ApiError)) return error;
  const message = redactSecretValues(error.message, object);
  if (error.status === 409) return new ApplyConflict(object, message);
  if ([400, 403, 404, 422].includes(error.status) || message.startsWith(UNTYPABLE))
    return new InputError(`${error.reason}: ${message}`, { object: describeObject(object) });
  return new ApiError(error.status, error.reason, message, error.details);
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
    throw refusal(error, object);
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
