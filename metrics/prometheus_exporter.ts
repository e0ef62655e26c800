/**
 * Prometheus text exposition (format 0.0.4) of snapshots, and a fetch handler to scrape.
 *
 * @module
 */
import type { ExportOptions, MetricsExporter } from "./exporter.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";
import type { MetricsSnapshot, SnapshotSource } from "./metrics_client.ts";
import { assertSnapshot, snapshotToMetrics } from "./metric_data.ts";

/** The `Content-Type` of the exposition: Prometheus text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Options of {@link toPrometheusText} and {@link PrometheusExporter}. */
export interface PrometheusTextOptions {
  /**
   * Labels added to every sample (`{ instance_role: "prod" }`). Names must match
   * `[a-zA-Z_][a-zA-Z0-9_]*`, must not start with `__`, and must not clash with the metrics' own
   * labels (`state`, `outcome`, `version`).
   */
  constLabels?: Record<string, string>;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function checkConstLabels(labels: Record<string, string> | undefined): Record<string, string> {
  if (labels === undefined) return {};
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new MetricsError(MetricsErrorCode.INVALID_OPTIONS, "constLabels must be an object");
  }
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        `constLabels: ${JSON.stringify(name)} is not a valid Prometheus label name`,
      );
    }
    if (["state", "outcome", "version"].includes(name)) {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        `constLabels: "${name}" is already used by the exported metrics`,
      );
    }
    if (typeof value !== "string") {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        `constLabels: the value of "${name}" must be a string`,
      );
    }
  }
  return { ...labels };
}

function render(snapshot: MetricsSnapshot, constLabels: Record<string, string>): string {
  const lines: string[] = [];
  for (const m of snapshotToMetrics(snapshot)) {
    lines.push(`# HELP ${m.prometheusName} ${escapeHelp(m.description)}`);
    lines.push(`# TYPE ${m.prometheusName} ${m.kind === "sum" ? "counter" : "gauge"}`);
    for (const point of m.points) {
      const labels = Object.entries({ ...constLabels, ...point.attributes })
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`);
      const set = labels.length ? `{${labels.join(",")}}` : "";
      lines.push(`${m.prometheusName}${set} ${formatValue(point.value)}`);
    }
  }
  return lines.join("\n") + "\n";
}

/**
 * Renders a snapshot in the Prometheus text exposition format 0.0.4 (HELP and TYPE for every
 * metric, escaped label values, no sample timestamps). See `snapshotToMetrics` for the names.
 *
 * @param snapshot A snapshot.
 * @param options Constant labels.
 * @returns The exposition text, ending in a newline.
 * @throws {MetricsError} `METRICS_INVALID_SNAPSHOT`, or `METRICS_INVALID_OPTIONS` for bad labels.
 *
 * @example Rendering
 * ```ts
 * import { toPrometheusText } from "@symbiont/sdk/metrics";
 * const text = toPrometheusText({
 *   timestamp: "2026-11-28T10:00:00.000Z",
 *   agents: { total: 2, running: 1, idle: 1, error: 0 },
 *   system: { uptime_seconds: 42, memory_usage: 0, cpu_usage: 0 },
 *   status: null,
 *   scheduler: null,
 *   unavailable: [],
 * }, { constLabels: { env: "dev" } });
 * console.log(text.split("\n").find((l) => l.startsWith("symbiont_agents{")));
 * ```
 */
export function toPrometheusText(
  snapshot: MetricsSnapshot,
  options: PrometheusTextOptions = {},
): string {
  return render(snapshot, checkConstLabels(options.constLabels));
}

/** Options of {@link PrometheusExporter}. */
export interface PrometheusExporterOptions extends PrometheusTextOptions {
  /**
   * Take a fresh snapshot from this source on every scrape (useful in a Worker, where no collector
   * runs between requests). Without it, a scrape serves the last snapshot given to `export`.
   */
  source?: SnapshotSource;
}

/**
 * A pull exporter: `export` keeps the latest snapshot and {@link PrometheusExporter.fetch} serves it
 * to Prometheus. `GET`/`HEAD` only; 503 until the first snapshot (or when `source` fails).
 *
 * @example Scrape endpoint next to a collector
 * ```ts ignore
 * import { MetricsClient, MetricsCollector, PrometheusExporter } from "@symbiont/sdk/metrics";
 * const prometheus = new PrometheusExporter();
 * const collector = new MetricsCollector(new MetricsClient(client), prometheus, {
 *   intervalSeconds: 15,
 * });
 * collector.start();
 * Deno.serve({ port: 9464 }, prometheus.fetch); // scrape http://host:9464/metrics
 * ```
 */
export class PrometheusExporter implements MetricsExporter {
  /** `"prometheus"`. */
  readonly name: string = "prometheus";
  readonly #constLabels: Record<string, string>;
  readonly #source?: SnapshotSource;
  #latest: MetricsSnapshot | undefined;

  /**
   * Creates a Prometheus exporter.
   *
   * @param options Constant labels and an optional live source.
   * @throws {MetricsError} `METRICS_INVALID_OPTIONS` for bad labels or a source without
   *   `getMetricsSnapshot`.
   */
  constructor(options: PrometheusExporterOptions = {}) {
    this.#constLabels = checkConstLabels(options.constLabels);
    if (options.source !== undefined && typeof options.source?.getMetricsSnapshot !== "function") {
      throw new MetricsError(
        MetricsErrorCode.INVALID_OPTIONS,
        "source must have getMetricsSnapshot() (a MetricsClient)",
      );
    }
    this.#source = options.source;
    this.fetch = this.fetch.bind(this);
  }

  /**
   * Keeps the snapshot for the next scrape.
   *
   * @param snapshot The snapshot.
   * @param _options Unused.
   * @returns A resolved promise.
   * @throws {MetricsError} `METRICS_INVALID_SNAPSHOT`.
   */
  export(snapshot: MetricsSnapshot, _options?: ExportOptions): Promise<void> {
    try {
      this.#latest = assertSnapshot(snapshot);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * The latest exposition text, or `undefined` before the first snapshot.
   *
   * @returns The text.
   */
  text(): string | undefined {
    return this.#latest ? render(this.#latest, this.#constLabels) : undefined;
  }

  /**
   * The scrape handler (bound: pass it to `Deno.serve`, `serve`, or a Worker's `fetch` as is). Any
   * path is answered; mount it where you like.
   *
   * @param request The scrape request.
   * @returns 200 with the exposition, 405 for other methods, 503 when there is nothing to serve.
   */
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" },
      });
    }
    let snapshot = this.#latest;
    if (this.#source) {
      try {
        // request.signal is left alone: Deno fires it once the response is sent, with a warning.
        snapshot = assertSnapshot(await this.#source.getMetricsSnapshot());
        this.#latest = snapshot;
      } catch (error) {
        const code = (error as { code?: unknown })?.code;
        return new Response(`snapshot failed: ${typeof code === "string" ? code : "error"}\n`, {
          status: 503,
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      }
    }
    if (snapshot === undefined) {
      return new Response("no metrics snapshot collected yet\n", {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8", "retry-after": "5" },
      });
    }
    const text = render(snapshot, this.#constLabels);
    return new Response(request.method === "HEAD" ? null : text, {
      status: 200,
      headers: { "content-type": PROMETHEUS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  }
}
