/**
 * System calls: the three health probes, status, scheduler health, metrics and `agents.md`.
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource, requestJson } from "./_context.ts";
import { Timestamp, UInt, type WireModel } from "./_models.ts";
import type { RequestOptions } from "./transport.ts";

/** `GET /health`: always `status: "healthy"` when it answers. */
export interface HealthResponse {
  /** `"healthy"`. */
  status: string;
  /** Seconds since the runtime started. */
  uptime_seconds: number;
  /** Server time, RFC 3339. */
  timestamp: string;
  /** Runtime version, e.g. `"1.19.0"`. */
  version: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link HealthResponse}. */
export const HealthResponse: WireModel<HealthResponse> = z.looseObject({
  status: z.string(),
  uptime_seconds: UInt,
  timestamp: Timestamp,
  version: z.string(),
});

/** `GET /status`: version, health and counts. */
export interface StatusResponse {
  /** Runtime version. */
  version: string;
  /** `false` when the runtime's internal health check fails. */
  healthy: boolean;
  /** Number of agents. */
  agent_count: number;
  /** Number of schedules. */
  schedule_count: number;
  /** Number of channels. */
  channel_count: number;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link StatusResponse}. */
export const StatusResponse: WireModel<StatusResponse> = z.looseObject({
  version: z.string(),
  healthy: z.boolean(),
  agent_count: UInt,
  schedule_count: UInt,
  channel_count: UInt,
});

/** `GET /health/scheduler`: the cron scheduler's counters (all zero without cron). */
export interface SchedulerHealthResponse {
  /** Whether the scheduler loop runs. */
  is_running: boolean;
  /** Whether its job store is readable. */
  store_accessible: boolean;
  /** Jobs in the store. */
  jobs_total: number;
  /** Active jobs. */
  jobs_active: number;
  /** Paused jobs. */
  jobs_paused: number;
  /** Jobs moved to the dead-letter state. */
  jobs_dead_letter: number;
  /** Runs in progress. */
  global_active_runs: number;
  /** Concurrency limit. */
  max_concurrent: number;
  /** Runs so far. */
  runs_total: number;
  /** Successful runs. */
  runs_succeeded: number;
  /** Failed runs. */
  runs_failed: number;
  /** Mean run time in milliseconds. */
  average_execution_time_ms: number;
  /** Longest run in milliseconds. */
  longest_run_ms: number;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link SchedulerHealthResponse}. */
export const SchedulerHealthResponse: WireModel<SchedulerHealthResponse> = z.looseObject({
  is_running: z.boolean(),
  store_accessible: z.boolean(),
  jobs_total: UInt,
  jobs_active: UInt,
  jobs_paused: UInt,
  jobs_dead_letter: UInt,
  global_active_runs: UInt,
  max_concurrent: UInt,
  runs_total: UInt,
  runs_succeeded: UInt,
  runs_failed: UInt,
  average_execution_time_ms: z.number(),
  longest_run_ms: UInt,
});

/** `GET /metrics`: agent counts and system figures, exactly as runtime 1.19 sends them. */
export interface RuntimeMetrics {
  /** Agent counts. */
  agents: {
    total: number;
    running: number;
    idle: number;
    error: number;
    [key: string]: unknown;
  };
  /** Process figures. */
  system: {
    /** Seconds since start. */
    uptime_seconds: number;
    /** Resident memory in bytes. */
    memory_usage: number;
    /** CPU usage, percent. */
    cpu_usage: number;
    [key: string]: unknown;
  };
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link RuntimeMetrics}. */
export const RuntimeMetrics: WireModel<RuntimeMetrics> = z.looseObject({
  agents: z.looseObject({ total: UInt, running: UInt, idle: UInt, error: UInt }),
  system: z.looseObject({ uptime_seconds: UInt, memory_usage: UInt, cpu_usage: z.number() }),
});

/** The runtime's own OpenAPI document (`GET /api-docs/openapi.json`). */
export interface OpenApiDocument {
  /** OpenAPI version, e.g. "3.0.3". */
  openapi: string;
  /** Title and version (the runtime always reports "1.0.0"). */
  info: { title: string; version: string; [key: string]: unknown };
  /** Path → method → operation. */
  paths: Record<string, Record<string, unknown>>;
  /** Components and other fields. */
  [key: string]: unknown;
}
/** Model of {@link OpenApiDocument}. */
export const OpenApiDocument: WireModel<OpenApiDocument> = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

/**
 * The runtime's system routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client();
 * const health = await client.system.health();
 * console.log(health.version, await client.system.ready());
 * ```
 */
export class SystemClient {
  readonly #context: ClientContext;

  /**
   * Creates the system client.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
  }

  /**
   * `GET /health` (no auth).
   *
   * @param options Per-call options.
   * @returns Status, uptime, timestamp and version.
   */
  health(options: RequestOptions = {}): Promise<HealthResponse> {
    return requestJson(this.#context, HealthResponse, {
      ...options,
      method: "GET",
      path: "/health",
      auth: false,
    });
  }

  /**
   * `GET /health/live` (no auth): resolves when the process answers.
   *
   * @param options Per-call options.
   * @returns `true` once the liveness probe answered 200.
   */
  async live(options: RequestOptions = {}): Promise<boolean> {
    await this.#context.transport.request({
      ...options,
      method: "GET",
      path: "/health/live",
      auth: false,
    });
    return true;
  }

  /**
   * `GET /health/ready` (no auth). The runtime answers 503 during its first seconds; that is an
   * answer (`false`), not an error, and it is not retried.
   *
   * @param options Per-call options.
   * @returns `true` on 200, `false` on 503.
   */
  async ready(options: RequestOptions = {}): Promise<boolean> {
    const { status } = await this.#context.transport.request({
      ...options,
      method: "GET",
      path: "/health/ready",
      auth: false,
      acceptStatuses: [503],
    });
    return status === 200;
  }

  /**
   * `GET /status` (admin).
   *
   * @param options Per-call options.
   * @returns Version, health and counts.
   */
  status(options: RequestOptions = {}): Promise<StatusResponse> {
    return requestJson(this.#context, StatusResponse, {
      ...options,
      method: "GET",
      path: "/status",
    });
  }

  /**
   * `GET /health/scheduler` (admin).
   *
   * @param options Per-call options.
   * @returns The scheduler's counters.
   */
  schedulerHealth(options: RequestOptions = {}): Promise<SchedulerHealthResponse> {
    return requestJson(this.#context, SchedulerHealthResponse, {
      ...options,
      method: "GET",
      path: "/health/scheduler",
    });
  }

  /**
   * `GET /metrics` (admin).
   *
   * @param options Per-call options.
   * @returns Agent counts and system figures.
   */
  metrics(options: RequestOptions = {}): Promise<RuntimeMetrics> {
    return requestJson(this.#context, RuntimeMetrics, {
      ...options,
      method: "GET",
      path: "/metrics",
    });
  }

  /**
   * `GET /agents.md`, or `GET /.well-known/agents.md` with `wellKnown` (any valid key; served only
   * with `--serve-agents-md`).
   *
   * @param options `wellKnown`, and per-call options.
   * @returns The Markdown text, sensitive sections already removed by the runtime.
   * @throws {NotFoundError} The runtime does not serve the file.
   */
  async agentsMd(options: RequestOptions & { wellKnown?: boolean } = {}): Promise<string> {
    const { wellKnown, ...request } = options;
    const { data } = await this.#context.transport.request({
      ...request,
      method: "GET",
      path: wellKnown ? "/.well-known/agents.md" : "/agents.md",
      root: true,
      expect: "text",
    });
    return data as string;
  }

  /**
   * `GET /api-docs/openapi.json`: the OpenAPI document the runtime generates for itself (served only
   * with `SYMBIONT_ENABLE_DOCS=1` outside production; its `info.version` is always "1.0.0").
   *
   * @param options Per-call options.
   * @returns The OpenAPI document.
   * @throws {NotFoundError} Docs are not enabled.
   */
  openApiSpec(options: RequestOptions = {}): Promise<OpenApiDocument> {
    return requestJson(this.#context, OpenApiDocument, {
      ...options,
      method: "GET",
      path: "/api-docs/openapi.json",
      root: true,
    });
  }

  /**
   * `GET /swagger-ui`: the runtime's Swagger UI page (same gating as {@link openApiSpec}).
   *
   * @param options Per-call options.
   * @returns The HTML page.
   */
  async swaggerUi(options: RequestOptions = {}): Promise<string> {
    const { data } = await this.#context.transport.request({
      ...options,
      method: "GET",
      path: "/swagger-ui",
      root: true,
      expect: "text",
    });
    return data as string;
  }
}
