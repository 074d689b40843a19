import { namespaceOf, type ObjectIndex } from "../object-index.ts";
import { record, text } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const statefulsetServiceMissing = defineRule({
  id: "statefulset-service-missing",
  title: "A StatefulSet's serviceName names a headless Service",
  severity: "warning",
  category: "network",
  targets: { kinds: ["StatefulSet"] },
  explain: `What breaks: a StatefulSet's pods get their stable DNS names (mysql-0.mysql.<namespace>.svc) from
the headless Service its spec.serviceName names. If that Service does not exist, or has a cluster IP,
those names never resolve: replicas that find each other by name (MySQL replication, ZooKeeper, etcd,
Elasticsearch discovery) cannot form a cluster, and clients that address one member directly fail.

Why: the seed runs MySQL as a StatefulSet reached through a Service DNS name; the StatefulSet's governing
Service is what makes each member addressable.

Fix: add a Service with clusterIP: None, the name spec.serviceName gives, and a selector matching the pod
template (a second, ordinary Service may still serve clients). Judged only when the input has Services in
the StatefulSet's namespace: otherwise its Services are deployed separately.`,
  check(subject, index) {
    if (subject.object.kind !== "StatefulSet") return [];
    const name = text(record(subject.object.spec).serviceName);
    if (!name) return [];
    const namespace = namespaceOf(subject);
    if (!namespacesWithServices(index).has(namespace)) return [];
    const service = index.get("Service", namespace, name);
    if (service && record(service.object.spec).clusterIP === "None") return [];
    return [
      {
        message: service
          ? `${describe(subject)} names ${describe(service)} as its serviceName, but that Service is not headless (clusterIP: None): its pods' stable DNS names will not resolve`
          : `${describe(subject)} names Service "${name}" as its serviceName, but the input has no such Service in namespace ${namespace}: its pods' stable DNS names will not resolve`,
        fix: `Add (or change) Service "${name}" with clusterIP: None and a selector matching the pod template.`,
        path: ["spec", "serviceName"],
      },
    ];
  },
});

const withServices = new WeakMap<ObjectIndex, Set<string>>();

/** Namespaces the input has Services in, gathered once per index (a scan per StatefulSet is quadratic). */
function namespacesWithServices(index: ObjectIndex): Set<string> {
  let found = withServices.get(index);
  if (!found) {
    found = new Set(index.byKind("Service").map(namespaceOf));
    withServices.set(index, found);
  }
  return found;
}
