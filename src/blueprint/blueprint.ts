// What a blueprint is to the rest of shipshape: a name, a typed settings spec with defaults, and a
// function from checked settings to an App. blueprints/<name>.ts each export one; registry.ts lists them.
import type { App } from "./app.ts";
import type { PropsSpec } from "./props.ts";

export interface Blueprint {
  /** The name on the command line: `shipshape synth wordpress`. */
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Every setting, its type and its one-line help: flags, --set and config keys are parsed by it. */
  spec: PropsSpec;
  /** The blueprint's own defaults, shown in `--help`. */
  defaults: Readonly<Record<string, unknown>>;
  /** Checks the settings (unknown keys, types, ranges) and composes the app. */
  build(settings: Record<string, unknown>): App;
  /** Paragraphs for `synth --help` about what the blueprint does beyond its settings. */
  notes?: string;
}
