/**
 * `FileMetricsExporter`: snapshots as JSON in a file, either replaced atomically (the latest snapshot)
 * or appended as JSON lines (a history).
 *
 * @module
 */
import type { ExportOptions, MetricsExporter } from "./exporter.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";
import type { MetricsSnapshot } from "./metrics_client.ts";
import { assertSnapshot } from "./metric_data.ts";

/**
 * How the file is written.
 *
 * - `"overwrite"`: the file always holds the latest snapshot as one JSON document. Each export writes
 *   a temporary file in the same folder, flushes it, and renames it over the target, so a reader
 *   never sees a half-written file.
 * - `"append"`: each export appends one compact JSON line (JSON Lines) with a single append-mode
 *   write; the file is a growing history (rotate it with your log tooling).
 */
export type FileExportMode = "overwrite" | "append";

/** Options of {@link FileMetricsExporter}. */
export interface FileMetricsExporterOptions {
  /** `"overwrite"` (default) or `"append"`. */
  mode?: FileExportMode;
  /** Indent the JSON by two spaces (overwrite mode only; JSON lines are always compact). */
  pretty?: boolean;
  /** Flush to disk (`fdatasync`) on every export. Default true. */
  durable?: boolean;
}

type FsAdapter = typeof import("./_fs.ts");

/**
 * Writes snapshots to a JSON file on Deno, Node and Bun (`node:fs`, loaded on first export, so this
 * class can be imported anywhere). Parent folders are created. Exports are written one after
 * another, in call order.
 *
 * @example Seed usage
 * ```ts ignore
 * import { CompositeExporter, FileMetricsExporter, MetricsCollector, MetricsClient } from "@symbiont/sdk/metrics";
 * const exporter = new CompositeExporter([new FileMetricsExporter("/var/log/symbiont/metrics.json")]);
 * const collector = new MetricsCollector(new MetricsClient(client), exporter, { intervalSeconds: 60 });
 * collector.start();
 * ```
 */
export class FileMetricsExporter implements MetricsExporter {
  /** `"file"`. */
  readonly name: string = "file";
  /** The path as given. */
  readonly path: string;
  /** The write mode. */
  readonly mode: FileExportMode;
  readonly #pretty: boolean;
  readonly #durable: boolean;
  #queue: Promise<unknown> = Promise.resolve();
  #shutDown = false;

  /**
   * Creates a file exporter.
   *
   * @param path Where to write (relative paths resolve against the working directory at export).
   * @param options Mode, formatting, durability.
   */
  constructor(path: string, options: FileMetricsExporterOptions = {}) {
    if (typeof path !== "string" || path.trim() === "" || path.includes("\0")) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        "FileMetricsExporter needs a non-empty file path without NUL characters",
      );
    }
    const mode = options.mode ?? "overwrite";
    if (mode !== "overwrite" && mode !== "append") {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        `mode must be "overwrite" or "append", not ${JSON.stringify(mode)}`,
      );
    }
    if (mode === "append" && options.pretty) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        'pretty output cannot be used with mode "append" (one JSON document per line)',
      );
    }
    this.path = path;
    this.mode = mode;
    this.#pretty = options.pretty ?? false;
    this.#durable = options.durable ?? true;
  }

  /**
   * Writes one snapshot (after any earlier export of this exporter has finished).
   *
   * @param snapshot The snapshot.
   * @param options Abort signal (checked before the write starts).
   * @throws {MetricsError} `METRICS_FILE_WRITE_FAILED` (the filesystem error is the `cause`),
   *   `METRICS_FILE_UNSUPPORTED`, `METRICS_INVALID_SNAPSHOT`, `METRICS_ABORTED`,
   *   `METRICS_EXPORTER_SHUT_DOWN`.
   */
  export(snapshot: MetricsSnapshot, options: ExportOptions = {}): Promise<void> {
    if (this.#shutDown) {
      return Promise.reject(
        new MetricsError(MetricsErrorCode.EXPORTER_SHUT_DOWN, "file exporter is shut down"),
      );
    }
    let text: string;
    try {
      assertSnapshot(snapshot);
      text = this.mode === "append"
        ? JSON.stringify(snapshot) + "\n"
        : JSON.stringify(snapshot, null, this.#pretty ? 2 : undefined) + "\n";
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.#queue.then(() => this.#write(text, options.signal));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #write(text: string, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) {
      throw new MetricsError(MetricsErrorCode.ABORTED, "file export was aborted before writing", {
        cause: signal.reason,
      });
    }
    const fs: FsAdapter = await import("./_fs.ts");
    let target: string;
    try {
      target = fs.resolvePath(this.path);
    } catch (error) {
      if (error instanceof MetricsError) throw error;
      throw new MetricsError(
        MetricsErrorCode.FILE_WRITE_FAILED,
        "cannot resolve the metrics path",
        {
          cause: error,
        },
      );
    }
    try {
      if (this.mode === "append") await fs.appendLine(target, text, this.#durable);
      else await fs.writeAtomic(target, text, this.#durable);
    } catch (error) {
      if (error instanceof MetricsError) throw error;
      const code = (error as { code?: unknown })?.code;
      throw new MetricsError(
        MetricsErrorCode.FILE_WRITE_FAILED,
        `writing metrics to ${target} failed${typeof code === "string" ? ` (${code})` : ""}`,
        { cause: error },
      );
    }
  }

  /**
   * Waits for queued writes; later exports are refused.
   *
   * @returns When every queued write has finished.
   */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    await this.#queue;
  }
}
