// The name syntaxes the apiserver checks in code (k8s.io/apimachinery/pkg/util/validation), each a function
// returning what is wrong with a value, or undefined when it is valid. The messages say the rule, as the
// apiserver's do, so a finding teaches the syntax.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The name part of a qualified name (label and annotation keys) and a non-empty label value. */
const QUALIFIED_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PORT_NAME_CHARS = /^[-a-z0-9]+$/;

/** A DNS label of at most 63 characters matching `pattern`, described as `what`. */
function dnsLabel(value: string, pattern: RegExp, what: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  return pattern.test(value) ? undefined : `must be ${what}`;
}

/** An RFC 1123 label: a Namespace, a StatefulSet, a Service, a container, a volume, a Service port name. */
export function dns1123Label(value: string): string | undefined {
  return dnsLabel(
    value,
    DNS1123_LABEL,
    "a lowercase RFC 1123 label (lowercase letters, digits and '-', starting and ending with a letter or digit)",
  );
}

/** An RFC 1123 subdomain: most object names (Deployment, ConfigMap, Pod…) and label key prefixes. */
export function dns1123Subdomain(value: string): string | undefined {
  if (value.length > 253) return "must be no more than 253 characters";
  if (!value.split(".").every((label) => DNS1123_LABEL.test(label))) {
    return "must be a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending with a letter or digit)";
  }
  return undefined;
}

/** A path segment: RBAC object names may hold anything but '/' and '%', and may not be '.' or '..'. */
export function pathSegmentName(value: string): string | undefined {
  if (value === "." || value === "..") return `may not be '${value}'`;
  if (/[/%]/.test(value)) return "may not contain '/' or '%'";
  return undefined;
}

/** IANA_SVC_NAME (RFC 6335): a container port name, which Services and probes may refer to. */
export function portName(value: string): string | undefined {
  if (value.length > 15) return "must be no more than 15 characters (IANA_SVC_NAME)";
  if (!PORT_NAME_CHARS.test(value))
    return "must contain only lowercase letters, digits and '-' (IANA_SVC_NAME)";
  if (!/[a-z]/.test(value)) return "must contain at least one letter (IANA_SVC_NAME)";
  if (value.includes("--")) return "must not contain consecutive hyphens (IANA_SVC_NAME)";
  if (value.startsWith("-") || value.endsWith("-")) {
    return "must not begin or end with a hyphen (IANA_SVC_NAME)";
  }
  return undefined;
}

/** A qualified name: a label or annotation key, `[prefix/]name` with a DNS subdomain as prefix. */
export function qualifiedName(value: string): string | undefined {
  const parts = value.split("/");
  if (parts.length > 2) return "must be a name with at most one '/' (an optional DNS subdomain prefix)";
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) return "prefix part must be non-empty";
    const wrong = dns1123Subdomain(prefix);
    if (wrong) return `prefix part ${wrong}`;
  }
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!QUALIFIED_PART.test(name)) {
    return "name part must consist of letters, digits, '-', '_' or '.', and must start and end with a letter or digit";
  }
  return undefined;
}

/** A label value: empty, or up to 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric. */
export function labelValue(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (value !== "" && !QUALIFIED_PART.test(value)) {
    return "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  }
  return undefined;
}
