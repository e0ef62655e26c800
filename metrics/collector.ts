/**
 * `MetricsCollector`: periodic snapshot-and-export with clean start and stop, no overlapping runs
 * and counted, isolated errors; `collectOnce()` for a Workers scheduled handler.
 *
 * @module
 */
import type { MetricsExporter } from "./exporter.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";
import type { MetricsSnapshot, SnapshotSource } from "./metrics_client.ts";

/** The timer functions a collector uses; inject your own to drive it in tests. */
export interface CollectorTimers {
  /** Calls `callback` every `ms` milliseconds; returns a handle. */
  setInterval(callback: () => void, ms: number): unknown;
  /** Cancels a handle from `setInterval`. */
  clearInterval(handle: unknown): void;
}

/** Options of {@link MetricsCollector}. */
export interface MetricsCollectorOptions {
  /** Seconds between collections. Default 60. Must be positive and finite. */
  intervalSeconds?: number;
  /** Collect once right away on `start()` instead of waiting one interval. Default true. */
  immediate?: boolean;
  /**
   * Keep the process alive for the timer (Node, Bun, Deno). Default false: like a daemon thread,
   * the collector alone does not keep a script running.
   */
  keepAlive?: boolean;
  /** Timer functions. Default the global `setInterval`/`clearInterval`. */
  timers?: CollectorTimers;
  /** The clock for `lastSuccessAt`/`lastErrorAt`, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /**
   * Called with each failed run's error (after it was counted). An exception thrown here is
   * ignored.
   */
  onError?: (error: unknown, phase: CollectionPhase) => void;
}

/** Where a run failed: taking the snapshot, or exporting it. */
export type CollectionPhase = "snapshot" | "export";

/** The outcome of one run. */
export type CollectionResult =
  | { ok: true; snapshot: MetricsSnapshot }
  | { ok: false; phase: CollectionPhase; error: unknown; snapshot?: MetricsSnapshot };

/** Counters of a collector since it was created. */
export interface CollectorStats {
  /** Runs that finished (succeeded + failed). */
  runs: number;
  /** Runs whose snapshot was exported. */
  succeeded: number;
  /** Runs that failed (snapshotFailures + exportFailures). */
  failed: number;
  /** Runs whose snapshot could not be taken. */
  snapshotFailures: number;
  /** Runs whose export failed. */
  exportFailures: number;
  /** Ticks skipped because the previous run was still in flight. */
  skipped: number;
  /** The last failed run's error, or `null`. */
  lastError: unknown;
  /** When the last run failed (RFC 3339), or `null`. */
  lastErrorAt: string | null;
  /** When the last run succeeded (RFC 3339), or `null`. */
  lastSuccessAt: string | null;
}

/** Options of {@link MetricsCollector.stop}. */
export interface StopOptions {
  /** Abort the run in flight (its signal fires) instead of letting it finish. Default false. */
  abort?: boolean;
  /** Call the exporter's `shutdown()` once the run in flight has finished. Default false. */
  shutdownExporter?: boolean;
}

function unref(handle: unknown, keepAlive: boolean): void {
  if (keepAlive) return;
  if (typeof handle === "object" && handle !== null) {
    const u = (handle as { unref?: () => void }).unref;
    if (typeof u === "function") u.call(handle);
    return;
  }
  if (typeof handle === "number") {
    const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
    deno?.unrefTimer?.(handle);
  }
}

/**
 * Takes a snapshot from a source and exports it, every `intervalSeconds`. A tick that comes while a
 * run is still in flight is skipped (and counted), so runs never overlap. Failures are counted and
 * passed to `onError`; they never stop the collector or escape as unhandled rejections.
 *
 * @example Seed usage (Deno, Node, Bun)
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * import { CompositeExporter, FileMetricsExporter, MetricsClient, MetricsCollector } from "@symbiont/sdk/metrics";
 * const client = new Client();
 * const exporter = new CompositeExporter([new FileMetricsExporter("/var/log/symbiont/metrics.json")]);
 * const collector = new MetricsCollector(new MetricsClient(client), exporter, { intervalSeconds: 60 });
 * collector.start();
 * // ... on shutdown:
 * await collector.stop();
 * ```
 *
 * @example A Workers cron trigger
 * ```ts ignore
 * export default {
 *   async scheduled(_event: unknown, env: Env, ctx: ExecutionContext) {
 *     const client = new Client({ baseUrl: env.SYMBIONT_URL, apiKey: env.SYMBIONT_KEY });
 *     const otlp = new OtlpHttpExporter({ endpoint: env.OTLP_URL });
 *     const collector = new MetricsCollector(new MetricsClient(client), otlp);
 *     ctx.waitUntil(collector.collectOnce());
 *   },
 * };
 * ```
 */
export class MetricsCollector {
  /** The interval in seconds. */
  readonly intervalSeconds: number;
  readonly #source: SnapshotSource;
  readonly #exporter: MetricsExporter;
  readonly #immediate: boolean;
  readonly #keepAlive: boolean;
  readonly #timers: CollectorTimers;
  readonly #now: () => number;
  readonly #onError?: (error: unknown, phase: CollectionPhase) => void;
  #handle: unknown;
  #started = false;
  #inFlight: Promise<CollectionResult> | undefined;
  #controller: AbortController | undefined;
  #stats: CollectorStats = {
    runs: 0,
    succeeded: 0,
    failed: 0,
    snapshotFailures: 0,
    exportFailures: 0,
    skipped: 0,
    lastError: null,
    lastErrorAt: null,
    lastSuccessAt: null,
  };

  /**
   * Creates a stopped collector (call `start()`, or `collectOnce()`).
   *
   * @param source Where snapshots come from: a {@link MetricsClient} (`client.metricsClient`).
   * @param exporter Where they go.
   * @param options Interval, first run, timers, error callback.
   */
  constructor(
    source: SnapshotSource,
    exporter: MetricsExporter,
    options: MetricsCollectorOptions = {},
  ) {
    const invalid = (message: string): MetricsError =>
      new MetricsError(MetricsErrorCode.INVALID_OPTIONS, message);
    if (typeof source?.getMetricsSnapshot !== "function") {
      throw invalid("MetricsCollector: source must have getMetricsSnapshot() (a MetricsClient)");
    }
    if (typeof exporter?.export !== "function") {
      throw invalid("MetricsCollector: exporter must have export()");
    }
    const interval = options.intervalSeconds ?? 60;
    if (typeof interval !== "number" || !Number.isFinite(interval) || interval <= 0) {
      throw invalid("intervalSeconds must be a positive, finite number");
    }
    if (interval * 1000 > 2_147_483_647) {
      throw invalid("intervalSeconds must be at most 2147483 (~24.8 days)");
    }
    const timers = options.timers;
    if (
      timers !== undefined &&
      (typeof timers.setInterval !== "function" || typeof timers.clearInterval !== "function")
    ) {
      throw invalid("timers must have setInterval() and clearInterval()");
    }
    if (options.onError !== undefined && typeof options.onError !== "function") {
      throw invalid("onError must be a function");
    }
    this.intervalSeconds = interval;
    this.#source = source;
    this.#exporter = exporter;
    this.#immediate = options.immediate ?? true;
    this.#keepAlive = options.keepAlive ?? false;
    this.#timers = timers ?? {
      setInterval: (callback, ms) => setInterval(callback, ms),
      clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    };
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
  }

  /** Whether the collector is started (between `start()` and `stop()`). */
  get running(): boolean {
    return this.#started;
  }

  /** Whether a run is in flight now. */
  get collecting(): boolean {
    return this.#inFlight !== undefined;
  }

  /** A copy of the counters. */
  get stats(): CollectorStats {
    return { ...this.#stats };
  }

  /**
   * Starts periodic collection (a second call while started does nothing). With `immediate` (the
   * default) the first run starts now.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#handle = this.#timers.setInterval(() => this.#tick(), this.intervalSeconds * 1000);
    unref(this.#handle, this.#keepAlive);
    if (this.#immediate) this.#tick();
  }

  /**
   * Stops periodic collection and waits for the run in flight (if any) to finish. Safe to call when
   * stopped; `start()` may be called again afterwards.
   *
   * @param options Abort the run in flight; shut the exporter down.
   * @returns When no run is in flight (and the exporter is shut down, if asked).
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.#started) {
      this.#started = false;
      this.#timers.clearInterval(this.#handle);
      this.#handle = undefined;
    }
    if (options.abort) this.#controller?.abort();
    while (this.#inFlight) await this.#inFlight;
    if (options.shutdownExporter) await this.#exporter.shutdown?.();
  }

  /**
   * Runs one collection now: snapshot, then export. When a run is already in flight, returns that
   * run's result instead of starting a second one. Never rejects: failures come back as
   * `{ ok: false, phase, error }` and are counted in {@link MetricsCollector.stats}.
   *
   * @returns The outcome.
   */
  collectOnce(): Promise<CollectionResult> {
    return this.#inFlight ?? this.#run();
  }

  #tick(): void {
    if (this.#inFlight) {
      this.#stats.skipped++;
      return;
    }
    void this.#run();
  }

  #run(): Promise<CollectionResult> {
    const controller = new AbortController();
    this.#controller = controller;
    const run = this.#collect(controller.signal).finally(() => {
      if (this.#inFlight === run) {
        this.#inFlight = undefined;
        this.#controller = undefined;
      }
    });
    this.#inFlight = run;
    return run;
  }

  async #collect(signal: AbortSignal): Promise<CollectionResult> {
    let snapshot: MetricsSnapshot;
    try {
      snapshot = await this.#source.getMetricsSnapshot({ signal });
    } catch (error) {
      return this.#fail("snapshot", error);
    }
    try {
      await this.#exporter.export(snapshot, { signal });
    } catch (error) {
      return this.#fail("export", error, snapshot);
    }
    this.#stats.runs++;
    this.#stats.succeeded++;
    this.#stats.lastSuccessAt = new Date(this.#now()).toISOString();
    return { ok: true, snapshot };
  }

  #fail(phase: CollectionPhase, error: unknown, snapshot?: MetricsSnapshot): CollectionResult {
    const s = this.#stats;
    s.runs++;
    s.failed++;
    if (phase === "snapshot") s.snapshotFailures++;
    else s.exportFailures++;
    s.lastError = error;
    s.lastErrorAt = new Date(this.#now()).toISOString();
    try {
      this.#onError?.(error, phase);
    } catch {
      // an error callback must not break the collector
    }
    return snapshot ? { ok: false, phase, error, snapshot } : { ok: false, phase, error };
  }
}
