// Types of the generated src/k8s/schema-validators.js (scripts/gen-schema-validators.ts).
import type { ErrorObject } from "ajv";

/** An ajv error, without the schemaPath that the generator drops (nothing reads it). */
export type KindError = Omit<ErrorObject, "schemaPath">;

/** An ajv standalone validator: whether `data` is valid; its `errors` say why not. */
export interface KindValidator {
  (data: unknown): boolean;
  errors?: KindError[] | null;
}

/** sha256 of the inputs the module was generated from (schema data and generator). */
export declare const INPUTS_SHA256: string;

/** "apps/v1/Deployment" → its validator, for every built-in kind with a schema. */
export declare const validators: Record<string, KindValidator>;
