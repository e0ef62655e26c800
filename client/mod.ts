/**
 * The Symbiont runtime client: configuration with environment fallbacks, one transport with
 * timeouts, retries and typed errors, response validation, and the runtime's routes.
 *
 * ```ts ignore
 * import { Client, NotFoundError } from "@symbiont/sdk/client";
 *
 * const client = new Client(); // SYMBIONT_API_KEY, SYMBIONT_BASE_URL, ...
 * const health = await client.healthCheck();
 * console.log(health.status, health.version);
 * ```
 *
 * @module
 */
export { Client } from "./client.ts";
export {
  APIError,
  apiErrorFromStatus,
  type APIErrorInit,
  AuthenticationError,
  ConfigError,
  ConflictError,
  ConnectionError,
  InvalidArgumentError,
  NotFoundError,
  NotOfferedError,
  type NotOfferedErrorInit,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  type RequestDescription,
  RequestValidationError,
  ResponseValidationError,
  ServerError,
  SymbiontError,
  type SymbiontErrorOptions,
  TimeoutError,
  type ValidationIssue,
} from "./errors.ts";
export {
  type ClientOptions,
  DEFAULT_BASE_URL,
  DEFAULT_HTTP_INPUT_URL,
  type Logger,
  normalizeBaseUrl,
  resolveClientOptions,
  type ResolvedClientOptions,
  ValidationMode,
} from "./options.ts";
export {
  loadConfig,
  type LoadConfigOptions,
  parseConfigYaml,
  parseDotEnv,
} from "./config_files.ts";
export {
  type HttpMethod,
  type RequestOptions,
  retryDelay,
  SDK_VERSION,
  Transport,
  type TransportConfig,
  type TransportRequest,
  type TransportResponse,
} from "./transport.ts";
export { ResponseValidator } from "./validation.ts";
export {
  HealthResponse,
  OpenApiDocument,
  RuntimeMetrics,
  SchedulerHealthResponse,
  StatusResponse,
  SystemClient,
} from "./system.ts";
export {
  AgentActionResponse,
  AgentEvent,
  AgentEventType,
  AgentExecutionRecord,
  AgentsClient,
  AgentState,
  AgentStatusResponse,
  AgentSummary,
  CreateAgentRequest,
  ExecuteAgentResponse,
  ExecutionMode,
  executionMode,
  HeartbeatRequest,
  PushEventRequest,
  UpdateAgentRequest,
} from "./agents.ts";
export {
  MESSAGE_BODY_LIMIT_BYTES,
  MessageEnvelope,
  MessagesClient,
  MessageStatusResponse,
  SendMessageRequest,
  SendMessageResponse,
} from "./messages.ts";
export {
  CreateScheduleRequest,
  CreateScheduleResponse,
  DeleteScheduleResponse,
  ScheduleActionResponse,
  ScheduleClient,
  ScheduleDetail,
  ScheduleRunEntry,
  ScheduleStatus,
  ScheduleSummary,
  UpdateScheduleRequest,
} from "./schedules.ts";
export {
  AddIdentityMappingRequest,
  ChannelActionResponse,
  ChannelAuditResponse,
  ChannelClient,
  ChannelDetail,
  ChannelHealthResponse,
  ChannelSummary,
  DeleteChannelResponse,
  IdentityMappingEntry,
  RegisterChannelRequest,
  RegisterChannelResponse,
  UpdateChannelRequest,
} from "./channels.ts";
export { WorkflowExecutionRequest, WorkflowExecutionResult, WorkflowsClient } from "./workflows.ts";
export { ApprovalsClient, type DecisionOptions, HeldAction } from "./approvals.ts";
export * from "./cron.ts";
export {
  HttpInputClient,
  type InvokeOptions,
  SYSTEM_PROMPT_LIMIT_BYTES,
  TerminationReason,
  WebhookCompletedResponse,
  WebhookExecutionStartedResponse,
  WebhookInvocationRequest,
  WebhookInvocationResponse,
  WebhookInvocationStatus,
  WebhookToolRun,
} from "./http_input.ts";
export {
  type RemoteOption,
  type RemoteToolInfo,
  ToolCladClient,
  ToolExecutionResult,
} from "./toolclad.ts";
export { CommunicationClient, type RemoteCommunicationEvaluation } from "./communication.ts";
export * from "./communication_gate.ts";
export {
  CedarPolicy,
  JournalEntry,
  type JournalQuery,
  type KnowledgeTriple,
  type LoopConfig,
  type LoopDiagnostics,
  type LoopResult,
  ReasoningClient,
  type RunReasoningLoopRequest,
  RunReasoningLoopResponse,
  type ToolProfile,
  type Usage,
} from "./reasoning.ts";
export {
  type ChatChunkEvent,
  ChatClient,
  type ChatConnectOptions,
  type ChatErrorEvent,
  type ChatEvent,
  type ChatSendOptions,
  ChatSession,
  type PolicyDecisionEvent,
  type ToolCallResultEvent,
  type ToolCallStartedEvent,
  type UnknownChatEvent,
} from "./chat.ts";
export type { ClientContext, ContextSource } from "./_context.ts";
export type { WireModel, WireModelIssue, WireModelResult } from "./_models.ts";
export { AgentPinClient, type AgentPinClientOptions } from "../agentpin/client.ts";
export { MetricsClient } from "../metrics/metrics_client.ts";
