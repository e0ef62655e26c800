/**
 * OTLP/HTTP JSON export of snapshots over `fetch`: resource attributes, gauges and cumulative
 * monotonic sums, headers, a timeout and retries on 429/502/503/504.
 *
 * @module
 */
import { SDK_VERSION } from "../client/transport.ts";
import type { ExportOptions, MetricsExporter } from "./exporter.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";
import type { MetricsSnapshot } from "./metrics_client.ts";
import { type MetricData, snapshotToMetrics } from "./metric_data.ts";

/** A resource attribute value: a string, number, boolean, or an array of those. */
export type OtlpAttributeValue = string | number | boolean | (string | number | boolean)[];

/** An OTLP `AnyValue` in its JSON form. */
export type OtlpAnyValue =
  | { stringValue: string }
  | { intValue: number }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpAnyValue[] } };

/** An OTLP `KeyValue` in its JSON form. */
export interface OtlpKeyValue {
  /** Attribute key. */
  key: string;
  /** Attribute value. */
  value: OtlpAnyValue;
}

/** An OTLP `NumberDataPoint` in its JSON form (timestamps are decimal nanosecond strings). */
export interface OtlpNumberDataPoint {
  /** The point's attributes. */
  attributes: OtlpKeyValue[];
  /** Start of the cumulative period: when the runtime started. */
  startTimeUnixNano: string;
  /** When the snapshot was taken. */
  timeUnixNano: string;
  /** Integer value (for `int` metrics). */
  asInt?: number;
  /** Floating-point value (for `double` metrics). */
  asDouble?: number;
}

/** An OTLP `Metric` in its JSON form: a gauge or a sum. */
export interface OtlpMetric {
  /** Metric name. */
  name: string;
  /** Description. */
  description: string;
  /** UCUM unit. */
  unit: string;
  /** Present for gauges. */
  gauge?: { dataPoints: OtlpNumberDataPoint[] };
  /** Present for sums: always cumulative (2) and monotonic here. */
  sum?: {
    aggregationTemporality: number;
    isMonotonic: boolean;
    dataPoints: OtlpNumberDataPoint[];
  };
}

/** The body of `POST /v1/metrics`: an `ExportMetricsServiceRequest` in OTLP JSON. */
export interface OtlpExportMetricsRequest {
  /** One entry: the runtime as the resource. */
  resourceMetrics: {
    resource: { attributes: OtlpKeyValue[]; droppedAttributesCount: number };
    scopeMetrics: {
      scope: { name: string; version: string };
      metrics: OtlpMetric[];
    }[];
  }[];
}

/** Options of {@link toOtlpRequest}. */
export interface OtlpRequestOptions {
  /**
   * Resource attributes. Default `{ "service.name": "symbiont-runtime" }`; given attributes are
   * merged over the default.
   */
  resourceAttributes?: Record<string, OtlpAttributeValue>;
}

/** The instrumentation scope the SDK reports under. */
export const OTLP_SCOPE: { readonly name: string; readonly version: string } = {
  name: "@symbiont/sdk/metrics",
  version: SDK_VERSION,
};

const DEFAULT_RESOURCE: Record<string, OtlpAttributeValue> = {
  "service.name": "symbiont-runtime",
};

function anyValue(value: unknown, key: string): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number" && Number.isFinite(value)) {
    return Number.isInteger(value) ? { intValue: value } : { doubleValue: value };
  }
  if (Array.isArray(value)) {
    return {
      arrayValue: {
        values: value.map((v) => {
          if (Array.isArray(v)) {
            throw new MetricsError(
              MetricsErrorCode.INVALID_OPTIONS,
              `resource attribute "${key}": nested arrays are not allowed`,
            );
          }
          return anyValue(v, key);
        }),
      },
    };
  }
  throw new MetricsError(
    MetricsErrorCode.INVALID_OPTIONS,
    `resource attribute "${key}" must be a string, a finite number, a boolean or an array of those`,
  );
}

function attributes(record: Record<string, unknown>): OtlpKeyValue[] {
  return Object.keys(record).map((key) => ({ key, value: anyValue(record[key], key) }));
}

function checkResource(
  attrs: Record<string, OtlpAttributeValue> | undefined,
): Record<string, OtlpAttributeValue> {
  if (
    attrs !== undefined && (typeof attrs !== "object" || attrs === null || Array.isArray(attrs))
  ) {
    throw new MetricsError(
      MetricsErrorCode.INVALID_OPTIONS,
      "resourceAttributes must be an object",
    );
  }
  const merged = { ...DEFAULT_RESOURCE, ...attrs };
  for (const key of Object.keys(merged)) {
    if (!key) {
      throw new MetricsError(MetricsErrorCode.INVALID_OPTIONS, "empty resource attribute key");
    }
  }
  attributes(merged); // validates every value
  return merged;
}

/** Epoch milliseconds (may be fractional) to a decimal string of nanoseconds, without rounding. */
function nanos(ms: number): string {
  const whole = Math.floor(ms);
  const fraction = Math.round((ms - whole) * 1e6);
  return (BigInt(whole) * 1_000_000n + BigInt(fraction)).toString();
}

function toMetric(m: MetricData, start: string, time: string): OtlpMetric {
  const dataPoints = m.points.map((p): OtlpNumberDataPoint => {
    const point: OtlpNumberDataPoint = {
      attributes: attributes(p.attributes),
      startTimeUnixNano: start,
      timeUnixNano: time,
    };
    if (m.valueType === "int") point.asInt = p.value;
    else point.asDouble = p.value;
    return point;
  });
  const out: OtlpMetric = { name: m.name, description: m.description, unit: m.unit };
  if (m.kind === "sum") {
    out.sum = { aggregationTemporality: 2, isMonotonic: true, dataPoints };
  } else {
    out.gauge = { dataPoints };
  }
  return out;
}

/**
 * Builds the OTLP/HTTP JSON body for a snapshot: one resource, one scope (`@symbiont/sdk/metrics`),
 * gauges, and cumulative monotonic sums (`aggregationTemporality` 2) whose start time is the
 * runtime's start (snapshot time minus uptime). Integers go in `asInt`, others in `asDouble`.
 *
 * @param snapshot A snapshot.
 * @param options Resource attributes.
 * @returns The `ExportMetricsServiceRequest`.
 * @throws {MetricsError} `METRICS_INVALID_SNAPSHOT` or `METRICS_INVALID_OPTIONS`.
 *
 * @example Building a body by hand
 * ```ts
 * import { toOtlpRequest } from "@symbiont/sdk/metrics";
 * const body = toOtlpRequest({
 *   timestamp: "2026-11-28T10:00:00.000Z",
 *   agents: { total: 1, running: 1, idle: 0, error: 0 },
 *   system: { uptime_seconds: 5, memory_usage: 0, cpu_usage: 0.5 },
 *   status: null,
 *   scheduler: null,
 *   unavailable: [],
 * }, { resourceAttributes: { "deployment.environment.name": "dev" } });
 * console.log(body.resourceMetrics[0].scopeMetrics[0].metrics.length);
 * ```
 */
export function toOtlpRequest(
  snapshot: MetricsSnapshot,
  options: OtlpRequestOptions = {},
): OtlpExportMetricsRequest {
  return build(snapshot, checkResource(options.resourceAttributes));
}

function build(
  snapshot: MetricsSnapshot,
  resource: Record<string, OtlpAttributeValue>,
): OtlpExportMetricsRequest {
  const metrics = snapshotToMetrics(snapshot);
  const timeMs = Date.parse(snapshot.timestamp);
  const time = nanos(timeMs);
  const start = nanos(Math.max(0, timeMs - snapshot.system.uptime_seconds * 1000));
  return {
    resourceMetrics: [{
      resource: { attributes: attributes(resource), droppedAttributesCount: 0 },
      scopeMetrics: [{
        scope: { name: OTLP_SCOPE.name, version: OTLP_SCOPE.version },
        metrics: metrics.map((m) => toMetric(m, start, time)),
      }],
    }],
  };
}

/** Options of {@link OtlpHttpExporter}. */
export interface OtlpHttpExporterOptions extends OtlpRequestOptions {
  /**
   * The full metrics URL, used as is, e.g. `http://localhost:4318/v1/metrics` (the default). Only
   * `http:` and `https:`.
   */
  endpoint?: string;
  /** Extra request headers (e.g. `authorization`). Their values never appear in errors. */
  headers?: Record<string, string> | Headers;
  /** Deadline for one export, retries included, in milliseconds. Default 10 000. */
  timeoutMs?: number;
  /** Retries after a 429, 502, 503, 504 or a network error. Default 5. Never after other statuses. */
  maxRetries?: number;
  /**
   * First back-off delay in milliseconds; it doubles with each retry (with ±20 % jitter, at most
   * 30 s). A `Retry-After` header (seconds or HTTP date) takes precedence. Default 1000.
   */
  retryDelayMs?: number;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch;
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const MAX_DELAY_MS = 30_000;

function redactEndpoint(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

async function excerpt(response: Response): Promise<string> {
  let text = "";
  try {
    text = await response.text();
  } catch {
    return "";
  }
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === "string") text = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  text = text.replace(/\s+/g, " ").trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * Exports snapshots to an OpenTelemetry collector over OTLP/HTTP with JSON bodies, using only
 * `fetch` (Deno, Node, Bun, Workers). Retries 429, 502, 503 and 504 (honouring `Retry-After`) and
 * network errors with exponential back-off, within one overall timeout.
 *
 * @example Export every minute to a local collector
 * ```ts ignore
 * import { MetricsClient, MetricsCollector, OtlpHttpExporter } from "@symbiont/sdk/metrics";
 * const otlp = new OtlpHttpExporter({
 *   endpoint: "https://otel.example.com/v1/metrics",
 *   headers: { authorization: `Bearer ${token}` },
 *   resourceAttributes: { "service.name": "symbiont-prod" },
 * });
 * new MetricsCollector(new MetricsClient(client), otlp, { intervalSeconds: 60 }).start();
 * ```
 */
export class OtlpHttpExporter implements MetricsExporter {
  /** `"otlp"`. */
  readonly name: string = "otlp";
  readonly #url: URL;
  readonly #where: string;
  readonly #headers: Headers;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #retryDelayMs: number;
  readonly #fetch: typeof fetch;
  readonly #resource: Record<string, OtlpAttributeValue>;
  readonly #pending = new Set<Promise<unknown>>();
  #shutDown = false;

  /**
   * Creates an OTLP/HTTP JSON exporter.
   *
   * @param options Endpoint, headers, timeout, retries, resource attributes.
   * @throws {MetricsError} `METRICS_INVALID_OPTIONS` for a bad endpoint, header, timeout or attribute.
   */
  constructor(options: OtlpHttpExporterOptions = {}) {
    const invalid = (message: string): MetricsError =>
      new MetricsError(MetricsErrorCode.INVALID_OPTIONS, message);
    let url: URL;
    try {
      url = new URL(options.endpoint ?? "http://localhost:4318/v1/metrics");
    } catch {
      throw invalid("OTLP endpoint is not a valid absolute URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw invalid(`OTLP endpoint must use http: or https:, not ${url.protocol}`);
    }
    this.#url = url;
    this.#where = redactEndpoint(url);
    try {
      this.#headers = new Headers(options.headers);
    } catch {
      throw invalid("OTLP headers: a header name or value is not valid (values not shown)");
    }
    this.#headers.set("content-type", "application/json");
    if (!this.#headers.has("user-agent")) {
      this.#headers.set("user-agent", `symbiont-sdk-ts/${SDK_VERSION}`);
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw invalid("timeoutMs must be a positive number of milliseconds");
    }
    const maxRetries = options.maxRetries ?? 5;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw invalid("maxRetries must be a non-negative integer");
    }
    const retryDelayMs = options.retryDelayMs ?? 1000;
    if (typeof retryDelayMs !== "number" || !Number.isFinite(retryDelayMs) || retryDelayMs < 0) {
      throw invalid("retryDelayMs must be a non-negative number of milliseconds");
    }
    if (options.fetch !== undefined && typeof options.fetch !== "function") {
      throw invalid("fetch must be a function");
    }
    this.#timeoutMs = timeoutMs;
    this.#maxRetries = maxRetries;
    this.#retryDelayMs = retryDelayMs;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#resource = checkResource(options.resourceAttributes);
  }

  /**
   * Posts one snapshot.
   *
   * @param snapshot The snapshot.
   * @param options Abort signal.
   * @throws {MetricsError} `METRICS_OTLP_REJECTED` (with `status`), `METRICS_OTLP_RETRIES_EXHAUSTED`,
   *   `METRICS_OTLP_TIMEOUT`, `METRICS_OTLP_PARTIAL_SUCCESS`, `METRICS_ABORTED`,
   *   `METRICS_INVALID_SNAPSHOT`, `METRICS_EXPORTER_SHUT_DOWN`.
   */
  async export(snapshot: MetricsSnapshot, options: ExportOptions = {}): Promise<void> {
    if (this.#shutDown) {
      throw new MetricsError(MetricsErrorCode.EXPORTER_SHUT_DOWN, "OTLP exporter is shut down");
    }
    const body = JSON.stringify(build(snapshot, this.#resource));
    const run = this.#send(body, options.signal);
    this.#pending.add(run);
    try {
      await run;
    } finally {
      this.#pending.delete(run);
    }
  }

  async #send(body: string, outer: AbortSignal | undefined): Promise<void> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#timeoutMs);
    const onAbort = () => controller.abort();
    if (outer?.aborted) controller.abort();
    outer?.addEventListener("abort", onAbort, { once: true });
    const stopped = (cause: unknown): MetricsError =>
      timedOut
        ? new MetricsError(
          MetricsErrorCode.OTLP_TIMEOUT,
          `OTLP export to ${this.#where} did not finish within ${this.#timeoutMs} ms`,
          { cause },
        )
        : new MetricsError(MetricsErrorCode.ABORTED, `OTLP export to ${this.#where} was aborted`, {
          cause: outer?.reason ?? cause,
        });
    try {
      for (let attempt = 0;; attempt++) {
        if (controller.signal.aborted) throw stopped(undefined);
        let response: Response;
        try {
          response = await this.#fetch(this.#url, {
            method: "POST",
            headers: this.#headers,
            body,
            signal: controller.signal,
          });
        } catch (error) {
          if (controller.signal.aborted) throw stopped(error);
          if (attempt >= this.#maxRetries) {
            throw new MetricsError(
              MetricsErrorCode.OTLP_RETRIES_EXHAUSTED,
              `OTLP export to ${this.#where} failed after ${attempt + 1} attempt(s): ` +
                `network error (${error instanceof Error ? error.name : "error"})`,
              { cause: error },
            );
          }
          await this.#backoff(attempt, undefined, controller.signal).catch((e) => {
            throw stopped(e);
          });
          continue;
        }
        if (response.ok) {
          await this.#checkPartialSuccess(response);
          return;
        }
        const status = response.status;
        const retryAfter = parseRetryAfter(response.headers.get("retry-after"), Date.now());
        const detail = await excerpt(response);
        const suffix = detail ? `: ${detail}` : "";
        if (!RETRYABLE.has(status)) {
          throw new MetricsError(
            MetricsErrorCode.OTLP_REJECTED,
            `OTLP export to ${this.#where} was rejected with ${status}${suffix}`,
            { status },
          );
        }
        if (attempt >= this.#maxRetries) {
          throw new MetricsError(
            MetricsErrorCode.OTLP_RETRIES_EXHAUSTED,
            `OTLP export to ${this.#where} failed after ${attempt + 1} attempt(s), last ${status}` +
              suffix,
            { status },
          );
        }
        await this.#backoff(attempt, retryAfter, controller.signal).catch((e) => {
          throw stopped(e);
        });
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    }
  }

  #backoff(attempt: number, retryAfterMs: number | undefined, signal: AbortSignal): Promise<void> {
    let delay = retryAfterMs;
    if (delay === undefined) {
      const base = this.#retryDelayMs * 2 ** attempt;
      delay = base * (0.8 + Math.random() * 0.4);
    }
    return wait(Math.min(delay, MAX_DELAY_MS), signal);
  }

  async #checkPartialSuccess(response: Response): Promise<void> {
    let text: string;
    try {
      text = await response.text();
    } catch {
      return;
    }
    if (!text || !(response.headers.get("content-type") ?? "").includes("json")) return;
    let parsed: { partialSuccess?: { rejectedDataPoints?: unknown; errorMessage?: unknown } };
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    const rejected = Number(parsed?.partialSuccess?.rejectedDataPoints ?? 0);
    if (rejected > 0) {
      const message = parsed.partialSuccess?.errorMessage;
      throw new MetricsError(
        MetricsErrorCode.OTLP_PARTIAL_SUCCESS,
        `OTLP receiver at ${this.#where} rejected ${rejected} data point(s)` +
          (typeof message === "string" && message ? `: ${message.slice(0, 200)}` : ""),
        { status: response.status },
      );
    }
  }

  /**
   * Waits for exports in flight; later exports are refused.
   *
   * @returns When nothing is in flight.
   */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await Promise.allSettled([...this.#pending]);
  }
}
