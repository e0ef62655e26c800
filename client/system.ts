/**
 * System calls: the three health probes, status, scheduler health, metrics and `agents.md`.
 *
 * @module
 */
import { z } from "zod";
import { type ClientContext, contextOf, type ContextSource, requestJson } from "./_context.ts";
import { Timestamp, UInt } from "./_models.ts";
import type { RequestOptions } from "./transport.ts";

/** `GET /health`. */
export const HealthResponse = z.looseObject({
  status: z.string(),
  uptime_seconds: UInt,
  timestamp: Timestamp,
  version: z.string(),
});
/** `GET /health`: `{status: "healthy", uptime_seconds, timestamp, version}`. */
export type HealthResponse = z.infer<typeof HealthResponse>;

/** `GET /status`. */
export const StatusResponse = z.looseObject({
  version: z.string(),
  healthy: z.boolean(),
  agent_count: UInt,
  schedule_count: UInt,
  channel_count: UInt,
});
/** `GET /status`: version, health and counts. */
export type StatusResponse = z.infer<typeof StatusResponse>;

/** `GET /health/scheduler`. */
export const SchedulerHealthResponse = z.looseObject({
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
/** `GET /health/scheduler`: the cron scheduler's counters (all zero without cron). */
export type SchedulerHealthResponse = z.infer<typeof SchedulerHealthResponse>;

/** `GET /metrics`. */
export const RuntimeMetrics = z.looseObject({
  agents: z.looseObject({ total: UInt, running: UInt, idle: UInt, error: UInt }),
  system: z.looseObject({ uptime_seconds: UInt, memory_usage: UInt, cpu_usage: z.number() }),
});
/** `GET /metrics`: agent counts and system figures, exactly as runtime 1.19 sends them. */
export type RuntimeMetrics = z.infer<typeof RuntimeMetrics>;

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

  /** @param source A {@link Client}, client options, or nothing (environment). */
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
   * `GET /agents.md` (any valid key; served only with `--serve-agents-md`).
   *
   * @param options Per-call options.
   * @returns The Markdown text, sensitive sections already removed by the runtime.
   * @throws {NotFoundError} The runtime does not serve the file.
   */
  async agentsMd(options: RequestOptions = {}): Promise<string> {
    const { data } = await this.#context.transport.request({
      ...options,
      method: "GET",
      path: "/agents.md",
      root: true,
      expect: "text",
    });
    return data as string;
  }
}
