/**
 * Testing helpers: serve a fetch handler with the runtime's own HTTP server, and the local runtime
 * double that answers the Symbiont runtime's wire contract (`runtime-api.md` section 2) in memory.
 *
 * ```ts ignore
 * import { createRuntimeDouble, serve } from "@symbiont/sdk/testing";
 * const double = createRuntimeDouble({ apiToken: "dev-token", readyAfterMs: 0 });
 * const server = await serve(double.fetch);
 * // point the client at `${server.url}/api/v1` with the key "dev-token"
 * await server.close();
 * ```
 *
 * @module
 */
export { serve } from "./serve.ts";
export type { FetchHandler, RunningServer, ServeOptions } from "./serve.ts";
export { createRuntimeDouble } from "./runtime_double.ts";
export type {
  AgentState,
  DoubleApiKey,
  HeldActionHandle,
  HeldActionKind,
  HeldDecision,
  HoldActionInput,
  InboxMessage,
  RateLimitConfig,
  RuntimeDouble,
  RuntimeDoubleOptions,
  SeedAgentInput,
} from "./runtime_double.ts";
