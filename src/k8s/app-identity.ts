// Which app an object belongs to: the protocol between synth (which labels what it emits), deploy (which
// labels what it applies and prunes only what carries its label) and the lifecycle commands.
// An app is named by the user (--app) or declared by its objects, never guessed from a file name.
import { InputError } from "../errors.ts";
import type { KubeObject } from "./object.ts";
import { describeObject } from "./object.ts";

/** On every object shipshape synthesizes or applies: the app it belongs to. */
export const APP_LABEL = "shipshape.dev/app";

// A label value that is also a DNS label, so it can name the inventory ConfigMap and release Secrets.
const APP_NAME = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

/** Refuses a name that cannot be a label value and part of an object name. */
export function checkAppName(name: string, where = "--app"): string {
  if (!APP_NAME.test(name))
    throw new InputError(
      `app name "${name}" must be 1-40 lower-case letters, digits or '-', starting and ending with a letter or digit`,
      { field: where },
    );
  return name;
}

export function appOf(object: KubeObject): string | undefined {
  return object.metadata.labels?.[APP_LABEL];
}

/**
 * The app these objects are deployed as: `given` (--app), else the one their labels declare.
 * Objects declaring another app than the one given, or two apps at once, are refused.
 */
export function resolveApp(objects: readonly KubeObject[], given: string | undefined): string {
  const declared = new Map<string, KubeObject>();
  for (const object of objects) {
    const app = appOf(object);
    if (app !== undefined && !declared.has(app)) declared.set(app, object);
  }
  if (given !== undefined) {
    checkAppName(given);
    for (const [app, object] of declared) {
      if (app !== given)
        throw new InputError(`labelled ${APP_LABEL}=${app}, but --app is "${given}"`, {
          object: describeObject(object),
        });
    }
    return given;
  }
  if (declared.size === 0)
    throw new InputError(
      `name the app with --app NAME: the input declares none (no object carries the label ${APP_LABEL})`,
    );
  if (declared.size > 1) {
    const apps = [...declared.keys()].join(", ");
    throw new InputError(`the input declares several apps (${apps}): deploy one at a time, or pass --app`);
  }
  return checkAppName([...declared.keys()][0]!, APP_LABEL);
}

/** A copy labelled as `app`'s (top-level metadata only: selectors and pod templates are left alone). */
export function labelled<T extends KubeObject>(object: T, app: string): T {
  return {
    ...object,
    metadata: { ...object.metadata, labels: { ...object.metadata.labels, [APP_LABEL]: app } },
  };
}
