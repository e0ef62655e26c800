/**
 * Agents: list, create (every execution mode), status, update, delete, execute, history, and the
 * External-agent heartbeat and event push. Field names are the runtime's (snake_case), values exact
 * (PascalCase states).
 *
 * @module
 */
import * as z from "zod";
import {
  type ClientContext,
  contextOf,
  type ContextSource,
  requestJson,
  requestVoid,
} from "./_context.ts";
import { checkInput, requireUuid } from "./_input.ts";
import { Timestamp, UInt, type WireModel, zodOf } from "./_models.ts";
import { assertTimeZone, parseCron } from "./cron.ts";
import type { RequestOptions } from "./transport.ts";

/** Agent lifecycle states, exactly as the runtime spells them. */
export type AgentState =
  | "Created"
  | "Initializing"
  | "Ready"
  | "Running"
  | "Suspended"
  | "Waiting"
  | "Completed"
  | "Failed"
  | "Terminating"
  | "Terminated"
  | "Unreachable";
/** Model of {@link AgentState}. */
export const AgentState: WireModel<AgentState> = z.enum([
  "Created",
  "Initializing",
  "Ready",
  "Running",
  "Suspended",
  "Waiting",
  "Completed",
  "Failed",
  "Terminating",
  "Terminated",
  "Unreachable",
]);

/** Event types an External agent may push: `RunStarted`, `RunCompleted` or `RunFailed`. */
export type AgentEventType = "RunStarted" | "RunCompleted" | "RunFailed";
/** Model of {@link AgentEventType}. */
export const AgentEventType: WireModel<AgentEventType> = z.enum([
  "RunStarted",
  "RunCompleted",
  "RunFailed",
]);

/**
 * How an agent runs: the runtime's externally tagged union. Unit variants are plain strings; the
 * others are single-key objects. Build them with {@link executionMode}.
 */
export type ExecutionMode =
  | "Persistent"
  | "Ephemeral"
  | "EventDriven"
  | {
    /** Runs at a fixed interval. */
    Scheduled: {
      /** The interval as a Rust `Duration`. */
      interval: {
        /** Whole seconds. */
        secs: number;
        /** Nanoseconds on top, at most 999 999 999. */
        nanos: number;
      };
    };
  }
  | {
    /** Runs on a cron expression. */
    CronScheduled: {
      /** 6- or 7-field cron expression (sec min hour dom mon dow [year]). */
      cron_expression: string;
      /** IANA time zone, e.g. `"UTC"`. */
      timezone: string;
    };
  }
  | {
    /** Runs outside the runtime and reports by heartbeat. */
    External: {
      /** Where the agent can be reached, if anywhere. */
      endpoint?: string | null;
      /** The AgentPin domain against which the agent's identity is verified. */
      agentpin_domain?: string | null;
      /** Expected seconds between heartbeats (3 missed intervals mark it `Unreachable`). */
      heartbeat_interval_secs: number;
    };
  };
/** Model of {@link ExecutionMode}. */
export const ExecutionMode: WireModel<ExecutionMode> = z.union([
  z.enum(["Persistent", "Ephemeral", "EventDriven"]),
  z.strictObject({
    Scheduled: z.object({ interval: z.object({ secs: UInt, nanos: UInt.max(999_999_999) }) }),
  }),
  z.strictObject({
    CronScheduled: z.object({ cron_expression: z.string().min(1), timezone: z.string() }),
  }),
  z.strictObject({
    External: z.object({
      endpoint: z.string().nullish(),
      agentpin_domain: z.string().nullish(),
      heartbeat_interval_secs: UInt,
    }),
  }),
]);

/**
 * Builders for {@link ExecutionMode} values.
 *
 * @example Usage
 * ```ts
 * import { executionMode } from "@symbiont/sdk/client";
 * console.assert(JSON.stringify(executionMode.scheduled(1.5)) ===
 *   '{"Scheduled":{"interval":{"secs":1,"nanos":500000000}}}');
 * ```
 */
export const executionMode = {
  /** Runs continuously. */
  persistent: (): ExecutionMode => "Persistent",
  /** Runs once per execution (the runtime's default). */
  ephemeral: (): ExecutionMode => "Ephemeral",
  /** Runs when events arrive. */
  eventDriven: (): ExecutionMode => "EventDriven",
  /** Runs every `seconds` (fractions become nanoseconds). */
  scheduled: (seconds: number): ExecutionMode => {
    const secs = Math.floor(seconds);
    return { Scheduled: { interval: { secs, nanos: Math.round((seconds - secs) * 1e9) } } };
  },
  /** Runs on a 6- or 7-field cron expression in an IANA time zone. */
  cronScheduled: (cronExpression: string, timezone = "UTC"): ExecutionMode => ({
    CronScheduled: { cron_expression: cronExpression, timezone },
  }),
  /** Runs outside the runtime and reports by heartbeat. */
  external: (
    options: { heartbeatIntervalSecs: number; endpoint?: string; agentpinDomain?: string },
  ): ExecutionMode => ({
    External: {
      heartbeat_interval_secs: options.heartbeatIntervalSecs,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.agentpinDomain !== undefined ? { agentpin_domain: options.agentpinDomain } : {}),
    },
  }),
};

/** `POST /agents` body: `name`, `dsl` (unless External), and optional mode, capabilities, metadata. */
export interface CreateAgentRequest {
  /** The agent's name; must not be empty. */
  name: string;
  /** The agent's DSL source; required (non-empty) unless the execution mode is External. */
  dsl?: string;
  /** How the agent runs (the runtime defaults to `"Ephemeral"`). */
  execution_mode?: ExecutionMode;
  /** Capabilities, stored as custom capabilities. */
  capabilities?: string[];
  /** Free-form string metadata. */
  metadata?: Record<string, string>;
}
/** Model of {@link CreateAgentRequest}. */
export const CreateAgentRequest: WireModel<CreateAgentRequest> = z.object({
  name: z.string().trim().min(1, "must not be empty"),
  dsl: z.string().optional(),
  execution_mode: zodOf(ExecutionMode).optional(),
  capabilities: z.array(z.string()).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
}).refine(
  (r) =>
    (r.dsl ?? "").trim() !== "" ||
    (typeof r.execution_mode === "object" && "External" in r.execution_mode),
  { message: "dsl must not be empty unless the execution mode is External", path: ["dsl"] },
);

/** `PUT /agents/{id}` body: at least one of `name`, `dsl`. */
export interface UpdateAgentRequest {
  /** The new name; must not be empty. */
  name?: string;
  /** The new DSL source; must not be empty. */
  dsl?: string;
}
/** Model of {@link UpdateAgentRequest}. */
export const UpdateAgentRequest: WireModel<UpdateAgentRequest> = z.object({
  name: z.string().trim().min(1, "must not be empty").optional(),
  dsl: z.string().trim().min(1, "must not be empty").optional(),
}).refine((r) => r.name !== undefined || r.dsl !== undefined, {
  message: "give at least one of name or dsl",
});

/** `POST /agents/{id}/heartbeat` body. */
export interface HeartbeatRequest {
  /** The agent's current state; it overwrites the stored one. */
  state: AgentState;
  /** Metadata merged into the agent's existing map. */
  metadata?: Record<string, string>;
  /** The result of the agent's last run. */
  last_result?: string;
  /** AgentPin JWT proving the agent's identity. */
  agentpin_jwt?: string;
}
/** Model of {@link HeartbeatRequest}. */
export const HeartbeatRequest: WireModel<HeartbeatRequest> = z.object({
  state: zodOf(AgentState),
  metadata: z.record(z.string(), z.string()).optional(),
  last_result: z.string().optional(),
  agentpin_jwt: z.string().optional(),
});

/** `POST /agents/{id}/events` body (`payload` may be any JSON, including null). */
export interface PushEventRequest {
  /** `RunStarted`, `RunCompleted` or `RunFailed`. */
  event_type: AgentEventType;
  /** Any JSON; sent as `null` when left out. */
  payload?: unknown;
  /** AgentPin JWT proving the agent's identity. */
  agentpin_jwt?: string;
}
/** Model of {@link PushEventRequest}. */
export const PushEventRequest: WireModel<PushEventRequest> = z.object({
  event_type: zodOf(AgentEventType),
  payload: z.unknown().optional(),
  agentpin_jwt: z.string().optional(),
});

/** An element of `GET /agents`: `{id, name, state}`. */
export interface AgentSummary {
  /** The agent's UUID. */
  id: string;
  /** The agent's name (may be empty). */
  name: string;
  /** Its lifecycle state. */
  state: AgentState;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link AgentSummary}. */
export const AgentSummary: WireModel<AgentSummary> = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: zodOf(AgentState),
});
const AgentSummaryList: WireModel<AgentSummary[]> = z.array(zodOf(AgentSummary));

/** An External agent's event, timestamped by the runtime. */
export interface AgentEvent {
  /** `RunStarted`, `RunCompleted` or `RunFailed`. */
  event_type: AgentEventType;
  /** The pushed payload (any JSON). */
  payload: unknown;
  /** When the runtime received it, RFC 3339. */
  timestamp: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link AgentEvent}. */
export const AgentEvent: WireModel<AgentEvent> = z.looseObject({
  event_type: zodOf(AgentEventType),
  payload: z.unknown(),
  timestamp: Timestamp,
});

/** `GET /agents/{id}/status`. `metadata`, `last_result`, `recent_events` exist only for External agents. */
export interface AgentStatusResponse {
  /** The agent's UUID. */
  agent_id: string;
  /** Its lifecycle state. */
  state: AgentState;
  /** Time of its last activity, RFC 3339. */
  last_activity: string;
  /** Resources the agent uses. */
  resource_usage: {
    /** Memory in bytes. */
    memory_bytes: number;
    /** CPU usage, percent. */
    cpu_percent: number;
    /** Tasks in progress. */
    active_tasks: number;
    /** Fields added by newer runtimes. */
    [key: string]: unknown;
  };
  /** External agents: metadata reported by heartbeats. */
  metadata?: Record<string, string>;
  /** External agents: the last reported result. */
  last_result?: string;
  /** External agents: the latest pushed events (the runtime keeps 100). */
  recent_events?: AgentEvent[];
  /** The execution mode's variant name. */
  execution_mode?:
    | "External"
    | "Persistent"
    | "Ephemeral"
    | "Scheduled"
    | "CronScheduled"
    | "EventDriven";
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link AgentStatusResponse}. */
export const AgentStatusResponse: WireModel<AgentStatusResponse> = z.looseObject({
  agent_id: z.string(),
  state: zodOf(AgentState),
  last_activity: Timestamp,
  resource_usage: z.looseObject({
    memory_bytes: UInt,
    cpu_percent: z.number(),
    active_tasks: UInt,
  }),
  metadata: z.record(z.string(), z.string()).optional(),
  last_result: z.string().optional(),
  recent_events: z.array(zodOf(AgentEvent)).optional(),
  execution_mode: z.enum([
    "External",
    "Persistent",
    "Ephemeral",
    "Scheduled",
    "CronScheduled",
    "EventDriven",
  ]).optional(),
});

/** `{id, status}` answers of create, update and delete. */
export interface AgentActionResponse {
  /** The agent's UUID. */
  id: string;
  /** `"scheduled"`, `"updated"` or `"deleted"`. */
  status: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link AgentActionResponse}. */
export const AgentActionResponse: WireModel<AgentActionResponse> = z.looseObject({
  id: z.string(),
  status: z.string(),
});

/** `POST /agents/{id}/execute`: `{execution_id, status: "execution_started"}`. */
export interface ExecuteAgentResponse {
  /** The execution's UUID. */
  execution_id: string;
  /** Always `"execution_started"`. */
  status: "execution_started";
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ExecuteAgentResponse}. */
export const ExecuteAgentResponse: WireModel<ExecuteAgentResponse> = z.looseObject({
  execution_id: z.string(),
  status: z.literal("execution_started"),
});

/** One record of `GET /agents/{id}/history`. */
export interface AgentExecutionRecord {
  /** The execution id (the agent's id for `created` and `workflow_started` records). */
  execution_id: string;
  /** `"created"`, `"workflow_started"` or `"execution_started"`. */
  status: string;
  /** When it happened, RFC 3339. */
  timestamp: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link AgentExecutionRecord}. */
export const AgentExecutionRecord: WireModel<AgentExecutionRecord> = z.looseObject({
  execution_id: z.string(),
  status: z.string(),
  timestamp: Timestamp,
});

const HistoryResponse = z.looseObject({ history: z.array(zodOf(AgentExecutionRecord)) });

/**
 * The runtime's agent routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client, executionMode } from "@symbiont/sdk/client";
 * const client = new Client();
 * const { id } = await client.agents.create({ name: "analyst", dsl: "agent analyst {}" });
 * await client.agents.execute(id);
 * console.log((await client.agents.status(id)).state);
 * await client.agents.create({
 *   name: "edge-worker",
 *   execution_mode: executionMode.external({ heartbeatIntervalSecs: 60 }),
 * });
 * ```
 */
export class AgentsClient {
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
   * `GET /agents`. Scoped keys see only their agents.
   *
   * @param options Per-call options.
   * @returns Every agent's id, name and state.
   */
  list(options: RequestOptions = {}): Promise<AgentSummary[]> {
    return requestJson(this.#context, AgentSummaryList, {
      ...options,
      method: "GET",
      path: "/agents",
    });
  }

  /**
   * `POST /agents` (admin). Checked before sending: an empty name, or an empty DSL outside External
   * mode, would be a 500 `AGENT_CREATION_FAILED` from the runtime.
   *
   * @param request Name, DSL, execution mode, capabilities, metadata.
   * @param options Per-call options (a failed POST is not retried unless `retryNonIdempotent`).
   * @returns `{id, status: "scheduled"}`.
   * @throws {InvalidArgumentError} The request is malformed.
   * @throws {CronError} A CronScheduled mode with an invalid expression or time zone.
   */
  create(request: CreateAgentRequest, options: RequestOptions = {}): Promise<AgentActionResponse> {
    const body = checkInput("request", CreateAgentRequest, request);
    const mode = body.execution_mode;
    if (typeof mode === "object" && "CronScheduled" in mode) {
      parseCron(mode.CronScheduled.cron_expression);
      if (mode.CronScheduled.timezone !== "") assertTimeZone(mode.CronScheduled.timezone);
    }
    return requestJson(this.#context, AgentActionResponse, {
      ...options,
      method: "POST",
      path: "/agents",
      body,
    });
  }

  /**
   * `GET /agents/{id}/status`.
   *
   * @param agent The agent's UUID, or an object with `id` (an {@link AgentSummary}).
   * @param options Per-call options.
   * @returns State, last activity, resource usage; External agents add metadata and events.
   * @throws {NotFoundError} `AGENT_NOT_FOUND`.
   */
  status(
    agent: string | { id: string },
    options: RequestOptions = {},
  ): Promise<AgentStatusResponse> {
    const id = requireUuid("agentId", typeof agent === "string" ? agent : agent?.id);
    return requestJson(this.#context, AgentStatusResponse, {
      ...options,
      method: "GET",
      path: `/agents/${id}/status`,
      route: "GET /agents/{id}/status",
    });
  }

  /**
   * `PUT /agents/{id}` (admin).
   *
   * @param agentId The agent's UUID.
   * @param request At least one of `name`, `dsl`, non-empty.
   * @param options Per-call options.
   * @returns `{id, status: "updated"}`.
   * @throws {ServerError} `AGENT_UPDATE_FAILED`, which the runtime also uses for an unknown agent.
   */
  update(
    agentId: string,
    request: UpdateAgentRequest,
    options: RequestOptions = {},
  ): Promise<AgentActionResponse> {
    const id = requireUuid("agentId", agentId);
    const body = checkInput("request", UpdateAgentRequest, request);
    return requestJson(this.#context, AgentActionResponse, {
      ...options,
      method: "PUT",
      path: `/agents/${id}`,
      body,
      route: "PUT /agents/{id}",
    });
  }

  /**
   * `DELETE /agents/{id}` (admin).
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{id, status: "deleted"}`.
   * @throws {ServerError} `AGENT_DELETION_FAILED`, also for an unknown agent.
   */
  delete(agentId: string, options: RequestOptions = {}): Promise<AgentActionResponse> {
    const id = requireUuid("agentId", agentId);
    return requestJson(this.#context, AgentActionResponse, {
      ...options,
      method: "DELETE",
      path: `/agents/${id}`,
      route: "DELETE /agents/{id}",
    });
  }

  /**
   * `POST /agents/{id}/execute` with the `{}` body the runtime requires. Starts a stopped agent and
   * reschedules a `Completed` one.
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{execution_id, status: "execution_started"}`.
   * @throws {ServerError} `AGENT_EXECUTION_FAILED`, also for an unknown agent.
   */
  execute(agentId: string, options: RequestOptions = {}): Promise<ExecuteAgentResponse> {
    const id = requireUuid("agentId", agentId);
    return requestJson(this.#context, ExecuteAgentResponse, {
      ...options,
      method: "POST",
      path: `/agents/${id}/execute`,
      body: {},
      route: "POST /agents/{id}/execute",
    });
  }

  /**
   * Runs an agent again. Runtime 1.19 has no `re-execute` route (the older SDKs' one answers 404):
   * `execute` is how the runtime re-runs a `Completed` agent, so this calls it.
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{execution_id, status: "execution_started"}`.
   */
  reExecute(agentId: string, options: RequestOptions = {}): Promise<ExecuteAgentResponse> {
    return this.execute(agentId, options);
  }

  /**
   * `GET /agents/{id}/history`: newest first, at most 100 (empty for an unknown agent).
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns The execution records.
   */
  async history(agentId: string, options: RequestOptions = {}): Promise<AgentExecutionRecord[]> {
    const id = requireUuid("agentId", agentId);
    const data = await requestJson(this.#context, HistoryResponse, {
      ...options,
      method: "GET",
      path: `/agents/${id}/history`,
      route: "GET /agents/{id}/history",
    });
    return data.history;
  }

  /**
   * `POST /agents/{id}/heartbeat`: an External agent reports its state (which overwrites the stored
   * one). Without heartbeats for 3 × the interval the runtime marks it `Unreachable`.
   *
   * @param agentId The agent's UUID.
   * @param request State, metadata (merged), last result, AgentPin JWT.
   * @param options Per-call options.
   * @throws {NotFoundError} `HEARTBEAT_FAILED` for a missing or non-External agent.
   * @throws {AuthenticationError} `AGENTPIN_VERIFICATION_FAILED`.
   */
  async heartbeat(
    agentId: string,
    request: HeartbeatRequest,
    options: RequestOptions = {},
  ): Promise<void> {
    const id = requireUuid("agentId", agentId);
    const body = checkInput("request", HeartbeatRequest, request);
    await requestVoid(this.#context, {
      ...options,
      method: "POST",
      path: `/agents/${id}/heartbeat`,
      body,
    });
  }

  /**
   * `POST /agents/{id}/events`: an External agent pushes a run event.
   *
   * @param agentId The agent's UUID.
   * @param request Event type, payload (any JSON), AgentPin JWT.
   * @param options Per-call options.
   * @throws {NotFoundError} `PUSH_EVENT_FAILED` for a missing or non-External agent.
   */
  async pushEvent(
    agentId: string,
    request: PushEventRequest,
    options: RequestOptions = {},
  ): Promise<void> {
    const id = requireUuid("agentId", agentId);
    const checked = checkInput("request", PushEventRequest, request);
    await requestVoid(this.#context, {
      ...options,
      method: "POST",
      path: `/agents/${id}/events`,
      body: { ...checked, payload: checked.payload ?? null },
    });
  }
}
