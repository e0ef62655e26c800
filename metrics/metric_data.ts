/**
 * The one mapping from a {@link MetricsSnapshot} to named metrics, shared by the OTLP and Prometheus
 * exporters so both report the same instruments.
 *
 * @module
 */
import type { MetricsSnapshot } from "./metrics_client.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";

/** A gauge (a value now) or a monotonic cumulative sum (a counter since runtime start). */
export type MetricKind = "gauge" | "sum";

/** One data point: attribute set and value. */
export interface MetricPoint {
  /** Attributes (OTLP) or labels (Prometheus). */
  attributes: Record<string, string>;
  /** The value. */
  value: number;
}

/** One metric with its points, in a form both exporters can serialise. */
export interface MetricData {
  /** OpenTelemetry name, dot-separated (`symbiont.agents`). */
  name: string;
  /** Prometheus name (`symbiont_agents`; counters end in `_total`). */
  prometheusName: string;
  /** One-line description (Prometheus HELP). */
  description: string;
  /** UCUM unit (`s`, `By`, `{agent}`, `1`). */
  unit: string;
  /** Gauge or monotonic cumulative sum. */
  kind: MetricKind;
  /** Whether the points are integers (`asInt`) or doubles (`asDouble`). */
  valueType: "int" | "double";
  /** The data points. */
  points: MetricPoint[];
}

function metric(
  name: string,
  prometheusName: string,
  description: string,
  unit: string,
  kind: MetricKind,
  valueType: "int" | "double",
  points: MetricPoint[],
): MetricData {
  return { name, prometheusName, description, unit, kind, valueType, points };
}

const one = (value: number): MetricPoint[] => [{ attributes: {}, value }];
const bit = (value: boolean): number => (value ? 1 : 0);

/**
 * Checks that a value is a snapshot an exporter can use (the fields the mapping reads).
 *
 * @param value Anything.
 * @returns The value, typed.
 * @throws {MetricsError} `METRICS_INVALID_SNAPSHOT` naming the first bad field.
 *
 * @example Guarding untrusted input
 * ```ts
 * import { assertSnapshot } from "@symbiont/sdk/metrics";
 * try {
 *   assertSnapshot({ agents: {} });
 * } catch (error) {
 *   console.log((error as { code: string }).code); // METRICS_INVALID_SNAPSHOT
 * }
 * ```
 */
export function assertSnapshot(value: unknown): MetricsSnapshot {
  const bad = (field: string): never => {
    throw new MetricsError(
      MetricsErrorCode.INVALID_SNAPSHOT,
      `not a metrics snapshot: ${field} is missing or has the wrong type`,
    );
  };
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? v as Record<string, unknown>
      : bad(field);
  const num = (o: Record<string, unknown>, k: string, field: string): void => {
    const v = o[k];
    if (typeof v !== "number" || !Number.isFinite(v)) bad(`${field}.${k}`);
  };
  const s = obj(value, "the snapshot");
  if (typeof s.timestamp !== "string" || Number.isNaN(Date.parse(s.timestamp))) bad("timestamp");
  const agents = obj(s.agents, "agents");
  for (const k of ["total", "running", "idle", "error"]) num(agents, k, "agents");
  const system = obj(s.system, "system");
  for (const k of ["uptime_seconds", "memory_usage", "cpu_usage"]) num(system, k, "system");
  if (s.status !== null && s.status !== undefined) {
    const st = obj(s.status, "status");
    if (typeof st.version !== "string") bad("status.version");
    if (typeof st.healthy !== "boolean") bad("status.healthy");
    for (const k of ["schedule_count", "channel_count"]) num(st, k, "status");
  }
  if (s.scheduler !== null && s.scheduler !== undefined) {
    const h = obj(s.scheduler, "scheduler");
    for (const k of ["is_running", "store_accessible"]) {
      if (typeof h[k] !== "boolean") bad(`scheduler.${k}`);
    }
    for (
      const k of [
        "jobs_total",
        "jobs_active",
        "jobs_paused",
        "jobs_dead_letter",
        "global_active_runs",
        "max_concurrent",
        "runs_total",
        "runs_succeeded",
        "runs_failed",
        "average_execution_time_ms",
        "longest_run_ms",
      ]
    ) num(h, k, "scheduler");
  }
  return value as MetricsSnapshot;
}

/**
 * Maps a snapshot to the metrics the exporters report. Parts the snapshot lacks (`status` or
 * `scheduler` is `null`) contribute no metrics. Milliseconds become seconds.
 *
 * | OpenTelemetry | Prometheus | Kind | From |
 * |---|---|---|---|
 * | `symbiont.agents` {state} | `symbiont_agents` | gauge | `agents.running/idle/error` |
 * | `symbiont.agents.registered` | `symbiont_agents_registered` | gauge | `agents.total` |
 * | `symbiont.runtime.uptime` | `symbiont_runtime_uptime_seconds_total` | sum | `system.uptime_seconds` |
 * | `symbiont.runtime.memory.usage` | `symbiont_runtime_memory_usage_bytes` | gauge | `system.memory_usage` |
 * | `symbiont.runtime.cpu.usage` | `symbiont_runtime_cpu_usage` | gauge | `system.cpu_usage` |
 * | `symbiont.runtime.info` {version} | `symbiont_runtime_info` | gauge (1) | `status.version` |
 * | `symbiont.runtime.healthy` | `symbiont_runtime_healthy` | gauge (0/1) | `status.healthy` |
 * | `symbiont.schedules` | `symbiont_schedules` | gauge | `status.schedule_count` |
 * | `symbiont.channels` | `symbiont_channels` | gauge | `status.channel_count` |
 * | `symbiont.scheduler.running` | `symbiont_scheduler_running` | gauge (0/1) | `is_running` |
 * | `symbiont.scheduler.store.accessible` | `symbiont_scheduler_store_accessible` | gauge (0/1) | `store_accessible` |
 * | `symbiont.scheduler.jobs` {state} | `symbiont_scheduler_jobs` | gauge | `jobs_active/paused/dead_letter` |
 * | `symbiont.scheduler.jobs.registered` | `symbiont_scheduler_jobs_registered` | gauge | `jobs_total` |
 * | `symbiont.scheduler.runs.active` | `symbiont_scheduler_runs_active` | gauge | `global_active_runs` |
 * | `symbiont.scheduler.runs.limit` | `symbiont_scheduler_runs_limit` | gauge | `max_concurrent` |
 * | `symbiont.scheduler.runs` | `symbiont_scheduler_runs_total` | sum | `runs_total` |
 * | `symbiont.scheduler.runs.completed` {outcome} | `symbiont_scheduler_runs_completed_total` | sum | `runs_succeeded/failed` |
 * | `symbiont.scheduler.run.duration.average` | `symbiont_scheduler_run_duration_average_seconds` | gauge | `average_execution_time_ms` |
 * | `symbiont.scheduler.run.duration.max` | `symbiont_scheduler_run_duration_max_seconds` | gauge | `longest_run_ms` |
 *
 * @param snapshot A snapshot.
 * @returns The metrics, in the order of the table.
 * @throws {MetricsError} `METRICS_INVALID_SNAPSHOT` when `snapshot` is not a snapshot.
 *
 * @example Feeding another backend
 * ```ts
 * import { snapshotToMetrics } from "@symbiont/sdk/metrics";
 * const metrics = snapshotToMetrics({
 *   timestamp: "2026-11-28T10:00:00.000Z",
 *   agents: { total: 3, running: 1, idle: 2, error: 0 },
 *   system: { uptime_seconds: 60, memory_usage: 1048576, cpu_usage: 2.5 },
 *   status: null,
 *   scheduler: null,
 *   unavailable: [],
 * });
 * for (const m of metrics) console.log(m.name, m.points.map((p) => p.value));
 * ```
 */
export function snapshotToMetrics(snapshot: MetricsSnapshot): MetricData[] {
  const { agents, system, status, scheduler } = assertSnapshot(snapshot);
  const out: MetricData[] = [
    metric("symbiont.agents", "symbiont_agents", "Agents by state.", "{agent}", "gauge", "int", [
      { attributes: { state: "running" }, value: agents.running },
      { attributes: { state: "idle" }, value: agents.idle },
      { attributes: { state: "error" }, value: agents.error },
    ]),
    metric(
      "symbiont.agents.registered",
      "symbiont_agents_registered",
      "Agents the runtime knows, in any state.",
      "{agent}",
      "gauge",
      "int",
      one(agents.total),
    ),
    metric(
      "symbiont.runtime.uptime",
      "symbiont_runtime_uptime_seconds_total",
      "Seconds since the runtime started.",
      "s",
      "sum",
      "int",
      one(system.uptime_seconds),
    ),
    metric(
      "symbiont.runtime.memory.usage",
      "symbiont_runtime_memory_usage_bytes",
      "Memory the runtime uses, in bytes.",
      "By",
      "gauge",
      "int",
      one(system.memory_usage),
    ),
    metric(
      "symbiont.runtime.cpu.usage",
      "symbiont_runtime_cpu_usage",
      "CPU usage as the runtime reports it.",
      "1",
      "gauge",
      "double",
      one(system.cpu_usage),
    ),
  ];
  if (status) {
    out.push(
      metric(
        "symbiont.runtime.info",
        "symbiont_runtime_info",
        "Always 1; the runtime version is the label.",
        "1",
        "gauge",
        "int",
        [{ attributes: { version: status.version }, value: 1 }],
      ),
      metric(
        "symbiont.runtime.healthy",
        "symbiont_runtime_healthy",
        "1 when the runtime's internal health check passes, else 0.",
        "1",
        "gauge",
        "int",
        one(bit(status.healthy)),
      ),
      metric(
        "symbiont.schedules",
        "symbiont_schedules",
        "Cron schedules.",
        "{schedule}",
        "gauge",
        "int",
        one(status.schedule_count),
      ),
      metric(
        "symbiont.channels",
        "symbiont_channels",
        "Chat channels.",
        "{channel}",
        "gauge",
        "int",
        one(status.channel_count),
      ),
    );
  }
  if (scheduler) {
    const h = scheduler;
    out.push(
      metric(
        "symbiont.scheduler.running",
        "symbiont_scheduler_running",
        "1 when a cron scheduler runs, else 0.",
        "1",
        "gauge",
        "int",
        one(bit(h.is_running)),
      ),
      metric(
        "symbiont.scheduler.store.accessible",
        "symbiont_scheduler_store_accessible",
        "1 when the scheduler's job store answers, else 0.",
        "1",
        "gauge",
        "int",
        one(bit(h.store_accessible)),
      ),
      metric(
        "symbiont.scheduler.jobs",
        "symbiont_scheduler_jobs",
        "Jobs by state.",
        "{job}",
        "gauge",
        "int",
        [
          { attributes: { state: "active" }, value: h.jobs_active },
          { attributes: { state: "paused" }, value: h.jobs_paused },
          { attributes: { state: "dead_letter" }, value: h.jobs_dead_letter },
        ],
      ),
      metric(
        "symbiont.scheduler.jobs.registered",
        "symbiont_scheduler_jobs_registered",
        "Jobs the scheduler knows, in any state.",
        "{job}",
        "gauge",
        "int",
        one(h.jobs_total),
      ),
      metric(
        "symbiont.scheduler.runs.active",
        "symbiont_scheduler_runs_active",
        "Runs executing now.",
        "{run}",
        "gauge",
        "int",
        one(h.global_active_runs),
      ),
      metric(
        "symbiont.scheduler.runs.limit",
        "symbiont_scheduler_runs_limit",
        "Most runs allowed at once.",
        "{run}",
        "gauge",
        "int",
        one(h.max_concurrent),
      ),
      metric(
        "symbiont.scheduler.runs",
        "symbiont_scheduler_runs_total",
        "Runs started since the runtime started.",
        "{run}",
        "sum",
        "int",
        one(h.runs_total),
      ),
      metric(
        "symbiont.scheduler.runs.completed",
        "symbiont_scheduler_runs_completed_total",
        "Finished runs by outcome.",
        "{run}",
        "sum",
        "int",
        [
          { attributes: { outcome: "succeeded" }, value: h.runs_succeeded },
          { attributes: { outcome: "failed" }, value: h.runs_failed },
        ],
      ),
      metric(
        "symbiont.scheduler.run.duration.average",
        "symbiont_scheduler_run_duration_average_seconds",
        "Mean run time, in seconds.",
        "s",
        "gauge",
        "double",
        one(h.average_execution_time_ms / 1000),
      ),
      metric(
        "symbiont.scheduler.run.duration.max",
        "symbiont_scheduler_run_duration_max_seconds",
        "Longest run, in seconds.",
        "s",
        "gauge",
        "double",
        one(h.longest_run_ms / 1000),
      ),
    );
  }
  return out;
}
