// "deploy/wordpress" → a Deployment named wordpress: the kubectl spellings verify accepts.
import { InputError } from "../errors.ts";

const DEPLOYMENT = new Set(["deploy", "deployment", "deployments", "deployment.apps", "deployments.apps"]);

/** The Deployment a `verify rollout|autoscale` argument names; a bare name means a Deployment. */
export function parseDeploymentRef(text: string | undefined): string {
  if (!text) throw new InputError("name the Deployment, e.g. deploy/wordpress");
  const slash = text.indexOf("/");
  const kind = slash < 0 ? "deployment" : text.slice(0, slash).toLowerCase();
  const name = slash < 0 ? text : text.slice(slash + 1);
  if (!DEPLOYMENT.has(kind))
    throw new InputError(`"${text}": only Deployments can be verified (deploy/NAME)`);
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name) || name.length > 253)
    throw new InputError(`"${name}" is not a valid object name`);
  return name;
}
