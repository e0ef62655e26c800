/**
 * Skills: ClawHavoc scanning, loading and SchemaPin signatures. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};
