// Errors are values with a place until the edge (the CLI), which turns them into one line and an exit code.

/** Where something went wrong: a file position, an object, or both. */
export interface Place {
  file?: string;
  line?: number;
  col?: number;
  /** e.g. "Deployment kube-example/wordpress" */
  object?: string;
  /** e.g. "spec.replicas" */
  field?: string;
}

export function formatPlace(place: Place): string {
  const parts: string[] = [];
  if (place.file) {
    parts.push(place.line ? `${place.file}:${place.line}:${place.col ?? 1}` : place.file);
  }
  if (place.object) parts.push(place.object);
  if (place.field) parts.push(place.field);
  return parts.join(": ");
}

/** Bad input or usage: the user can fix it; exit code 2. */
export class InputError extends Error {
  readonly place: Place;
  readonly exitCode = 2;
  constructor(message: string, place: Place = {}) {
    super(message);
    this.name = "InputError";
    this.place = place;
  }
  /** The one line the CLI prints. */
  oneLine(): string {
    const where = formatPlace(this.place);
    return where ? `${where}: ${this.message}` : this.message;
  }
}
