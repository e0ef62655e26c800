/**
 * AgentPin: domain-anchored agent identity. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};
