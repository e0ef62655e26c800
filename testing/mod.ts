/**
 * Testing helpers: serve a fetch handler (and WebSockets) with the runtime's own HTTP server, and
 * local doubles that answer the Symbiont runtime's wire contract in memory: the management API
 * with Coordinator Chat (`runtime-api.md` sections 2 and 7, port 8080) and the HTTP Input server
 * (section 5, port 8081).
 *
 * ```ts ignore
 * import { createHttpInputDouble, createRuntimeDouble, serve } from "@symbiont/sdk/testing";
 * const double = createRuntimeDouble({
 *   apiToken: "dev-token",
 *   readyAfterMs: 0,
 *   chat: { "list agents": "No agents are running." },
 * });
 * const server = await serve(double); // REST, and /ws/chat?token=dev-token
 * const input = createHttpInputDouble({ authHeader: "Bearer input-token" });
 * const inputServer = await serve(input.fetch);
 * // point the client at `${server.url}/api/v1` with the key "dev-token",
 * // and at `${inputServer.url}/webhook` with the HTTP Input token "input-token"
 * await inputServer.close();
 * await server.close();
 * ```
 *
 * @module
 */
export { serve } from "./serve.ts";
export type {
  FetchHandler,
  RunningServer,
  Servable,
  ServeOptions,
  WebSocketConnection,
  WebSocketHandler,
  WebSocketUpgrade,
} from "./serve.ts";
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
export type {
  ChatConnection,
  ChatHistoryMessage,
  ChatIteration,
  ChatScript,
  ChatToolCall,
  ChatTurn,
  ChatTurnContext,
} from "./_chat_double.ts";
export { createHttpInputDouble } from "./http_input_double.ts";
export type {
  HttpInputDouble,
  HttpInputDoubleOptions,
  HttpInputInvocation,
  HttpInputOutcome,
  HttpInputRequestRecord,
  HttpInputRoutingRule,
  HttpInputScript,
  HttpInputTerminationReason,
  HttpInputToolRun,
} from "./http_input_double.ts";
