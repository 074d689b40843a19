import { namespaceOf } from "../object-index.ts";
import { int, list, record, text } from "../shape.ts";
import type { FindingDraft } from "../types.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const ingressBackendMissing = defineRule({
  id: "ingress-backend-missing",
  title: "Ingress backends name an existing Service and one of its ports",
  severity: "error",
  category: "network",
  targets: { kinds: ["Ingress", "IngressRoute"] },
  explain: `What breaks: an Ingress (or Traefik IngressRoute) whose backend names a Service that does not exist,
or a port that Service does not expose, answers every request for that host and path with 503 (or 404),
while \`kubectl apply\` reports success. It typically appears after renaming a Service or changing its port
name, and only real traffic finds it.

Why: the seed's final step puts WordPress behind a domain: the IngressRoute routes
Host(\`wordpress.qikqiak.com\`) to the Service wordpress on port 80 — the chain Ingress → Service → pods
works only if every name and port in it lines up (see also service-selects-nothing and
service-port-unknown for the next links).

Fix: point backend.service.name at the Service (same namespace) and backend.service.port.number/name at
one of its spec.ports (port or name). A Service absent from the input is reported as info: it may be
deployed separately.`,
  check(subject, index) {
    const { kind } = subject.object;
    if (kind !== "Ingress" && kind !== "IngressRoute") return [];
    const namespace = namespaceOf(subject);
    const findings: FindingDraft[] = [];
    for (const backend of index.ingressBackends(subject)) {
      const service = index.get("Service", namespace, backend.service);
      if (!service) {
        findings.push({
          message: `${describe(subject)} routes to Service "${backend.service}", which is not in the input: it must exist in namespace ${namespace} or requests get 503`,
          fix: `Create Service ${namespace}/${backend.service}, or fix the backend's service name.`,
          path: backend.path,
          severity: "info",
        });
        continue;
      }
      const spec = record(service.object.spec);
      // An ExternalName Service forwards to a DNS name: its ports need not be declared.
      if (backend.port === undefined || spec.type === "ExternalName") continue;
      const ports = list(spec.ports);
      const known = ports.some(
        (p) => (typeof backend.port === "number" ? int(p.port) : text(p.name)) === backend.port,
      );
      if (known) continue;
      const offered = ports.map((p) =>
        text(p.name) ? `${text(p.name)} (${int(p.port)})` : `${int(p.port)}`,
      );
      findings.push({
        message: `${describe(subject)} routes to port ${JSON.stringify(backend.port)} of ${describe(service)}, which exposes ${offered.join(", ") || "no ports"}: requests get 503`,
        fix: `Use one of the Service's ports (${offered.join(", ")}) in the backend.`,
        path: backend.path,
      });
    }
    return findings;
  },
});
