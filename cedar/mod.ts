/**
 * Local Cedar checks with the official engine (`@cedar-policy/cedar-wasm`): would the runtime's
 * Cedar gate allow this tool call (or delegation, respond, terminate) for this agent, before the
 * policy file is deployed? Uses the runtime's entity model — principal `Agent::"<uuid>"`, action
 * `Action::"tool_call::<name>"` / `"delegate::<target>"` / `"respond"` / `"terminate"`, resource
 * `Resource::"default"`, no entities — and its fail-closed rules: no active policies deny, a
 * policy that does not parse denies everything.
 *
 * Runs on Deno, Node and Bun with no set-up (the `web` build of the engine, fed the `.wasm` bytes
 * read from `node_modules`). On Cloudflare Workers, import the `.wasm` with your bundler and pass
 * it to {@link initCedar}. This export is the only import path that loads the engine.
 *
 * @example Would the gate allow it?
 * ```ts ignore
 * import { checkToolCall } from "@symbiont/sdk/cedar";
 *
 * const result = await checkToolCall({
 *   policies: 'permit(principal, action == Action::"tool_call::whois_lookup", resource);',
 *   agentId: "6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f",
 *   toolName: "whois_lookup",
 * });
 * console.log(result.decision, result.reasons); // "allow" ["policy"]
 * ```
 *
 * @module
 */
export { CedarError, CedarErrorCode, initCedar } from "./engine.ts";
export type { InitCedarOptions } from "./engine.ts";
export { cedarActionId, checkAction, checkToolCall, validatePolicies } from "./check.ts";
export type {
  CedarAction,
  CedarDecision,
  CedarPolicies,
  CedarPolicy,
  CheckActionInput,
  CheckToolCallInput,
} from "./check.ts";
