/**
 * HTTP Input: invoke an agent through the runtime's webhook server (port 8081), with its own bearer
 * token and, optionally, a body signature in the runtime's format. The answer is a discriminated
 * union on `status`: `execution_started` (dispatched to a running agent) or `completed` (the runtime
 * ran a governed reasoning loop and answers with its output).
 *
 * @module
 */
import { z } from "zod";
import { signRuntimeWebhook } from "../webhooks/providers.ts";
import { type ClientContext, contextOf, type ContextSource } from "./_context.ts";
import { requireSegment } from "./_input.ts";
import { Timestamp, UInt } from "./_models.ts";
import { InvalidArgumentError } from "./errors.ts";
import { type RequestOptions, Transport } from "./transport.ts";

/**
 * The two success shapes' `status` values.
 *
 * @example Usage
 * ```ts
 * import { WebhookInvocationStatus } from "@symbiont/sdk/client";
 * console.assert(WebhookInvocationStatus.EXECUTION_STARTED === "execution_started");
 * ```
 */
export const WebhookInvocationStatus = {
  EXECUTION_STARTED: "execution_started",
  COMPLETED: "completed",
} as const;
/** `"execution_started"` or `"completed"`. */
export type WebhookInvocationStatus =
  typeof WebhookInvocationStatus[keyof typeof WebhookInvocationStatus];

/** The runtime truncates `system_prompt` to this many bytes. */
export const SYSTEM_PROMPT_LIMIT_BYTES = 4096;

/** An HTTP Input request body. */
export const WebhookInvocationRequest = z.looseObject({
  prompt: z.string().optional(),
  message: z.string().optional(),
  system_prompt: z.string().optional(),
});
/**
 * `prompt` (the user message; wins over `message`), `message`, `system_prompt` (appended to the
 * agent's system prompt; truncated by the runtime at 4096 bytes), and any other fields, passed
 * through: without `prompt` or `message` the runtime gives the model the whole payload.
 */
export type WebhookInvocationRequest = z.infer<typeof WebhookInvocationRequest>;

/** Why a reasoning loop ended. */
export const TerminationReason = z.union([
  z.enum(["Completed", "MaxIterations", "MaxTokens", "Timeout"]),
  z.strictObject({ PolicyDenial: z.looseObject({ reason: z.string() }) }),
  z.strictObject({ Error: z.looseObject({ message: z.string() }) }),
]);
/** `"Completed" | "MaxIterations" | "MaxTokens" | "Timeout" | {PolicyDenial:{reason}} | {Error:{message}}`. */
export type TerminationReason = z.infer<typeof TerminationReason>;

/** One tool call of a completed invocation. */
export const WebhookToolRun = z.looseObject({
  tool: z.string(),
  input: z.unknown(),
  output_preview: z.string(),
});
/**
 * `tool` (`toolclad:<name>` when a ToolClad tool ran; the bare name when it was denied, with an
 * `output_preview` starting `[Policy denied]`; `delegate:<target>` for delegation), the parsed
 * `input` (or null), and up to 500 bytes of output.
 */
export type WebhookToolRun = z.infer<typeof WebhookToolRun>;

/** The runtime dispatched the payload to a running agent. */
export const WebhookExecutionStartedResponse = z.looseObject({
  status: z.literal("execution_started"),
  agent_id: z.string(),
  message_id: z.string(),
  latency_ms: UInt,
  timestamp: Timestamp,
});
/** `{status: "execution_started", agent_id, message_id, latency_ms, timestamp}`. */
export type WebhookExecutionStartedResponse = z.infer<typeof WebhookExecutionStartedResponse>;

/** The runtime ran a governed reasoning loop. */
export const WebhookCompletedResponse = z.looseObject({
  status: z.literal("completed"),
  agent_id: z.string(),
  response: z.string(),
  tool_runs: z.array(WebhookToolRun),
  termination_reason: TerminationReason,
  iterations: UInt,
  model: z.string(),
  provider: z.string(),
  latency_ms: UInt,
  timestamp: Timestamp,
});
/**
 * `{status: "completed", agent_id, response, tool_runs, termination_reason, iterations, model,
 * provider, latency_ms, timestamp}`. A model or loop failure is still a 200 with a
 * `termination_reason` of `{Error: {message}}`.
 */
export type WebhookCompletedResponse = z.infer<typeof WebhookCompletedResponse>;

/** Either success shape, discriminated by `status`. */
export const WebhookInvocationResponse = z.discriminatedUnion("status", [
  WebhookExecutionStartedResponse,
  WebhookCompletedResponse,
]);
/** Either success shape; switch on `status`. */
export type WebhookInvocationResponse = z.infer<typeof WebhookInvocationResponse>;

/** Options of {@link HttpInputClient.invoke}. */
export interface InvokeOptions extends RequestOptions {
  /** Route to an agent by path: posts to `<httpInputUrl>/<agentPath>`. */
  agentPath?: string;
  /**
   * Sign the body as the runtime's `webhook_verify` expects: `provider` is the name configured
   * there (`github`, `stripe`, `slack`, or anything else for `X-Signature`).
   */
  signature?: { provider: string; secret: string | Uint8Array };
}

/**
 * Client of the runtime's HTTP Input server.
 *
 * @example Usage
 * ```ts ignore
 * import { Client, WebhookInvocationStatus } from "@symbiont/sdk/client";
 * const client = new Client({ httpInputToken: "…" });
 * const result = await client.httpInput.invoke({ prompt: "scan target 10.0.0.1" }, {
 *   agentPath: "scanner",
 *   signature: { provider: "github", secret: "webhook-secret" },
 * });
 * if (result.status === WebhookInvocationStatus.COMPLETED) console.log(result.response);
 * ```
 */
export class HttpInputClient {
  readonly #context: ClientContext;
  readonly #transport: Transport;

  /** @param source A {@link Client}, client options, or nothing (environment). */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
    const { options } = this.#context;
    this.#transport = new Transport({
      baseUrl: options.httpInputUrl,
      apiKey: this.#context.httpInputToken(),
      fetch: options.fetch,
      timeout: options.timeout,
      maxRetries: options.maxRetries,
      headers: options.headers,
    });
  }

  /** The HTTP Input URL in use. */
  get url(): string {
    return this.#transport.baseUrl;
  }

  /**
   * Posts a payload to the HTTP Input server. Not retried (a retried invocation would run the agent
   * twice) unless `retryNonIdempotent` is set.
   *
   * @param request The payload: `prompt`, `message`, `system_prompt` and any other fields.
   * @param options Agent path, signature, and per-call options.
   * @returns The typed success shape.
   * @throws {AuthenticationError} 401: wrong token or signature (the runtime fails closed when no
   *   token is configured).
   * @throws {RequestValidationError} 400 invalid JSON, 413 body too large.
   * @throws {RateLimitError} 429: the concurrency limit is reached.
   * @throws {ServerError} 500 `{error, timestamp}`: e.g. no LLM provider configured.
   */
  async invoke(
    request: WebhookInvocationRequest,
    options: InvokeOptions = {},
  ): Promise<WebhookInvocationResponse> {
    if (request === null || typeof request !== "object" || Array.isArray(request)) {
      throw new InvalidArgumentError("request", "expected a JSON object");
    }
    const { agentPath, signature, ...requestOptions } = options;
    const jsonText = JSON.stringify(request);
    const systemPrompt = (request as { system_prompt?: unknown }).system_prompt;
    if (typeof systemPrompt === "string") {
      const size = new TextEncoder().encode(systemPrompt).length;
      if (size > SYSTEM_PROMPT_LIMIT_BYTES) {
        this.#context.options.logger.warn(
          `[symbiont] system_prompt is ${size} bytes; the runtime keeps only the first ${SYSTEM_PROMPT_LIMIT_BYTES}`,
        );
      }
    }
    const headers = { ...requestOptions.headers };
    if (signature) {
      const header = await signRuntimeWebhook(signature.provider, signature.secret, jsonText);
      headers[header.name] = header.value;
    }
    const path = agentPath === undefined ? "" : `/${requireSegment("agentPath", agentPath)}`;
    const { data } = await this.#transport.request({
      ...requestOptions,
      headers,
      method: "POST",
      path,
      jsonText,
    });
    return this.#context.validator.check(WebhookInvocationResponse, data, {
      method: "POST",
      path: path || "/",
      route: "POST http-input",
    });
  }
}
