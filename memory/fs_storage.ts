/**
 * Filesystem storage for agent memory (Deno, Node, Bun). Not built yet: exports nothing so far.
 *
 * @module
 */
export {};
