/**
 * `MetricsClient`: one typed snapshot from the runtime's metrics route, with `/status` and
 * `/health/scheduler` folded in.
 *
 * @module
 */
import { MetricsError, MetricsErrorCode } from "./errors.ts";

/** Agent counts, from `GET /metrics` (`agents`). */
export interface AgentCounts {
  /** Every agent the runtime knows. */
  total: number;
  /** Agents in the `Running` state. */
  running: number;
  /** Agents neither running nor failed. */
  idle: number;
  /** Agents in the `Failed` state. */
  error: number;
}

/** System figures, from `GET /metrics` (`system`), with the runtime's own field names. */
export interface SystemFigures {
  /** Seconds since the runtime started. */
  uptime_seconds: number;
  /** Memory in use, in bytes. */
  memory_usage: number;
  /** CPU usage, as the runtime reports it. */
  cpu_usage: number;
}

/** The runtime's `/status` answer, reduced to its documented fields. */
export interface RuntimeStatus {
  /** Runtime version, e.g. `"1.19.0"`. */
  version: string;
  /** `false` when the runtime's internal health check failed. */
  healthy: boolean;
  /** Agents the runtime knows. */
  agent_count: number;
  /** Cron schedules (0 without a scheduler). */
  schedule_count: number;
  /** Chat channels. */
  channel_count: number;
}

/** The scheduler's counters from `/health/scheduler`, reduced to its documented fields. */
export interface SchedulerFigures {
  /** Whether a cron scheduler runs. */
  is_running: boolean;
  /** Whether its job store answers. */
  store_accessible: boolean;
  /** Every job. */
  jobs_total: number;
  /** Jobs in the `Active` state. */
  jobs_active: number;
  /** Jobs in the `Paused` state. */
  jobs_paused: number;
  /** Jobs in the dead-letter state. */
  jobs_dead_letter: number;
  /** Runs executing now. */
  global_active_runs: number;
  /** The concurrency limit. */
  max_concurrent: number;
  /** Runs recorded since start. */
  runs_total: number;
  /** Runs that succeeded. */
  runs_succeeded: number;
  /** Runs that failed. */
  runs_failed: number;
  /** Mean run time in milliseconds. */
  average_execution_time_ms: number;
  /** Longest run in milliseconds. */
  longest_run_ms: number;
}

/** Which optional part of a snapshot could not be read. */
export type SnapshotPart = "status" | "scheduler";

/** An optional part that failed; the snapshot carries `null` for it. */
export interface UnavailablePart {
  /** The part. */
  part: SnapshotPart;
  /** The error's stable `code` (e.g. `SCHEDULER_HEALTH_FAILED`, `TIMEOUT`). */
  code: string;
  /** The error's message (the SDK's errors never contain secrets). */
  message: string;
}

/**
 * One typed view of the runtime at one moment: the metrics route's figures, plus status and
 * scheduler health when they could be read.
 */
export interface MetricsSnapshot {
  /** When the SDK took the snapshot (RFC 3339, UTC, milliseconds). */
  timestamp: string;
  /** Agent counts (`GET /metrics`). */
  agents: AgentCounts;
  /** Uptime, memory and CPU (`GET /metrics`). */
  system: SystemFigures;
  /** `GET /status`, or `null` when it was not requested or failed (see `unavailable`). */
  status: RuntimeStatus | null;
  /** `GET /health/scheduler`, or `null` when it was not requested or failed. */
  scheduler: SchedulerFigures | null;
  /** The optional parts that failed, with their error codes. Empty when everything answered. */
  unavailable: UnavailablePart[];
}

/** Anything that yields snapshots: a {@link MetricsClient}, or your own source in tests. */
export interface SnapshotSource {
  /**
   * Takes a snapshot.
   *
   * @param options Abort signal and per-call options.
   * @returns The snapshot.
   */
  getMetricsSnapshot(options?: SnapshotOptions): Promise<MetricsSnapshot>;
}

/**
 * The three system calls a {@link MetricsClient} needs; `Client#system` has them. Their answers are
 * checked again by the metrics client, so they are typed `unknown` here.
 */
export interface SystemCalls {
  /** `GET /metrics`. */
  metrics(options?: SnapshotOptions): Promise<unknown>;
  /** `GET /status`. */
  status(options?: SnapshotOptions): Promise<unknown>;
  /** `GET /health/scheduler`. */
  schedulerHealth(options?: SnapshotOptions): Promise<unknown>;
}

/** Options of {@link MetricsClient}. */
export interface MetricsClientOptions {
  /** The clock for `timestamp`, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Fetch `/status` too. Default true. */
  includeStatus?: boolean;
  /** Fetch `/health/scheduler` too. Default true. */
  includeScheduler?: boolean;
  /**
   * Throw when `/status` or `/health/scheduler` fails, instead of returning `null` for that part and
   * listing it in `unavailable`. Default false: the metrics route alone decides success.
   */
  strict?: boolean;
}

/** Per-call options of {@link MetricsClient.getMetricsSnapshot}. */
export interface SnapshotOptions {
  /** Aborts the three calls. */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds for each call, overriding the client's. */
  timeout?: number;
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === "string" ? code : error.name, message: error.message };
  }
  return { code: "UNKNOWN", message: String(error) };
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MetricsError(
      MetricsErrorCode.INVALID_RESPONSE,
      `${where}: expected an object, got ${value === null ? "null" : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

function count(obj: Record<string, unknown>, key: string, where: string): number {
  const value = obj[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new MetricsError(
      MetricsErrorCode.INVALID_RESPONSE,
      `${where}.${key}: expected a non-negative integer, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}

function real(obj: Record<string, unknown>, key: string, where: string): number {
  const value = obj[key];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new MetricsError(
      MetricsErrorCode.INVALID_RESPONSE,
      `${where}.${key}: expected a finite number, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}

function flag(obj: Record<string, unknown>, key: string, where: string): boolean {
  const value = obj[key];
  if (typeof value !== "boolean") {
    throw new MetricsError(
      MetricsErrorCode.INVALID_RESPONSE,
      `${where}.${key}: expected a boolean, got ${JSON.stringify(value) ?? "nothing"}`,
    );
  }
  return value;
}

/**
 * Reads the metrics route's body into typed counts and figures (the client may run with validation
 * off, so the shape is checked here again).
 *
 * @param body The parsed `GET /metrics` body.
 * @returns Agent counts and system figures.
 */
function readMetrics(body: unknown): { agents: AgentCounts; system: SystemFigures } {
  const root = record(body, "GET /metrics");
  const a = record(root.agents, "GET /metrics: agents");
  const s = record(root.system, "GET /metrics: system");
  return {
    agents: {
      total: count(a, "total", "agents"),
      running: count(a, "running", "agents"),
      idle: count(a, "idle", "agents"),
      error: count(a, "error", "agents"),
    },
    system: {
      uptime_seconds: count(s, "uptime_seconds", "system"),
      memory_usage: count(s, "memory_usage", "system"),
      cpu_usage: real(s, "cpu_usage", "system"),
    },
  };
}

function readStatus(body: unknown): RuntimeStatus {
  const s = record(body, "GET /status");
  if (typeof s.version !== "string") {
    throw new MetricsError(MetricsErrorCode.INVALID_RESPONSE, "status.version: expected a string");
  }
  return {
    version: s.version,
    healthy: flag(s, "healthy", "status"),
    agent_count: count(s, "agent_count", "status"),
    schedule_count: count(s, "schedule_count", "status"),
    channel_count: count(s, "channel_count", "status"),
  };
}

function readScheduler(body: unknown): SchedulerFigures {
  const h = record(body, "GET /health/scheduler");
  const w = "scheduler";
  return {
    is_running: flag(h, "is_running", w),
    store_accessible: flag(h, "store_accessible", w),
    jobs_total: count(h, "jobs_total", w),
    jobs_active: count(h, "jobs_active", w),
    jobs_paused: count(h, "jobs_paused", w),
    jobs_dead_letter: count(h, "jobs_dead_letter", w),
    global_active_runs: count(h, "global_active_runs", w),
    max_concurrent: count(h, "max_concurrent", w),
    runs_total: count(h, "runs_total", w),
    runs_succeeded: count(h, "runs_succeeded", w),
    runs_failed: count(h, "runs_failed", w),
    average_execution_time_ms: real(h, "average_execution_time_ms", w),
    longest_run_ms: count(h, "longest_run_ms", w),
  };
}

/**
 * Takes typed snapshots from a running Symbiont runtime: `GET /metrics` (required), `GET /status`
 * and `GET /health/scheduler` (optional parts), fetched in parallel. All three are admin routes.
 *
 * @example Seed usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * import { MetricsClient } from "@symbiont/sdk/metrics";
 * const client = new Client({ baseUrl: "http://localhost:8080/api/v1", apiKey: "admin.s3cret" });
 * const snapshot = await new MetricsClient(client).getMetricsSnapshot();
 * console.log(snapshot.agents.running, snapshot.status?.version, snapshot.scheduler?.runs_failed);
 * ```
 */
export class MetricsClient implements SnapshotSource {
  readonly #system: SystemCalls;
  readonly #now: () => number;
  readonly #includeStatus: boolean;
  readonly #includeScheduler: boolean;
  readonly #strict: boolean;

  /**
   * Creates a metrics client over a `Client`'s system calls.
   *
   * @param client A `Client`, or anything with a `system` holding `metrics`, `status` and
   *   `schedulerHealth`.
   * @param options Clock, optional parts and strictness.
   */
  constructor(client: { readonly system: SystemCalls }, options: MetricsClientOptions = {}) {
    const system = (client as { system?: Partial<SystemCalls> } | null | undefined)?.system;
    if (
      typeof system?.metrics !== "function" || typeof system.status !== "function" ||
      typeof system.schedulerHealth !== "function"
    ) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        "MetricsClient needs a Client (or an object whose `system` has metrics(), status() and " +
          "schedulerHealth())",
      );
    }
    this.#system = system as SystemCalls;
    this.#now = options.now ?? Date.now;
    this.#includeStatus = options.includeStatus ?? true;
    this.#includeScheduler = options.includeScheduler ?? true;
    this.#strict = options.strict ?? false;
  }

  /**
   * Takes one snapshot.
   *
   * @param options Abort signal and per-call timeout.
   * @returns The snapshot; `status`/`scheduler` are `null` (and listed in `unavailable`) when
   *   their route failed and the client is not strict.
   * @throws {MetricsError} `METRICS_SOURCE_FAILED` when the metrics route failed (the client's typed
   *   error is the `cause`), `METRICS_INVALID_RESPONSE` for a body of the wrong shape, and in strict
   *   mode the same for the optional parts.
   */
  async getMetricsSnapshot(options: SnapshotOptions = {}): Promise<MetricsSnapshot> {
    const request: SnapshotOptions = {};
    if (options.signal) request.signal = options.signal;
    if (options.timeout !== undefined) request.timeout = options.timeout;
    const skipped = Promise.resolve(null);
    const [metrics, status, scheduler] = await Promise.allSettled([
      this.#system.metrics(request),
      this.#includeStatus ? this.#system.status(request) : skipped,
      this.#includeScheduler ? this.#system.schedulerHealth(request) : skipped,
    ]);
    const timestamp = new Date(this.#now()).toISOString();
    if (metrics.status === "rejected") {
      const { code, message } = describeError(metrics.reason);
      throw new MetricsError(
        MetricsErrorCode.SOURCE_FAILED,
        `GET /metrics failed (${code}): ${message}`,
        { cause: metrics.reason },
      );
    }
    const { agents, system } = readMetrics(metrics.value);
    const unavailable: UnavailablePart[] = [];
    const optional = <T>(
      part: SnapshotPart,
      settled: PromiseSettledResult<unknown>,
      read: (body: unknown) => T,
    ): T | null => {
      let error: unknown;
      if (settled.status === "fulfilled") {
        if (settled.value === null) return null;
        try {
          return read(settled.value);
        } catch (e) {
          error = e;
        }
      } else {
        error = settled.reason;
      }
      const { code, message } = describeError(error);
      if (this.#strict) {
        throw error instanceof MetricsError ? error : new MetricsError(
          MetricsErrorCode.SOURCE_FAILED,
          `${part === "status" ? "GET /status" : "GET /health/scheduler"} failed (${code}): ` +
            message,
          { cause: error },
        );
      }
      unavailable.push({ part, code, message });
      return null;
    };
    return {
      timestamp,
      agents,
      system,
      status: optional("status", status, readStatus),
      scheduler: optional("scheduler", scheduler, readScheduler),
      unavailable,
    };
  }
}
