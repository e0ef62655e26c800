// The OTLP/HTTP JSON exporter against a recording collector on loopback. The body is checked against
// an independent implementation: the same values recorded through the official OpenTelemetry JS SDK
// (MeterProvider, observable gauges and counters) and serialised by @opentelemetry/otlp-transformer's
// JsonMetricsSerializer; only timestamps are normalised. Then retries, timeout, headers, errors.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { ValueType } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { JsonMetricsSerializer } from "@opentelemetry/otlp-transformer";
import {
  MetricsError,
  type MetricsSnapshot,
  OtlpHttpExporter,
  snapshotToMetrics,
  toOtlpRequest,
} from "../../metrics/mod.ts";
import { SDK_VERSION } from "../../client/mod.ts";
import { serve } from "../../testing/mod.ts";
import type { TestContext } from "../_harness.ts";
import { fullSnapshot, minimalSnapshot } from "./_helpers.ts";

class PullReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

type Attrs = Record<string, string>;
type Observation = [number, Attrs?];

/**
 * Records the snapshot's values with the OpenTelemetry SDK, instrument by instrument as the issue
 * defines them (names, units, kinds and values spelled out here, not taken from our mapping; only
 * the prose descriptions are looked up), and serialises them with the official JSON serializer.
 */
async function referenceBody(
  s: MetricsSnapshot,
  resource: Record<string, string | number | boolean | string[]>,
): Promise<unknown> {
  const descriptions = new Map(snapshotToMetrics(s).map((m) => [m.name, m.description]));
  const reader = new PullReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes(resource),
    readers: [reader],
  });
  const meter = provider.getMeter("@symbiont/sdk/metrics", SDK_VERSION);
  const define = (
    kind: "gauge" | "counter",
    name: string,
    unit: string,
    valueType: ValueType,
    observations: Observation[],
  ) => {
    const options = { description: descriptions.get(name) ?? "?", unit, valueType };
    const instrument = kind === "gauge"
      ? meter.createObservableGauge(name, options)
      : meter.createObservableCounter(name, options);
    instrument.addCallback((result) => {
      for (const [value, attrs] of observations) result.observe(value, attrs ?? {});
    });
  };
  const INT = ValueType.INT;
  const DOUBLE = ValueType.DOUBLE;
  const a = s.agents;
  define("gauge", "symbiont.agents", "{agent}", INT, [
    [a.running, { state: "running" }],
    [a.idle, { state: "idle" }],
    [a.error, { state: "error" }],
  ]);
  define("gauge", "symbiont.agents.registered", "{agent}", INT, [[a.total]]);
  define("counter", "symbiont.runtime.uptime", "s", INT, [[s.system.uptime_seconds]]);
  define("gauge", "symbiont.runtime.memory.usage", "By", INT, [[s.system.memory_usage]]);
  define("gauge", "symbiont.runtime.cpu.usage", "1", DOUBLE, [[s.system.cpu_usage]]);
  if (s.status) {
    define("gauge", "symbiont.runtime.info", "1", INT, [[1, { version: s.status.version }]]);
    define("gauge", "symbiont.runtime.healthy", "1", INT, [[s.status.healthy ? 1 : 0]]);
    define("gauge", "symbiont.schedules", "{schedule}", INT, [[s.status.schedule_count]]);
    define("gauge", "symbiont.channels", "{channel}", INT, [[s.status.channel_count]]);
  }
  const h = s.scheduler;
  if (h) {
    define("gauge", "symbiont.scheduler.running", "1", INT, [[h.is_running ? 1 : 0]]);
    define("gauge", "symbiont.scheduler.store.accessible", "1", INT, [[
      h.store_accessible ? 1 : 0,
    ]]);
    define("gauge", "symbiont.scheduler.jobs", "{job}", INT, [
      [h.jobs_active, { state: "active" }],
      [h.jobs_paused, { state: "paused" }],
      [h.jobs_dead_letter, { state: "dead_letter" }],
    ]);
    define("gauge", "symbiont.scheduler.jobs.registered", "{job}", INT, [[h.jobs_total]]);
    define("gauge", "symbiont.scheduler.runs.active", "{run}", INT, [[h.global_active_runs]]);
    define("gauge", "symbiont.scheduler.runs.limit", "{run}", INT, [[h.max_concurrent]]);
    define("counter", "symbiont.scheduler.runs", "{run}", INT, [[h.runs_total]]);
    define("counter", "symbiont.scheduler.runs.completed", "{run}", INT, [
      [h.runs_succeeded, { outcome: "succeeded" }],
      [h.runs_failed, { outcome: "failed" }],
    ]);
    define("gauge", "symbiont.scheduler.run.duration.average", "s", DOUBLE, [[
      h.average_execution_time_ms / 1000,
    ]]);
    define("gauge", "symbiont.scheduler.run.duration.max", "s", DOUBLE, [[
      h.longest_run_ms / 1000,
    ]]);
  }
  const { resourceMetrics, errors } = await reader.collect();
  assertEquals(errors, []);
  await provider.shutdown();
  const bytes = JsonMetricsSerializer.serializeRequest(resourceMetrics);
  assert(bytes !== undefined, "the serializer produced nothing");
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Replaces every `startTimeUnixNano` / `timeUnixNano` with a marker; keeps everything else. */
function normaliseTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normaliseTimes);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) =>
        k === "startTimeUnixNano" || k === "timeUnixNano" ? [k, "<time>"] : [k, normaliseTimes(v)]
      ),
    );
  }
  return value;
}

interface Received {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** A loopback OTLP receiver answering from a script (request number → response). */
async function collector(
  t: TestContext,
  respond: (n: number) => Response | Promise<Response> = () => new Response(null, { status: 200 }),
): Promise<{ endpoint: string; received: Received[] }> {
  const received: Received[] = [];
  const server = await serve(async (request) => {
    const n = received.length;
    received.push({
      method: request.method,
      path: new URL(request.url).pathname,
      headers: request.headers,
      body: await request.text(),
    });
    return await respond(n);
  });
  t.defer(() => server.close());
  return { endpoint: `${server.url}/v1/metrics`, received };
}

const RESOURCE = {
  "service.name": "symbiont-prod",
  "deployment.environment.name": "test",
  "host.cpus": 4,
  "sampling.ratio": 0.25,
  "feature.enabled": true,
  "team.tags": ["core", "sre"],
};

test("metrics: the OTLP body equals the OpenTelemetry SDK's JSON for the same data points", async (t) => {
  for (const snapshot of [fullSnapshot(), minimalSnapshot()]) {
    const { endpoint, received } = await collector(t);
    const exporter = new OtlpHttpExporter({
      endpoint,
      resourceAttributes: RESOURCE,
      headers: { authorization: "Bearer otlp-secret-token", "x-tenant": "acme" },
    });
    await exporter.export(snapshot);
    assertEquals(received.length, 1);
    const [request] = received;
    assertEquals([request.method, request.path], ["POST", "/v1/metrics"]);
    assertEquals(request.headers.get("content-type"), "application/json");
    assertEquals(request.headers.get("authorization"), "Bearer otlp-secret-token");
    assertEquals(request.headers.get("x-tenant"), "acme");

    const ours = JSON.parse(request.body);
    const theirs = await referenceBody(snapshot, RESOURCE);
    assertEquals(normaliseTimes(ours), normaliseTimes(theirs));
    assertEquals(ours, toOtlpRequest(snapshot, { resourceAttributes: RESOURCE }));

    // The timestamps themselves: the snapshot's time, and the runtime's start for cumulative sums.
    const points = ours.resourceMetrics[0].scopeMetrics[0].metrics.flatMap((
      m: { gauge?: { dataPoints: unknown[] }; sum?: { dataPoints: unknown[] } },
    ) => (m.gauge ?? m.sum)!.dataPoints) as { timeUnixNano: string; startTimeUnixNano: string }[];
    const time = BigInt(Date.parse(snapshot.timestamp)) * 1_000_000n;
    const start = time - BigInt(snapshot.system.uptime_seconds) * 1_000_000_000n;
    for (const p of points) {
      assertEquals([p.timeUnixNano, p.startTimeUnixNano], [String(time), String(start)]);
    }
  }
});

test("metrics: the default resource is service.name=symbiont-runtime; sums are cumulative and monotonic", () => {
  const body = toOtlpRequest(fullSnapshot());
  assertEquals(body.resourceMetrics[0].resource.attributes, [
    { key: "service.name", value: { stringValue: "symbiont-runtime" } },
  ]);
  const metrics = body.resourceMetrics[0].scopeMetrics[0].metrics;
  const uptime = metrics.find((m) => m.name === "symbiont.runtime.uptime")!;
  assertEquals(uptime.sum?.aggregationTemporality, 2);
  assertEquals(uptime.sum?.isMonotonic, true);
  assertEquals(uptime.sum?.dataPoints[0].asInt, 3600);
  const cpu = metrics.find((m) => m.name === "symbiont.runtime.cpu.usage")!;
  assertEquals([cpu.gauge?.dataPoints[0].asDouble, cpu.gauge?.dataPoints[0].asInt], [
    12.75,
    undefined,
  ]);
});

test("metrics: OTLP retries 429 and 503 (Retry-After honoured), then succeeds", async (t) => {
  const { endpoint, received } = await collector(
    t,
    (n) =>
      n === 0
        ? new Response("slow down", { status: 429, headers: { "retry-after": "0" } })
        : n === 1
        ? new Response("unavailable", { status: 503 })
        : Response.json({}, { status: 200 }),
  );
  await new OtlpHttpExporter({ endpoint, retryDelayMs: 1 }).export(fullSnapshot());
  assertEquals(received.length, 3);
  assertEquals(received[1].body, received[0].body);
  assertEquals(received[2].body, received[0].body);
});

test("metrics: OTLP does not retry a 400; the error has the status and no header values", async (t) => {
  const { endpoint, received } = await collector(
    t,
    () => Response.json({ code: 3, message: "metric name is invalid" }, { status: 400 }),
  );
  const exporter = new OtlpHttpExporter({
    endpoint,
    retryDelayMs: 1,
    headers: { authorization: "Bearer otlp-secret-token" },
  });
  const error = await assertRejects(() => exporter.export(fullSnapshot()), MetricsError);
  assertEquals([error.code, error.status], ["METRICS_OTLP_REJECTED", 400]);
  assert(error.message.includes("metric name is invalid"), error.message);
  assert(!error.message.includes("otlp-secret-token"), error.message);
  assertEquals(received.length, 1);
});

test("metrics: OTLP gives up after maxRetries with METRICS_OTLP_RETRIES_EXHAUSTED", async (t) => {
  const { endpoint, received } = await collector(t, () => new Response(null, { status: 503 }));
  const error = await assertRejects(
    () => new OtlpHttpExporter({ endpoint, maxRetries: 2, retryDelayMs: 1 }).export(fullSnapshot()),
    MetricsError,
  );
  assertEquals([error.code, error.status], ["METRICS_OTLP_RETRIES_EXHAUSTED", 503]);
  assertEquals(received.length, 3);
});

test("metrics: network errors are retried; endpoint credentials and query never reach the message", async () => {
  const closed = await serve(() => new Response(null));
  const port = closed.port;
  await closed.close();
  const endpoint = `http://user:hunter2@127.0.0.1:${port}/v1/metrics?token=abc123`;
  const error = await assertRejects(
    () => new OtlpHttpExporter({ endpoint, maxRetries: 1, retryDelayMs: 1 }).export(fullSnapshot()),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_OTLP_RETRIES_EXHAUSTED");
  assert(error.message.includes("2 attempt"), error.message);
  for (const secret of ["hunter2", "abc123", "user:"]) {
    assert(!error.message.includes(secret), `message leaks ${secret}: ${error.message}`);
  }
});

test("metrics: the OTLP timeout covers a hung request and a long Retry-After", async (t) => {
  let release!: () => void;
  const hung = new Promise<void>((resolve) => (release = resolve));
  const { endpoint } = await collector(t, async (n) => {
    if (n === 0) await hung;
    return new Response(null, { status: 200 });
  });
  t.defer(() => release());
  let error = await assertRejects(
    () => new OtlpHttpExporter({ endpoint, timeoutMs: 150 }).export(fullSnapshot()),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_OTLP_TIMEOUT");

  const slow = await collector(
    t,
    () => new Response(null, { status: 503, headers: { "retry-after": "20" } }),
  );
  error = await assertRejects(
    () => new OtlpHttpExporter({ endpoint: slow.endpoint, timeoutMs: 150 }).export(fullSnapshot()),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_OTLP_TIMEOUT");
  assertEquals(slow.received.length, 1);
});

test("metrics: OTLP partial success, abort and shutdown are reported with their codes", async (t) => {
  const { endpoint } = await collector(
    t,
    () => Response.json({ partialSuccess: { rejectedDataPoints: 2, errorMessage: "too old" } }),
  );
  const exporter = new OtlpHttpExporter({ endpoint });
  let error = await assertRejects(() => exporter.export(fullSnapshot()), MetricsError);
  assertEquals(error.code, "METRICS_OTLP_PARTIAL_SUCCESS");
  assert(error.message.includes("2 data point") && error.message.includes("too old"));

  const ok = await collector(t, () => Response.json({ partialSuccess: {} }));
  const fine = new OtlpHttpExporter({ endpoint: ok.endpoint });
  await fine.export(fullSnapshot());
  const controller = new AbortController();
  controller.abort(new Error("stopping"));
  error = await assertRejects(
    () => fine.export(fullSnapshot(), { signal: controller.signal }),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_ABORTED");
  await fine.shutdown();
  error = await assertRejects(() => fine.export(fullSnapshot()), MetricsError);
  assertEquals(error.code, "METRICS_EXPORTER_SHUT_DOWN");
  assertEquals(ok.received.length, 1);
});

test("metrics: bad OTLP options are METRICS_INVALID_OPTIONS without header values", () => {
  const bad: unknown[] = [
    { endpoint: "not a url" },
    { endpoint: "ftp://collector/v1/metrics" },
    { timeoutMs: 0 },
    { maxRetries: -1 },
    { maxRetries: 1.5 },
    { retryDelayMs: Number.NaN },
    { resourceAttributes: { nested: { a: 1 } } },
    { resourceAttributes: { nested: [["a"]] } },
    { headers: { "x-api-key": "sekrit\nvalue" } },
    { headers: { "bad header": "v" } },
  ];
  for (const options of bad) {
    const error = assertThrows(
      () => new OtlpHttpExporter(options as ConstructorParameters<typeof OtlpHttpExporter>[0]),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_INVALID_OPTIONS", JSON.stringify(options));
    assert(!error.message.includes("sekrit"), error.message);
  }
});
