/**
 * ToolClad: local manifest parsing, validation, schemas and dry runs. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};
