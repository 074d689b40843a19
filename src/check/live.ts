// Live objects as check input: they come from the cluster, not a file, so they have no position and
// every report names them by kind, namespace and name.
import type { KubeObject } from "../k8s/object.ts";
import type { SourceObject } from "../manifest/types.ts";

/** The `file` of a live object. */
export const LIVE_FILE = "(cluster)";

const NO_POSITION = { line: 0, col: 0 };

export function liveSource(object: KubeObject): SourceObject {
  return { object, file: LIVE_FILE, position: NO_POSITION, positionOf: () => NO_POSITION };
}

export function isLive(place: { file: string }): boolean {
  return place.file === LIVE_FILE;
}
