/**
 * Metrics: runtime snapshots, exporters and a collector. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};
