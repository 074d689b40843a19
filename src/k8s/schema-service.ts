// A Service as the apiserver validates it in code (validateService in pkg/apis/core/validation): a known
// type, at least one port unless headless or ExternalName, ports 1–65535 named as DNS labels (named, and
// uniquely, once there are several), node ports only where a node port exists.
import { dns1123Label } from "./schema-names.ts";
import { numberOrName, PROTOCOLS } from "./schema-pod.ts";
import {
  eachObject,
  items,
  type Json,
  labelMap,
  oneOf,
  portNumber,
  str,
  type Violations,
} from "./schema-values.ts";

const TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;
const AFFINITIES = ["ClientIP", "None"] as const;
const TRAFFIC_POLICIES = ["Cluster", "Local"] as const;

export function validateServiceSpec(out: Violations, spec: Json): void {
  const type = str(spec.type) ?? "ClusterIP";
  oneOf(out, ["spec", "type"], type, TYPES);
  oneOf(out, ["spec", "sessionAffinity"], spec.sessionAffinity, AFFINITIES);
  oneOf(out, ["spec", "internalTrafficPolicy"], spec.internalTrafficPolicy, TRAFFIC_POLICIES);
  oneOf(out, ["spec", "externalTrafficPolicy"], spec.externalTrafficPolicy, TRAFFIC_POLICIES);
  const nodePorts = type === "NodePort" || type === "LoadBalancer";
  if (spec.externalTrafficPolicy !== undefined && !nodePorts && items(spec.externalIPs).length === 0) {
    out.add(
      ["spec", "externalTrafficPolicy"],
      `may only be set on a Service reachable from outside (NodePort, LoadBalancer or externalIPs), not ${type}`,
    );
  }
  if (type === "ExternalName" && !str(spec.externalName)) {
    out.add(["spec", "externalName"], "required when type is ExternalName");
  }
  labelMap(out, ["spec", "selector"], spec.selector);
  const ports = items(spec.ports);
  if (ports.length === 0 && type !== "ExternalName" && spec.clusterIP !== "None") {
    out.add(
      ["spec", "ports"],
      "required: at least one port (unless the Service is headless or ExternalName)",
    );
  }
  const names = new Set<string>();
  eachObject(ports, ["spec", "ports"], (port, at) => {
    const name = str(port.name);
    if (name === undefined || name === "") {
      if (ports.length > 1)
        out.add([...at, "name"], "required: a Service with several ports must name each one");
    } else {
      const bad = dns1123Label(name);
      if (bad) out.add([...at, "name"], bad);
      else if (names.has(name)) out.add([...at, "name"], `duplicate port name ${JSON.stringify(name)}`);
      names.add(name);
    }
    portNumber(out, [...at, "port"], port.port);
    oneOf(out, [...at, "protocol"], port.protocol, PROTOCOLS);
    // 0 and "" are defaulted to the port itself.
    if (port.targetPort !== 0 && port.targetPort !== "")
      numberOrName(out, [...at, "targetPort"], port.targetPort);
    if (port.nodePort === undefined || port.nodePort === 0) return;
    if (nodePorts) portNumber(out, [...at, "nodePort"], port.nodePort);
    else out.add([...at, "nodePort"], `may not be used when type is ${type}`);
  });
}
