/**
 * Workflows: `POST /workflows/execute`.
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource, requestJson } from "./_context.ts";
import { checkInput } from "./_input.ts";
import { UInt, Uuid, type WireModel } from "./_models.ts";
import type { RequestOptions } from "./transport.ts";

/**
 * `workflow_id` — **the runtime parses this field as DSL source**, not as an id — `parameters`
 * (any JSON; sent as `null` when left out, since the runtime requires the key) and an optional
 * `agent_id` (a scoped key must cover it; without it the call needs an admin key).
 */
export interface WorkflowExecutionRequest {
  /** DSL source (despite the name); must not be empty. */
  workflow_id: string;
  /** Any JSON; sent as `null` when left out. */
  parameters?: unknown;
  /** The agent's UUID; a scoped key must cover it (without it the call needs an admin key). */
  agent_id?: string;
}
/** Model of {@link WorkflowExecutionRequest}. */
export const WorkflowExecutionRequest: WireModel<WorkflowExecutionRequest> = z.object({
  workflow_id: z.string().trim().min(1, "must not be empty"),
  parameters: z.unknown().optional(),
  agent_id: Uuid.optional(),
});

/** `{status: "success", workflow_id, agent_id, execution_started, metadata, system_status, parameters?}`. */
export interface WorkflowExecutionResult {
  /** `"success"`. */
  status: string;
  /** The workflow's id. */
  workflow_id: string;
  /** The UUID of the agent that runs it. */
  agent_id: string;
  /** Whether execution started (`true`). */
  execution_started: boolean;
  /** Metadata taken from the DSL. */
  metadata: Record<string, string>;
  /** The runtime's state when the workflow started. */
  system_status: {
    /** Number of agents. */
    total_agents: number;
    /** Number of running agents. */
    running_agents: number;
    /** Resource figures. */
    resource_utilization: {
      /** Memory in use. */
      memory_used: number;
      /** CPU utilization. */
      cpu_utilization: number;
      /** Disk I/O rate. */
      disk_io_rate: number;
      /** Network I/O rate. */
      network_io_rate: number;
      /** Fields added by newer runtimes. */
      [key: string]: unknown;
    };
    /** Fields added by newer runtimes. */
    [key: string]: unknown;
  };
  /** The parameters, echoed back (absent when they were `null`). */
  parameters?: unknown;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link WorkflowExecutionResult}. */
export const WorkflowExecutionResult: WireModel<WorkflowExecutionResult> = z.looseObject({
  status: z.string(),
  workflow_id: z.string(),
  agent_id: z.string(),
  execution_started: z.boolean(),
  metadata: z.record(z.string(), z.string()),
  system_status: z.looseObject({
    total_agents: UInt,
    running_agents: UInt,
    resource_utilization: z.looseObject({
      memory_used: z.number(),
      cpu_utilization: z.number(),
      disk_io_rate: z.number(),
      network_io_rate: z.number(),
    }),
  }),
  parameters: z.unknown().optional(),
});

/**
 * The runtime's workflow route.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const result = await new Client().workflows.execute({
 *   workflow_id: 'agent report { metadata { owner: "ops" } }',
 *   parameters: { day: "monday" },
 * });
 * console.log(result.agent_id);
 * ```
 */
export class WorkflowsClient {
  readonly #context: ClientContext;

  /**
   * Creates the client; given a {@link Client}, it shares that client's transport and options.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
  }

  /**
   * `POST /workflows/execute`.
   * @param request DSL source in `workflow_id`, parameters, optional agent.
   * @param options Per-call options.
   * @returns The runtime's result object.
   * @throws {ServerError} `WORKFLOW_EXECUTION_FAILED`, also for DSL parse errors.
   */
  execute(
    request: WorkflowExecutionRequest,
    options: RequestOptions = {},
  ): Promise<WorkflowExecutionResult> {
    const checked = checkInput("request", WorkflowExecutionRequest, request);
    return requestJson(this.#context, WorkflowExecutionResult, {
      ...options,
      method: "POST",
      path: "/workflows/execute",
      body: { ...checked, parameters: checked.parameters ?? null },
    });
  }
}
