/**
 * The exporter contract every metrics exporter implements.
 *
 * @module
 */
import type { MetricsSnapshot } from "./metrics_client.ts";

/** Per-call options of {@link MetricsExporter.export}. */
export interface ExportOptions {
  /** Aborts the export (a collector aborts it on `stop({ abort: true })`). */
  signal?: AbortSignal;
}

/**
 * Sends or stores snapshots somewhere. `export` resolves when the snapshot is delivered and rejects
 * with a {@link MetricsError} when it is not; `shutdown` (optional) waits for pending work and
 * releases resources.
 *
 * @example A custom exporter
 * ```ts
 * import type { MetricsExporter, MetricsSnapshot } from "@symbiont/sdk/metrics";
 * class LastValue implements MetricsExporter {
 *   readonly name = "last-value";
 *   last: MetricsSnapshot | undefined;
 *   export(snapshot: MetricsSnapshot): Promise<void> {
 *     this.last = snapshot;
 *     return Promise.resolve();
 *   }
 * }
 * console.log(new LastValue().name);
 * ```
 */
export interface MetricsExporter {
  /** A short name for error reports (`"file"`, `"otlp"`, ...). */
  readonly name?: string;
  /**
   * Delivers one snapshot.
   *
   * @param snapshot The snapshot.
   * @param options Abort signal.
   */
  export(snapshot: MetricsSnapshot, options?: ExportOptions): Promise<void>;
  /** Waits for pending work and releases resources; later exports may be refused. */
  shutdown?(): Promise<void>;
}

/**
 * The name of an exporter for error reports.
 *
 * @param exporter An exporter.
 * @returns Its `name`, its constructor's name, or `"exporter"`.
 */
export function exporterName(exporter: MetricsExporter): string {
  if (typeof exporter.name === "string" && exporter.name) return exporter.name;
  const ctor = (exporter as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== "Object" ? ctor : "exporter";
}
