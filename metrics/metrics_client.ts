/**
 * `MetricsClient`: one typed snapshot from the runtime's metrics route, with `/status` and
 * `/health/scheduler` folded in.
 *
 * @module
 */
import type { WireModel } from "../client/_models.ts";
import { RuntimeMetrics, SchedulerHealthResponse, StatusResponse } from "../client/system.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";

/** Agent counts, from `GET /metrics` (`agents`): `total`, `running`, `idle`, `error`. */
export type AgentCounts = RuntimeMetrics["agents"];

/** System figures, from `GET /metrics` (`system`): `uptime_seconds`, `memory_usage`, `cpu_usage`. */
export type SystemFigures = RuntimeMetrics["system"];

/** The runtime's `/status` answer. */
export type RuntimeStatus = StatusResponse;

/** The scheduler's counters from `/health/scheduler`. */
export type SchedulerFigures = SchedulerHealthResponse;

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

/**
 * Checks a body against the client's model of it (the client may run with validation off, so the
 * shape is checked here again).
 */
function checked<T>(model: WireModel<T>, body: unknown, route: string): T {
  const result = model.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.map(String).join(".") || "(body)";
  throw new MetricsError(
    MetricsErrorCode.INVALID_RESPONSE,
    `${route}: ${where}: ${issue.message}`,
  );
}

function readMetrics(body: unknown): { agents: AgentCounts; system: SystemFigures } {
  const { agents, system } = checked(RuntimeMetrics, body, "GET /metrics");
  return { agents, system };
}

function readStatus(body: unknown): RuntimeStatus {
  return checked(StatusResponse, body, "GET /status");
}

function readScheduler(body: unknown): SchedulerFigures {
  return checked(SchedulerHealthResponse, body, "GET /health/scheduler");
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
