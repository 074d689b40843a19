// The synth job as one library call: blueprint settings from a config file and/or flags → resources,
// with every error placed where the user wrote the value (file:line:col, or the flag).
import type { Resource } from "../blueprint/app.ts";
import { type WordPressProps, wordpress } from "../blueprint/blueprints/wordpress.ts";
import { InputError } from "../errors.ts";

export interface SynthRequest {
  /** A config file (.ts/.js/.yaml/.json); without it, the WordPress blueprint with `settings`. */
  config?: string;
  /** Settings given on the command line; they override the config file's. */
  settings?: WordPressProps;
  /** How a setting was spelled where it was given (e.g. "replicas" → "--replicas"), for error messages. */
  flagOf?: (setting: string) => string;
}

export async function synthesize(request: SynthRequest): Promise<Resource[]> {
  const settings = request.settings ?? {};
  const fromFlags = new Set(Object.keys(settings));
  const flagOf = request.flagOf ?? ((setting: string) => setting);
  // The config reader (and the yaml parser under it) loads only for a config file: deploy and synth
  // of the blueprint alone start faster.
  const config = request.config ? await (await import("./load.ts")).loadConfig(request.config) : undefined;
  if (config?.kind === "resources") {
    if (fromFlags.size) {
      throw new InputError(`${config.file} builds its own objects; blueprint settings do not apply to it`, {
        field: flagOf([...fromFlags][0]!),
      });
    }
    return config.resources;
  }
  try {
    return wordpress({ ...config?.props, ...settings }).synth();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const { field } = error.place;
    if (field && (fromFlags.has(field) || !config))
      throw new InputError(error.message, { field: flagOf(field) });
    if (!config) throw error;
    throw new InputError(error.message, { file: config.file, ...(field && config.positionOf(field)), field });
  }
}
