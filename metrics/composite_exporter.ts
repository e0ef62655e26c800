/**
 * `CompositeExporter`: several exporters behind one, each isolated from the others' failures.
 *
 * @module
 */
import { exporterName, type ExportOptions, type MetricsExporter } from "./exporter.ts";
import { type ExporterFailure, MetricsError, MetricsErrorCode } from "./errors.ts";
import type { MetricsSnapshot } from "./metrics_client.ts";

/**
 * Sends each snapshot to every exporter at once. A failing (or throwing) exporter does not stop the
 * others; after all have finished, the failures are reported together in one
 * `METRICS_COMPOSITE_FAILED` error whose `failures` name each exporter and its error.
 *
 * @example File plus OTLP
 * ```ts ignore
 * import { CompositeExporter, FileMetricsExporter, OtlpHttpExporter } from "@symbiont/sdk/metrics";
 * const exporter = new CompositeExporter([
 *   new FileMetricsExporter("/var/log/symbiont/metrics.json"),
 *   new OtlpHttpExporter({ endpoint: "http://collector:4318/v1/metrics" }),
 * ]);
 * try {
 *   await exporter.export(snapshot);
 * } catch (error) {
 *   for (const f of (error as MetricsError).failures) console.log(f.exporter, f.error);
 * }
 * ```
 */
export class CompositeExporter implements MetricsExporter {
  /** `"composite"`. */
  readonly name: string = "composite";
  /** The exporters, in the order given. */
  readonly exporters: readonly MetricsExporter[];

  /**
   * Creates a composite of several exporters.
   *
   * @param exporters The exporters (at least one).
   * @throws {MetricsError} `METRICS_INVALID_OPTIONS` for an empty list or an item without `export`.
   */
  constructor(exporters: readonly MetricsExporter[]) {
    if (!Array.isArray(exporters) || exporters.length === 0) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        "CompositeExporter needs a non-empty array of exporters",
      );
    }
    exporters.forEach((e, i) => {
      if (typeof e?.export !== "function") {
        throw new MetricsError(
          MetricsErrorCode.INVALID_OPTIONS,
          `CompositeExporter: item ${i} has no export() method`,
        );
      }
    });
    this.exporters = [...exporters];
  }

  /**
   * Exports to every exporter.
   *
   * @param snapshot The snapshot.
   * @param options Abort signal, passed to each exporter.
   * @throws {MetricsError} `METRICS_COMPOSITE_FAILED` when one or more exporters failed (after all
   *   of them finished); `failures` lists them.
   */
  async export(snapshot: MetricsSnapshot, options: ExportOptions = {}): Promise<void> {
    const results = await Promise.allSettled(
      this.exporters.map((e) => {
        try {
          return Promise.resolve(e.export(snapshot, options));
        } catch (error) {
          return Promise.reject(error);
        }
      }),
    );
    const failures = collectFailures(this.exporters, results);
    if (failures.length) throw compositeError(failures, this.exporters.length, "export");
  }

  /**
   * Shuts every exporter down, each isolated from the others.
   *
   * @throws {MetricsError} `METRICS_COMPOSITE_FAILED` when one or more shutdowns failed.
   */
  async shutdown(): Promise<void> {
    const results = await Promise.allSettled(
      this.exporters.map((e) => {
        try {
          return Promise.resolve(e.shutdown?.());
        } catch (error) {
          return Promise.reject(error);
        }
      }),
    );
    const failures = collectFailures(this.exporters, results);
    if (failures.length) throw compositeError(failures, this.exporters.length, "shutdown");
  }
}

function collectFailures(
  exporters: readonly MetricsExporter[],
  results: PromiseSettledResult<unknown>[],
): ExporterFailure[] {
  const failures: ExporterFailure[] = [];
  results.forEach((r, index) => {
    if (r.status === "rejected") {
      failures.push({ index, exporter: exporterName(exporters[index]), error: r.reason });
    }
  });
  return failures;
}

function compositeError(failures: ExporterFailure[], total: number, what: string): MetricsError {
  const parts = failures.map((f) => {
    const e = f.error;
    const code = (e as { code?: unknown })?.code;
    const text = e instanceof Error ? e.message : String(e);
    return `${f.exporter}[${f.index}]${typeof code === "string" ? ` ${code}` : ""}: ${text}`;
  });
  return new MetricsError(
    MetricsErrorCode.COMPOSITE_FAILED,
    `${failures.length} of ${total} exporter(s) failed to ${what}: ${parts.join("; ")}`,
    { failures, cause: failures.length === 1 ? failures[0].error : undefined },
  );
}
