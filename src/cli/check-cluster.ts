// `shipshape check --cluster`: the live objects of a namespace (-n, or the context's) or of every
// namespace (-A) as check input, with what the cluster knows about them.
import { liveSource } from "../check/live.ts";
import type { LiveFacts } from "../k8s/live-facts.ts";
import type { SourceObject } from "../manifest/types.ts";
import { connect, namespaceScope } from "./kube-options.ts";

export interface ClusterInput {
  sources: SourceObject[];
  live: Map<string, LiveFacts>;
}

export async function readClusterInput(values: {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  "all-namespaces"?: boolean;
}): Promise<ClusterInput> {
  const cluster = await connect(values);
  try {
    const { readLiveObjects, liveCheckInput } = await import("../cluster/live-objects.ts");
    const namespace = namespaceScope(values, cluster);
    const listing = await readLiveObjects(cluster, namespace);
    if (listing.forbidden.length > 0)
      process.stderr.write(
        `shipshape: warning: not allowed to list ${listing.forbidden.join(", ")}: checked without them\n`,
      );
    const { objects, facts } = liveCheckInput(listing.objects, namespace);
    return { sources: objects.map(liveSource), live: facts };
  } finally {
    await cluster.close();
  }
}
