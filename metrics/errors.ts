/**
 * The metrics module's typed error: one class with a stable `code`.
 *
 * @module
 */

/**
 * Stable codes of {@link MetricsError}, for `switch (error.code)`.
 *
 * @example Switching on a code
 * ```ts
 * import { MetricsError, MetricsErrorCode } from "@symbiont/sdk/metrics";
 * const error = new MetricsError(MetricsErrorCode.INVALID_OPTIONS, "intervalSeconds must be > 0");
 * if (error.code === "METRICS_INVALID_OPTIONS") console.log("fix the configuration");
 * ```
 */
export const MetricsErrorCode = {
  /** An exporter, client or collector was built or called with unusable options. */
  INVALID_OPTIONS: "METRICS_INVALID_OPTIONS",
  /** The runtime's metrics route failed (the client error is the `cause`). */
  SOURCE_FAILED: "METRICS_SOURCE_FAILED",
  /** A runtime answer did not have the documented shape (a missing or non-numeric field). */
  INVALID_RESPONSE: "METRICS_INVALID_RESPONSE",
  /** The value given to an exporter is not a {@link MetricsSnapshot}. */
  INVALID_SNAPSHOT: "METRICS_INVALID_SNAPSHOT",
  /** The file exporter could not write (permissions, disk full, a directory in the way, ...). */
  FILE_WRITE_FAILED: "METRICS_FILE_WRITE_FAILED",
  /** The file exporter needs `node:fs` (Deno, Node or Bun); this runtime has none. */
  FILE_UNSUPPORTED: "METRICS_FILE_UNSUPPORTED",
  /** The OTLP receiver answered with a status that must not be retried (400, 401, 413, ...). */
  OTLP_REJECTED: "METRICS_OTLP_REJECTED",
  /** The OTLP receiver kept answering 429/502/503/504 (or the network failed) after every retry. */
  OTLP_RETRIES_EXHAUSTED: "METRICS_OTLP_RETRIES_EXHAUSTED",
  /** The OTLP export did not finish within its timeout (retries included). */
  OTLP_TIMEOUT: "METRICS_OTLP_TIMEOUT",
  /** The OTLP receiver accepted the request but rejected some data points (`partialSuccess`). */
  OTLP_PARTIAL_SUCCESS: "METRICS_OTLP_PARTIAL_SUCCESS",
  /** At least one exporter of a {@link CompositeExporter} failed; `failures` lists them. */
  COMPOSITE_FAILED: "METRICS_COMPOSITE_FAILED",
  /** The export or collection was aborted through its signal. */
  ABORTED: "METRICS_ABORTED",
  /** `export` was called after `shutdown`. */
  EXPORTER_SHUT_DOWN: "METRICS_EXPORTER_SHUT_DOWN",
} as const;

/**
 * One of the {@link MetricsErrorCode} values.
 *
 * @example Narrowing
 * ```ts
 * import type { MetricsErrorCodeValue } from "@symbiont/sdk/metrics";
 * const code: MetricsErrorCodeValue = "METRICS_OTLP_TIMEOUT";
 * console.log(code);
 * ```
 */
export type MetricsErrorCodeValue = typeof MetricsErrorCode[keyof typeof MetricsErrorCode];

/** One failed exporter of a {@link CompositeExporter} run. */
export interface ExporterFailure {
  /** Position of the exporter in the list given to the composite. */
  index: number;
  /** The exporter's `name`, or its constructor's name. */
  exporter: string;
  /** What it threw. */
  error: unknown;
}

/** Options of {@link MetricsError}. */
export interface MetricsErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** HTTP status, for the OTLP codes that have one. */
  status?: number;
  /** The failed exporters, for `METRICS_COMPOSITE_FAILED`. */
  failures?: ExporterFailure[];
}

/**
 * Thrown by the metrics client, the exporters and the collector. `message` says what was wrong and
 * where; it never contains a header value, a token or a URL's credentials or query string.
 *
 * @example Catching an OTLP rejection
 * ```ts ignore
 * import { MetricsError, OtlpHttpExporter } from "@symbiont/sdk/metrics";
 * const exporter = new OtlpHttpExporter({ endpoint: "http://localhost:4318/v1/metrics" });
 * try {
 *   await exporter.export(snapshot);
 * } catch (error) {
 *   if (error instanceof MetricsError && error.code === "METRICS_OTLP_REJECTED") {
 *     console.log("collector said", error.status);
 *   }
 * }
 * ```
 */
export class MetricsError extends Error {
  /** Stable machine-readable code, one of {@link MetricsErrorCode}. */
  readonly code: MetricsErrorCodeValue;
  /** HTTP status of the answer that caused the error, when there was one. */
  readonly status?: number;
  /** The failed exporters (only for `METRICS_COMPOSITE_FAILED`). */
  readonly failures: readonly ExporterFailure[];

  /**
   * Creates an error with a stable code.
   *
   * @param code One of {@link MetricsErrorCode}.
   * @param message What went wrong and where; never a secret.
   * @param options Cause, HTTP status, composite failures.
   */
  constructor(code: MetricsErrorCodeValue, message: string, options: MetricsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MetricsError";
    this.code = code;
    if (options.status !== undefined) this.status = options.status;
    this.failures = options.failures ?? [];
  }
}
