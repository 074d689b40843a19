// The library API: every CLI command is a call into what is exported here.
export { InputError, type Place } from "./errors.ts";
export { hasSchema, type SchemaViolation, validateObject } from "./k8s/schema.ts";
