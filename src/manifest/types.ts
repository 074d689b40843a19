// A Kubernetes object as read from a file, remembering where it came from so every finding and error
// can name file:line:col.
import type { KubeObject } from "../k8s/object.ts";

export interface Position {
  line: number;
  col: number;
}

export interface SourceObject {
  object: KubeObject;
  /** The file it was read from ("-" for stdin). */
  file: string;
  /** Where the object (its document or List item) starts. */
  position: Position;
  /** Where a field inside the object is, e.g. ["spec","template","spec","containers",0,"image"];
   * falls back to the nearest ancestor that exists, then to the object's position. */
  positionOf(path: ReadonlyArray<string | number>): Position;
}
