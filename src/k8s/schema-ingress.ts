// An Ingress as the apiserver validates it in code (pkg/apis/networking/validation): hosts are lowercase
// DNS names (a leading "*." allowed), paths are absolute and, for Exact and Prefix, clean, pathType is
// one of three, and a service backend names its port by a number 1–65535 or an IANA_SVC_NAME.
import { dns1123Subdomain, portName } from "./schema-names.ts";
import {
  eachObject,
  items,
  type Json,
  num,
  obj,
  oneOf,
  portNumber,
  str,
  type Violations,
} from "./schema-values.ts";

const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"] as const;
const UNCLEAN = ["//", "/./", "/../", "%2f", "%2F"] as const;

export function validateIngressSpec(out: Violations, spec: Json): void {
  eachObject(spec.rules, ["spec", "rules"], (rule, at) => {
    host(out, [...at, "host"], rule.host);
    eachObject(obj(rule.http)?.paths, [...at, "http", "paths"], (path, here) => {
      ingressPath(out, here, path);
      backend(out, [...here, "backend"], path.backend);
    });
  });
  eachObject(spec.tls, ["spec", "tls"], (tls, at) => {
    items(tls.hosts).forEach((value, i) => {
      host(out, [...at, "hosts", i], value);
    });
  });
  backend(out, ["spec", "defaultBackend"], spec.defaultBackend);
}

function host(out: Violations, at: readonly (string | number)[], value: unknown): void {
  const name = str(value);
  if (!name) return;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name) || name.includes(":")) {
    out.add(at, `must be a DNS name, not an IP address, got ${JSON.stringify(name)}`);
    return;
  }
  const bad = dns1123Subdomain(name.startsWith("*.") ? name.slice(2) : name);
  if (bad) out.add(at, `${JSON.stringify(name)} ${bad}`);
}

function ingressPath(out: Violations, at: readonly (string | number)[], path: Json): void {
  const type = str(path.pathType);
  oneOf(out, [...at, "pathType"], type, PATH_TYPES);
  const value = str(path.path);
  if (value === undefined || value === "") {
    if (type === "Exact" || type === "Prefix")
      out.add([...at, "path"], `required: an absolute path for pathType ${type}`);
    return;
  }
  if (!value.startsWith("/")) {
    out.add([...at, "path"], `must be an absolute path (starting with "/"), got ${JSON.stringify(value)}`);
    return;
  }
  if (type !== "Exact" && type !== "Prefix") return;
  const unclean = UNCLEAN.find((sequence) => value.includes(sequence));
  if (unclean) out.add([...at, "path"], `must not contain '${unclean}' for pathType ${type}`);
  else if (value.endsWith("/..") || value.endsWith("/.")) {
    out.add([...at, "path"], `must not end with '/.' or '/..' for pathType ${type}`);
  }
}

function backend(out: Violations, at: readonly (string | number)[], value: unknown): void {
  const service = obj(obj(value)?.service);
  if (!service) return;
  const port = obj(service.port);
  const name = str(port?.name);
  const number = num(port?.number);
  if (name) {
    const bad = portName(name);
    if (bad) out.add([...at, "service", "port", "name"], bad);
    if (number) out.add([...at, "service", "port"], "cannot set both a port name and a port number");
  } else if (!number) out.add([...at, "service", "port"], "required: a port name or number");
  else portNumber(out, [...at, "service", "port", "number"], number);
}
