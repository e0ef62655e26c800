/**
 * Local Cedar policy checks with the official engine. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};
