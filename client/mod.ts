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
  RuntimeMetrics,
  SchedulerHealthResponse,
  StatusResponse,
  SystemClient,
} from "./system.ts";
export type { ClientContext, ContextSource } from "./_context.ts";
