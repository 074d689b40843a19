// The blueprints shipshape can synthesize by name. A new blueprint is one file under blueprints/ that
// exports a Blueprint, plus one line here: synth's help, flags and dispatch, deploy's input and the
// config file's settings all loop over this list.
import type { Blueprint } from "./blueprint.ts";
import { wordpressBlueprint } from "./blueprints/wordpress.ts";

export type { Blueprint };

export const BLUEPRINTS: readonly Blueprint[] = [wordpressBlueprint];

/** The blueprint a config file's settings go to when none is named. */
export const DEFAULT_BLUEPRINT: Blueprint = wordpressBlueprint;

export function findBlueprint(name: string): Blueprint | undefined {
  return BLUEPRINTS.find((b) => b.name === name);
}
