// The synth job as one library call: a blueprint's settings from a config file and/or flags → resources,
// every value typed by the blueprint's spec (settings.ts) and every error placed where the user wrote
// the value (file:line:col, or the flag).
import type { Resource } from "../blueprint/app.ts";
import { BLUEPRINTS, type Blueprint, DEFAULT_BLUEPRINT, findBlueprint } from "../blueprint/registry.ts";
import { typedSettings } from "../blueprint/settings.ts";
import { InputError } from "../errors.ts";
import { nearMatches } from "../text/suggest.ts";

export interface SynthRequest {
  /** A blueprint's name (registry.ts); without it, the default blueprint (wordpress). */
  blueprint?: string;
  /** A config file (.ts/.js/.yaml/.json) with the blueprint's settings, or one that builds its own objects. */
  config?: string;
  /** Settings given on the command line, as text or typed; they override the config file's. */
  settings?: Readonly<Record<string, unknown>>;
  /** How a setting was spelled where it was given (e.g. "replicas" → "--replicas"), for error messages. */
  flagOf?: (setting: string) => string;
}

function blueprintOf(name: string | undefined): Blueprint {
  if (name === undefined) return DEFAULT_BLUEPRINT;
  const found = findBlueprint(name);
  if (found) return found;
  const names = BLUEPRINTS.map((b) => b.name);
  throw new InputError(`unknown blueprint "${name}"${nearMatches(name, names)}`, { field: "blueprint" });
}

export async function synthesize(request: SynthRequest): Promise<Resource[]> {
  const blueprint = blueprintOf(request.blueprint);
  const settings = request.settings ?? {};
  const fromFlags = new Set(Object.keys(settings));
  const flagOf = request.flagOf ?? ((setting: string) => setting);
  // The config reader (and the yaml parser under it) loads only for a config file: deploy and synth
  // of the blueprint alone start faster.
  const config = request.config
    ? await (await import("./app-file.ts")).loadConfig(request.config)
    : undefined;
  if (config?.kind === "resources") {
    if (fromFlags.size) {
      throw new InputError(`${config.file} builds its own objects; blueprint settings do not apply to it`, {
        field: flagOf([...fromFlags][0]!),
      });
    }
    return config.resources;
  }
  try {
    return blueprint.build(typedSettings(blueprint.spec, { ...config?.props, ...settings })).synth();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { field } = error.place;
    if (field && (fromFlags.has(field) || !config))
      throw new InputError(error.message, { field: flagOf(field) });
    if (!config) throw error;
    throw new InputError(error.message, { file: config.file, ...(field && config.positionOf(field)), field });
  }
}
