// "deploy/wordpress", "pod/wordpress-mysql-0": the kubectl spellings verify accepts for its targets.
import { InputError } from "../errors.ts";

const DEPLOYMENT = new Set(["deploy", "deployment", "deployments", "deployment.apps", "deployments.apps"]);
const POD = new Set(["po", "pod", "pods"]);

/** The name in `KIND/NAME` (or a bare NAME) when KIND is one of `kinds`; else an input error. */
function parseRef(
  text: string | undefined,
  kinds: Set<string>,
  what: { kind: string; plural: string; usage: string; example: string },
): string {
  if (!text) throw new InputError(`name the ${what.kind}, e.g. ${what.example}`);
  const slash = text.indexOf("/");
  const name = slash < 0 ? text : text.slice(slash + 1);
  if (slash >= 0 && !kinds.has(text.slice(0, slash).toLowerCase()))
    throw new InputError(`"${text}": only ${what.plural} can be verified (${what.usage})`);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    throw new InputError(`"${name}" is not a valid object name`);
  return name;
}

/** The Deployment a `verify rollout|autoscale` argument names; a bare name means a Deployment. */
export function parseDeploymentRef(text: string | undefined): string {
  return parseRef(text, DEPLOYMENT, {
    kind: "Deployment",
    plural: "Deployments",
    usage: "deploy/NAME",
    example: "deploy/wordpress",
  });
}

/** The pod a `verify delete` argument names; a bare name means a pod. */
export function parsePodRef(text: string | undefined): string {
  return parseRef(text, POD, {
    kind: "pod",
    plural: "pods",
    usage: "pod/NAME",
    example: "pod/wordpress-mysql-0",
  });
}
