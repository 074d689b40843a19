// The apps on a cluster, as their inventories and releases record them: list them, and delete one.
// A delete removes only what is provably the app's (inventory.ts) and keeps data unless asked.
import { InputError } from "../errors.ts";
import { orderForDelete } from "../k8s/apply-order.ts";
import type { Cluster } from "./client.ts";
import {
  describeRef,
  INVENTORY_LABEL,
  inventoryObject,
  isData,
  notProvablyOurs,
  type ObjectRef,
  readInventory,
  scopeOf,
} from "./inventory.ts";
import { inventoryRef } from "./plan.ts";
import { deleteRelease, listReleases, type Release } from "./releases.ts";

export interface AppSummary {
  app: string;
  namespace: string;
  objects: number;
  /** The last release recorded, if any. */
  last?: Pick<Release, "number" | "status" | "description" | "time">;
}

/** Every app whose inventory is in `namespace` (every namespace when undefined). */
export async function listApps(cluster: Cluster, namespace: string | undefined): Promise<AppSummary[]> {
  const [inventories, releases] = await Promise.all([
    cluster.list("v1", "ConfigMap", namespace, { labelSelector: INVENTORY_LABEL }),
    listReleases(cluster, namespace),
  ]);
  return inventories.items
    .map((inventory): AppSummary => {
      const app = inventory.metadata.labels?.[INVENTORY_LABEL] ?? "";
      const ns = inventory.metadata.namespace ?? "";
      const last = releases.filter((r) => r.app === app && r.namespace === ns).at(-1);
      const summary: AppSummary = { app, namespace: ns, objects: readInventory(inventory).length };
      if (last)
        summary.last = {
          number: last.number,
          status: last.status,
          description: last.description,
          time: last.time,
        };
      return summary;
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.app.localeCompare(b.app));
}

export interface DeletePlan {
  app: string;
  namespace: string;
  remove: ObjectRef[];
  keep: ObjectRef[];
  ignored: Array<{ ref: ObjectRef; why: string }>;
}

/** What `delete --app` would remove, keep and leave alone. */
export async function planDelete(
  cluster: Cluster,
  app: string,
  namespace: string,
  options: { pruneData?: boolean },
): Promise<DeletePlan> {
  const inventory = await cluster.get(inventoryRef(app, namespace));
  if (!inventory)
    throw new InputError(`no app "${app}" in namespace ${namespace} (\`shipshape apps -A\` lists the apps)`);
  const releases = await listReleases(cluster, namespace, app);
  // Scope: where the app's last release put objects (the inventory alone is not trusted for that).
  const lastObjects = releases.at(-1)?.objects() ?? [];
  const scope = scopeOf(lastObjects, namespace);
  const result: DeletePlan = { app, namespace, remove: [], keep: [], ignored: [] };
  await Promise.all(
    readInventory(inventory).map(async (ref) => {
      if (!(await cluster.resourceFor(ref.apiVersion, ref.kind))) return;
      const metadata = ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
      const live = await cluster.get({ apiVersion: ref.apiVersion, kind: ref.kind, metadata });
      if (!live) return;
      const why = notProvablyOurs(ref, live, app, scope);
      if (why) result.ignored.push({ ref, why });
      else if (isData(ref) && !options.pruneData) result.keep.push(ref);
      else result.remove.push(ref);
    }),
  );
  result.remove = orderForDelete(result.remove);
  return result;
}

/** Deletes what the plan removes; the inventory stays (listing only the kept data) while data remains,
 * so a later `delete --prune-data` still finds it. Release records go with the app. */
export async function deleteApp(
  cluster: Cluster,
  p: DeletePlan,
  onDelete?: (name: string) => void,
): Promise<void> {
  for (const ref of p.remove) {
    const metadata = ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name };
    await cluster.delete({ apiVersion: ref.apiVersion, kind: ref.kind, metadata });
    onDelete?.(describeRef(ref));
  }
  const releases = await listReleases(cluster, p.namespace, p.app);
  await Promise.all(releases.map((r) => deleteRelease(cluster, r)));
  if (p.keep.length) await cluster.apply(inventoryObject(p.app, p.namespace, p.keep), { force: true });
  else await cluster.delete(inventoryRef(p.app, p.namespace));
}
