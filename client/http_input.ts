/**
 * HTTP Input: invoke an agent through the runtime's webhook server (port 8081), with its own bearer
 * token and, optionally, a body signature in the runtime's format. The answer is a discriminated
 * union on `status`: `execution_started` (dispatched to a running agent) or `completed` (the runtime
 * ran a governed reasoning loop and answers with its output).
 *
 * @module
 */
import * as z from "zod";
import { signRuntimeWebhook } from "../webhooks/providers.ts";
import { type ClientContext, contextOf, type ContextSource } from "./_context.ts";
import { requireSegment } from "./_input.ts";
import { Timestamp, UInt, type WireModel, zodOf } from "./_models.ts";
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

/**
 * An HTTP Input request body: `prompt` (the user message; wins over `message`), `message`,
 * `system_prompt` (appended to the agent's system prompt; truncated by the runtime at 4096 bytes),
 * and any other fields, passed through: without `prompt` or `message` the runtime gives the model
 * the whole payload.
 */
export interface WebhookInvocationRequest {
  /** The user message; takes precedence over `message`. */
  prompt?: string;
  /** The user message when `prompt` is absent. */
  message?: string;
  /** Appended to the agent's system prompt; the runtime keeps the first 4096 bytes. */
  system_prompt?: string;
  /** Any other fields, passed through to the agent. */
  [key: string]: unknown;
}
/** Model of {@link WebhookInvocationRequest}. */
export const WebhookInvocationRequest: WireModel<WebhookInvocationRequest> = z.looseObject({
  prompt: z.string().optional(),
  message: z.string().optional(),
  system_prompt: z.string().optional(),
});

/** Why a reasoning loop ended. */
export type TerminationReason =
  | "Completed"
  | "MaxIterations"
  | "MaxTokens"
  | "Timeout"
  | {
    /** A policy denied an action. */
    PolicyDenial: {
      /** The policy's reason. */
      reason: string;
      /** Fields added by newer runtimes. */
      [key: string]: unknown;
    };
  }
  | {
    /** The model or the loop failed. */
    Error: {
      /** What went wrong. */
      message: string;
      /** Fields added by newer runtimes. */
      [key: string]: unknown;
    };
  };
/** Model of {@link TerminationReason}. */
export const TerminationReason: WireModel<TerminationReason> = z.union([
  z.enum(["Completed", "MaxIterations", "MaxTokens", "Timeout"]),
  z.strictObject({ PolicyDenial: z.looseObject({ reason: z.string() }) }),
  z.strictObject({ Error: z.looseObject({ message: z.string() }) }),
]);

/** One tool call of a completed invocation. */
export interface WebhookToolRun {
  /**
   * `toolclad:<name>` when a ToolClad tool ran; the bare name when it was denied (with an
   * `output_preview` starting `[Policy denied]`); `delegate:<target>` for delegation.
   */
  tool: string;
  /** The parsed tool arguments, or `null`. */
  input: unknown;
  /** Up to 500 bytes of the tool's output. */
  output_preview: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link WebhookToolRun}. */
export const WebhookToolRun: WireModel<WebhookToolRun> = z.looseObject({
  tool: z.string(),
  input: z.unknown(),
  output_preview: z.string(),
});

/** The runtime dispatched the payload to a running agent. */
export interface WebhookExecutionStartedResponse {
  /** Always `"execution_started"`. */
  status: "execution_started";
  /** The agent's UUID. */
  agent_id: string;
  /** The UUID of the message sent to the agent over the bus. */
  message_id: string;
  /** Time the runtime took, in milliseconds. */
  latency_ms: number;
  /** Answer time, RFC 3339. */
  timestamp: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
const executionStartedSchema = z.looseObject({
  status: z.literal("execution_started"),
  agent_id: z.string(),
  message_id: z.string(),
  latency_ms: UInt,
  timestamp: Timestamp,
});
/** Model of {@link WebhookExecutionStartedResponse}. */
export const WebhookExecutionStartedResponse: WireModel<WebhookExecutionStartedResponse> =
  executionStartedSchema;

/**
 * The runtime ran a governed reasoning loop. A model or loop failure is still a 200 with a
 * `termination_reason` of `{Error: {message}}`.
 */
export interface WebhookCompletedResponse {
  /** Always `"completed"`. */
  status: "completed";
  /** The agent's id. */
  agent_id: string;
  /** The model's final text. */
  response: string;
  /** The tool calls made during the loop. */
  tool_runs: WebhookToolRun[];
  /** Why the loop ended. */
  termination_reason: TerminationReason;
  /** Loop iterations. */
  iterations: number;
  /** The model used. */
  model: string;
  /** The LLM provider used. */
  provider: string;
  /** Time the runtime took, in milliseconds. */
  latency_ms: number;
  /** Answer time, RFC 3339. */
  timestamp: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
const completedSchema = z.looseObject({
  status: z.literal("completed"),
  agent_id: z.string(),
  response: z.string(),
  tool_runs: z.array(zodOf(WebhookToolRun)),
  termination_reason: zodOf(TerminationReason),
  iterations: UInt,
  model: z.string(),
  provider: z.string(),
  latency_ms: UInt,
  timestamp: Timestamp,
});
/** Model of {@link WebhookCompletedResponse}. */
export const WebhookCompletedResponse: WireModel<WebhookCompletedResponse> = completedSchema;

/** Either success shape; switch on `status`. */
export type WebhookInvocationResponse = WebhookExecutionStartedResponse | WebhookCompletedResponse;
/** Model of {@link WebhookInvocationResponse}: discriminated by `status`. */
export const WebhookInvocationResponse: WireModel<WebhookInvocationResponse> = z
  .discriminatedUnion("status", [executionStartedSchema, completedSchema]);

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

  /**
   * Creates the client; given a {@link Client}, it shares that client's transport and options.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
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
