/**
 * `client.reasoning`: the ORGA reasoning loop, its journal, Cedar policies, circuit breakers,
 * knowledge and tool profiles. Runtime 1.19 runs reasoning loops only inside HTTP Input and
 * Coordinator Chat and has **no REST routes** for any of this (runtime-api.md §3). These methods
 * call the routes the vendor's JS SDK proposes (`/agents/{id}/reasoning/...`) and throw
 * {@link NotOfferedError}, naming the runtime's version, when the runtime answers with its bare 404.
 * To run a governed loop on 1.19, use `client.httpInput.invoke` or `client.chat`; to check a Cedar
 * policy before deploying it, use `@symbiont/sdk/cedar` locally.
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource } from "./_context.ts";
import { requestExtension } from "./_extension.ts";
import { checkInput, requireSegment } from "./_input.ts";
import { UInt, type WireModel, zodOf } from "./_models.ts";
import {
  type TerminationReason,
  TerminationReason as TerminationReasonModel,
} from "./http_input.ts";
import type { RequestOptions } from "./transport.ts";

/** Loop limits (the runtime's `LoopConfig`; all optional, the runtime has defaults). */
export interface LoopConfig {
  /** Iteration cap (runtime default 25). */
  max_iterations?: number;
  /** Token cap (default 100000). */
  max_total_tokens?: number;
  /** Wall-clock limit in milliseconds (default 300000). */
  timeout_ms?: number;
  /** Per-tool timeout in milliseconds (default 30000). */
  tool_timeout_ms?: number;
  /** Parallel tool calls (default 5). */
  max_concurrent_tools?: number;
  /** Context budget in tokens (default 32000). */
  context_token_budget?: number;
  /** Sampling temperature (default 0.3). */
  temperature?: number;
  /** Output cap in tokens (default 16384). */
  max_output_tokens?: number;
  /** Other runtime settings, passed through. */
  [key: string]: unknown;
}

/** A Cedar policy held by the runtime's gate. */
export interface CedarPolicy {
  /** Unique name. */
  name: string;
  /** Cedar source text. */
  source: string;
  /** Whether it is enforced. */
  active: boolean;
}
/** Model of {@link CedarPolicy} (also checks input before sending). */
export const CedarPolicy: WireModel<CedarPolicy> = z.object({
  name: z.string().trim().min(1, "must not be empty"),
  source: z.string().trim().min(1, "must not be empty"),
  active: z.boolean(),
});
const CedarPolicyList: WireModel<CedarPolicy[]> = z.array(zodOf(CedarPolicy));

/** `runLoop` body. */
export interface RunReasoningLoopRequest {
  /** The first user message. */
  initial_message: string;
  /** Loop limits. */
  config?: LoopConfig;
  /** Other fields (inference options, policies), passed through. */
  [key: string]: unknown;
}
const RunReasoningLoopRequestModel: z.ZodType<RunReasoningLoopRequest> = z.looseObject({
  initial_message: z.string().min(1, "must not be empty"),
  config: z.looseObject({}).optional(),
});

/** Token usage of a loop. */
export interface Usage {
  /** Prompt tokens. */
  prompt_tokens: number;
  /** Completion tokens. */
  completion_tokens: number;
  /** Both. */
  total_tokens: number;
  /** Other counters. */
  [key: string]: unknown;
}
const UsageModel: z.ZodType<Usage> = z.looseObject({
  prompt_tokens: UInt,
  completion_tokens: UInt,
  total_tokens: UInt,
});

/** What a loop produced. */
export interface LoopResult {
  /** The final output. */
  output: string;
  /** Iterations run. */
  iterations: number;
  /** Token usage. */
  total_usage: Usage;
  /** Why it ended. */
  termination_reason: TerminationReason;
  /** Other fields (duration, conversation). */
  [key: string]: unknown;
}

/** `runLoop` answer. */
export interface RunReasoningLoopResponse {
  /** Loop id. */
  loop_id: string;
  /** The result. */
  result: LoopResult;
  /** Other fields (journal entries). */
  [key: string]: unknown;
}
/** Model of {@link RunReasoningLoopResponse}. */
export const RunReasoningLoopResponse: WireModel<RunReasoningLoopResponse> = z.looseObject({
  loop_id: z.string(),
  result: z.looseObject({
    output: z.string(),
    iterations: UInt,
    total_usage: UsageModel,
    termination_reason: zodOf(TerminationReasonModel),
  }),
});

/** One journal entry: a `LoopEvent` (externally tagged, e.g. `{Started: {...}}`) with its place. */
export interface JournalEntry {
  /** Sequence number. */
  sequence: number;
  /** When it was written. */
  timestamp: string;
  /** The agent. */
  agent_id: string;
  /** Loop iteration. */
  iteration: number;
  /** The event: `Started`, `ReasoningComplete`, `PolicyEvaluated`, `ToolsDispatched`, ... */
  event: unknown;
  /** Other fields. */
  [key: string]: unknown;
}
/** Model of {@link JournalEntry}. */
export const JournalEntry: WireModel<JournalEntry> = z.looseObject({
  sequence: UInt,
  timestamp: z.string(),
  agent_id: z.string(),
  iteration: UInt,
  event: z.unknown(),
});
const JournalEntryList: WireModel<JournalEntry[]> = z.array(zodOf(JournalEntry));

/** A tool profile: which tools a loop may see. */
export interface ToolProfile {
  /** Globs of tools to include. */
  include: string[];
  /** Globs of tools to exclude. */
  exclude: string[];
  /** Cap on the number of tools. */
  max_tools?: number | null;
  /** Only SchemaPin-verified tools. */
  require_verified: boolean;
  /** Other fields. */
  [key: string]: unknown;
}
const ToolProfiles: z.ZodType<ToolProfile[]> = z.array(z.looseObject({
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  max_tools: UInt.nullish(),
  require_verified: z.boolean(),
}));

/** Loop counters (the runtime's `MetricsSnapshot`). */
export interface LoopDiagnostics {
  /** Fields as the runtime reports them (loops_started, loops_completed, tool_calls, ...). */
  [key: string]: unknown;
}

/** One knowledge triple. */
export interface KnowledgeTriple {
  /** Subject. */
  subject: string;
  /** Predicate. */
  predicate: string;
  /** Object. */
  object: string;
  /** Confidence 0..1 (default 0.8). */
  confidence?: number;
}
const KnowledgeTripleModel: z.ZodType<KnowledgeTriple> = z.object({
  subject: z.string().min(1),
  predicate: z.string().min(1),
  object: z.string().min(1),
  confidence: z.number().min(0).max(1).optional(),
});

/** Options of {@link ReasoningClient.getJournalEntries}. */
export interface JournalQuery extends RequestOptions {
  /** First sequence number (default 0). */
  fromSequence?: number;
  /** How many (default 100). */
  limit?: number;
}

const Anything: z.ZodType<unknown> = z.unknown();
const Loose: z.ZodType<Record<string, unknown>> = z.looseObject({});
const FEATURE = "reasoning routes (runtime 1.19 runs loops only inside HTTP Input and chat)";

/**
 * Reasoning-loop control on the proposed routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client, NotOfferedError } from "@symbiont/sdk/client";
 * const client = new Client();
 * try {
 *   const run = await client.reasoning.runLoop(agentId, {
 *     initial_message: "Analyze the latest sales data.",
 *     config: { max_iterations: 10, timeout_ms: 60_000 },
 *   });
 *   console.log(run.result.output);
 * } catch (error) {
 *   if (error instanceof NotOfferedError) console.log(error.message);
 * }
 * ```
 */
export class ReasoningClient {
  readonly #context: ClientContext;

  /**
   * Creates the reasoning client.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
  }

  #call<T>(
    schema: WireModel<T>,
    method: "GET" | "POST" | "DELETE",
    agentId: string,
    tail: string,
    route: string,
    options: RequestOptions,
    body?: unknown,
  ): Promise<T> {
    return requestExtension(this.#context, FEATURE, schema, {
      ...options,
      method,
      path: `/agents/${requireSegment("agentId", agentId)}/reasoning/${tail}`,
      body,
      route: `${method} /agents/{id}/reasoning/${route}`,
    });
  }

  /**
   * Runs an Observe-Reason-Gate-Act loop (`POST .../reasoning/loop`).
   * @param agentId The agent.
   * @param request The first message and loop limits.
   * @param options Per-call options.
   * @returns The loop id and result.
   * @throws {NotOfferedError} On runtime 1.19.
   */
  runLoop(
    agentId: string,
    request: RunReasoningLoopRequest,
    options: RequestOptions = {},
  ): Promise<RunReasoningLoopResponse> {
    const body = checkInput("request", RunReasoningLoopRequestModel, request);
    return this.#call(RunReasoningLoopResponse, "POST", agentId, "loop", "loop", options, body);
  }

  /**
   * A loop's state (`GET .../reasoning/loop/{loopId}`).
   * @param agentId The agent.
   * @param loopId The loop.
   * @param options Per-call options.
   * @returns The runtime's loop state.
   */
  getLoopStatus(
    agentId: string,
    loopId: string,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const id = requireSegment("loopId", loopId);
    return this.#call(Loose, "GET", agentId, `loop/${id}`, "loop/{loopId}", options);
  }

  /**
   * Cancels a loop (`DELETE .../reasoning/loop/{loopId}`).
   * @param agentId The agent.
   * @param loopId The loop.
   * @param options Per-call options.
   */
  async cancelLoop(agentId: string, loopId: string, options: RequestOptions = {}): Promise<void> {
    const id = requireSegment("loopId", loopId);
    await this.#call(Anything, "DELETE", agentId, `loop/${id}`, "loop/{loopId}", options);
  }

  /**
   * Journal entries for replay and audit (`GET .../reasoning/journal`).
   * @param agentId The agent.
   * @param query First sequence, limit, and per-call options.
   * @returns The entries.
   */
  getJournalEntries(agentId: string, query: JournalQuery = {}): Promise<JournalEntry[]> {
    const { fromSequence = 0, limit = 100, ...options } = query;
    const params = new URLSearchParams({
      from_sequence: String(fromSequence),
      limit: String(limit),
    });
    return this.#call(
      JournalEntryList,
      "GET",
      agentId,
      `journal?${params}`,
      "journal",
      options,
    );
  }

  /**
   * Compacts the journal (`POST .../reasoning/journal/compact`).
   * @param agentId The agent.
   * @param options Per-call options.
   * @returns The runtime's answer.
   */
  compactJournal(agentId: string, options: RequestOptions = {}): Promise<unknown> {
    return this.#call(Anything, "POST", agentId, "journal/compact", "journal/compact", options, {});
  }

  /**
   * The agent's Cedar policies (`GET .../reasoning/cedar`).
   * @param agentId The agent.
   * @param options Per-call options.
   * @returns The policies.
   */
  listCedarPolicies(agentId: string, options: RequestOptions = {}): Promise<CedarPolicy[]> {
    return this.#call(CedarPolicyList, "GET", agentId, "cedar", "cedar", options);
  }

  /**
   * Adds a Cedar policy (`POST .../reasoning/cedar`). Check the policy locally first with
   * `validatePolicies` from `@symbiont/sdk/cedar`.
   * @param agentId The agent.
   * @param policy Name, source, active.
   * @param options Per-call options.
   * @returns The runtime's answer.
   */
  addCedarPolicy(
    agentId: string,
    policy: CedarPolicy,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const body = checkInput("policy", CedarPolicy, policy);
    return this.#call(Anything, "POST", agentId, "cedar", "cedar", options, body);
  }

  /**
   * Removes a Cedar policy by name (`DELETE .../reasoning/cedar/{name}`).
   * @param agentId The agent.
   * @param name The policy's name.
   * @param options Per-call options.
   * @returns The runtime's answer (`removed`).
   */
  removeCedarPolicy(agentId: string, name: string, options: RequestOptions = {}): Promise<unknown> {
    const segment = requireSegment("name", name);
    return this.#call(Anything, "DELETE", agentId, `cedar/${segment}`, "cedar/{name}", options);
  }

  /**
   * Circuit breaker states per tool (`GET .../reasoning/circuit-breakers`).
   * @param agentId The agent.
   * @param options Per-call options.
   * @returns Tool name → state.
   */
  getCircuitBreakerStatus(
    agentId: string,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    return this.#call(Loose, "GET", agentId, "circuit-breakers", "circuit-breakers", options);
  }

  /**
   * Resets a tool's circuit breaker (`POST .../reasoning/circuit-breakers/{tool}/reset`).
   * @param agentId The agent.
   * @param tool The tool.
   * @param options Per-call options.
   * @returns The runtime's answer.
   */
  resetCircuitBreaker(
    agentId: string,
    tool: string,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const segment = requireSegment("tool", tool);
    return this.#call(
      Anything,
      "POST",
      agentId,
      `circuit-breakers/${segment}/reset`,
      "circuit-breakers/{tool}/reset",
      options,
      {},
    );
  }

  /**
   * Recalls knowledge (`POST .../reasoning/knowledge/recall`).
   * @param agentId The agent.
   * @param query What to recall.
   * @param limit How many items (default 5).
   * @param options Per-call options.
   * @returns The runtime's items.
   */
  recallKnowledge(
    agentId: string,
    query: string,
    limit = 5,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const body = checkInput("query", z.object({ query: z.string().min(1), limit: UInt.min(1) }), {
      query,
      limit,
    });
    return this.#call(
      Anything,
      "POST",
      agentId,
      "knowledge/recall",
      "knowledge/recall",
      options,
      body,
    );
  }

  /**
   * Stores a knowledge triple (`POST .../reasoning/knowledge/store`).
   * @param agentId The agent.
   * @param triple Subject, predicate, object, confidence.
   * @param options Per-call options.
   * @returns The runtime's answer.
   */
  storeKnowledge(
    agentId: string,
    triple: KnowledgeTriple,
    options: RequestOptions = {},
  ): Promise<unknown> {
    const body = checkInput("triple", KnowledgeTripleModel, triple);
    return this.#call(
      Anything,
      "POST",
      agentId,
      "knowledge/store",
      "knowledge/store",
      options,
      { confidence: 0.8, ...body },
    );
  }

  /**
   * The agent's tool profiles (`GET .../reasoning/tool-profiles`).
   * @param agentId The agent.
   * @param options Per-call options.
   * @returns The profiles.
   */
  getToolProfiles(agentId: string, options: RequestOptions = {}): Promise<ToolProfile[]> {
    return this.#call(ToolProfiles, "GET", agentId, "tool-profiles", "tool-profiles", options);
  }

  /**
   * A loop's diagnostics (`GET .../reasoning/{loopId}/diagnostics`).
   * @param agentId The agent.
   * @param loopId The loop.
   * @param options Per-call options.
   * @returns The counters.
   */
  getLoopDiagnostics(
    agentId: string,
    loopId: string,
    options: RequestOptions = {},
  ): Promise<LoopDiagnostics> {
    const id = requireSegment("loopId", loopId);
    return this.#call(Loose, "GET", agentId, `${id}/diagnostics`, "{loopId}/diagnostics", options);
  }
}
