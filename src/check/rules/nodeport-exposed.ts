import { record } from "../shape.ts";
import { defineRule } from "../types.ts";
import { describe } from "./helpers.ts";

export const nodeportExposed = defineRule({
  id: "nodeport-exposed",
  title: "Services are exposed through an Ingress or load balancer, not NodePort",
  severity: "warning",
  category: "network",
  targets: { kinds: ["Service"] },
  explain: `What breaks: a NodePort Service opens a high port (30000–32767) on every node's IP. Users reach the
site at http://<some-node>:30892 — plain HTTP, no TLS, no hostname, tied to whichever node IP they were
given; when that node is drained or replaced the address dies. Every node becomes an entry point that
firewalls must know about, and the port number changes if the Service is recreated.

Why: the seed starts with a NodePort Service to try WordPress out, then says "the NodePort type is not
suitable for production" and exposes it through an Ingress (Traefik IngressRoute) with a domain name,
ACME certificates and an http→https redirect.

Fix: make the Service type ClusterIP and expose it with an Ingress (networking.k8s.io/v1 with TLS, e.g.
cert-manager) or an IngressRoute; use type LoadBalancer only for non-HTTP traffic.`,
  check(subject) {
    if (subject.object.kind !== "Service" || record(subject.object.spec).type !== "NodePort") return [];
    return [
      {
        message: `${describe(subject)} is type NodePort: it is reachable on a high port of every node, without TLS or a hostname`,
        fix: "Use type ClusterIP and expose it through an Ingress with TLS.",
        path: ["spec", "type"],
      },
    ];
  },
});
