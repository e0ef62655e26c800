/**
 * `@symbiont/sdk`: the TypeScript SDK for Symbiont, the policy-governed agent runtime.
 *
 * @module
 */
export {};
