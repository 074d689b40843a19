// Synthesized resources → text: multi-document YAML with the notes as comments, or a JSON `v1` List.
// Both are deterministic: keys keep the order the constructs wrote them in, documents keep apply order.
import { Document, isCollection, isMap, isScalar, isSeq, type Node, type Pair } from "yaml";
import type { Resource } from "./app.ts";

/** "spec.template.spec.containers[0].lifecycle" → ["spec","template","spec","containers",0,"lifecycle"];
 * bracketed strings hold keys with dots: `metadata.annotations["cert-manager.io/cluster-issuer"]`. */
export function parseNotePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const [, dotted, index, quoted] of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g)) {
    if (dotted !== undefined) segments.push(dotted);
    else if (index !== undefined) segments.push(Number(index));
    else segments.push(JSON.parse(quoted!) as string);
  }
  return segments;
}

function comment(doc: Document, path: (string | number)[], text: string): void {
  const last = path[path.length - 1];
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p: Pair) => isScalar(p.key) && p.key.value === last);
    if (pair && isScalar(pair.key)) {
      pair.key.commentBefore = pair.key.commentBefore ? `${pair.key.commentBefore}\n ${text}` : ` ${text}`;
      return;
    }
  } else if (isSeq(parent) && typeof last === "number") {
    const item = parent.items[last];
    if (isCollection(item) || isScalar(item)) {
      (item as Node).commentBefore = ` ${text}`;
      return;
    }
  }
  throw new Error(`note on a field that does not exist: ${path.join(".")}`);
}

export function toYaml(resources: Resource[]): string {
  return resources
    .map(({ object, notes }) => {
      const doc = new Document(object);
      for (const note of notes) comment(doc, parseNotePath(note.path), note.text);
      return doc.toString({ lineWidth: 0 });
    })
    .join("---\n");
}

export function toJsonList(resources: Resource[]): string {
  const list = { apiVersion: "v1", kind: "List", items: resources.map((r) => r.object), metadata: {} };
  return `${JSON.stringify(list, null, 2)}\n`;
}
