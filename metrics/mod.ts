/**
 * Metrics: typed runtime snapshots (`GET /metrics` with `/status` and `/health/scheduler` folded
 * in), exporters (JSON file, OTLP/HTTP JSON, Prometheus text exposition, composite) and a periodic
 * `MetricsCollector`. Web standards only; the file exporter loads `node:fs` on first use.
 *
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * import {
 *   CompositeExporter,
 *   FileMetricsExporter,
 *   MetricsClient,
 *   MetricsCollector,
 * } from "@symbiont/sdk/metrics";
 *
 * const client = new Client();
 * const metricsClient = new MetricsClient(client);
 * const snapshot = await metricsClient.getMetricsSnapshot();
 * const exporter = new CompositeExporter([new FileMetricsExporter("/var/log/symbiont/metrics.json")]);
 * const collector = new MetricsCollector(metricsClient, exporter, { intervalSeconds: 60 });
 * collector.start();
 * ```
 *
 * @module
 */
export {
  type ExporterFailure,
  MetricsError,
  MetricsErrorCode,
  type MetricsErrorCodeValue,
  type MetricsErrorOptions,
} from "./errors.ts";
export {
  type AgentCounts,
  MetricsClient,
  type MetricsClientOptions,
  type MetricsSnapshot,
  type RuntimeStatus,
  type SchedulerFigures,
  type SnapshotOptions,
  type SnapshotPart,
  type SnapshotSource,
  type SystemCalls,
  type SystemFigures,
  type UnavailablePart,
} from "./metrics_client.ts";
export {
  assertSnapshot,
  type MetricData,
  type MetricKind,
  type MetricPoint,
  snapshotToMetrics,
} from "./metric_data.ts";
export type { ExportOptions, MetricsExporter } from "./exporter.ts";
export {
  type FileExportMode,
  FileMetricsExporter,
  type FileMetricsExporterOptions,
} from "./file_exporter.ts";
export {
  OTLP_SCOPE,
  type OtlpAnyValue,
  type OtlpAttributeValue,
  type OtlpExportMetricsRequest,
  OtlpHttpExporter,
  type OtlpHttpExporterOptions,
  type OtlpKeyValue,
  type OtlpMetric,
  type OtlpNumberDataPoint,
  type OtlpRequestOptions,
  toOtlpRequest,
} from "./otlp_exporter.ts";
export {
  PROMETHEUS_CONTENT_TYPE,
  PrometheusExporter,
  type PrometheusExporterOptions,
  type PrometheusTextOptions,
  toPrometheusText,
} from "./prometheus_exporter.ts";
export { CompositeExporter } from "./composite_exporter.ts";
export {
  type CollectionPhase,
  type CollectionResult,
  type CollectorStats,
  type CollectorTimers,
  MetricsCollector,
  type MetricsCollectorOptions,
  type StopOptions,
} from "./collector.ts";
