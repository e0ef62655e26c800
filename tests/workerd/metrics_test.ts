// The metrics module inside workerd (web standards only, no nodejs_compat): collectOnce as a cron
// trigger would run it, OTLP export through fetch, the Prometheus scrape handler with a live source,
// a collector on real Worker timers, and the file exporter refusing cleanly.
import { runtime, test } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { Client } from "../../client/mod.ts";
import { createRuntimeDouble } from "../../testing/runtime_double.ts";
import {
  FileMetricsExporter,
  MetricsClient,
  MetricsCollector,
  MetricsError,
  OtlpHttpExporter,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusExporter,
} from "../../metrics/mod.ts";

const TOKEN = "workerd-metrics-token";

function doubleClient(): { client: Client; seed: (name: string) => void } {
  const double = createRuntimeDouble({ apiToken: TOKEN, readyAfterMs: 0 });
  const client = new Client({
    baseUrl: "http://runtime.internal/api/v1",
    apiKey: TOKEN,
    maxRetries: 0,
    fetch: (input, init) => double.fetch(new Request(input, init)),
  });
  return { client, seed: (name) => void double.seedAgent({ name }) };
}

test("metrics (workerd): collectOnce takes a snapshot and posts it as OTLP JSON through fetch", async () => {
  assertEquals(runtime, "workerd");
  const { client, seed } = doubleClient();
  seed("edge-agent");
  const received: { url: string; headers: Headers; body: string }[] = [];
  const otlp = new OtlpHttpExporter({
    endpoint: "https://otel.example/v1/metrics",
    headers: { authorization: "Bearer edge-token" },
    resourceAttributes: { "service.name": "symbiont-edge" },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      received.push({ url: request.url, headers: request.headers, body: await request.text() });
      return new Response("{}", { headers: { "content-type": "application/json" } });
    },
  });
  const collector = new MetricsCollector(new MetricsClient(client), otlp);
  const result = await collector.collectOnce();
  assert(result.ok, `collection failed: ${!result.ok && String(result.error)}`);
  assertEquals(result.snapshot.agents.total, 1);
  assertEquals(received.length, 1);
  assertEquals(received[0].url, "https://otel.example/v1/metrics");
  assertEquals(received[0].headers.get("authorization"), "Bearer edge-token");
  const body = JSON.parse(received[0].body);
  const rm = body.resourceMetrics[0];
  assertEquals(rm.resource.attributes[0], {
    key: "service.name",
    value: { stringValue: "symbiont-edge" },
  });
  const registered = rm.scopeMetrics[0].metrics.find((m: { name: string }) =>
    m.name === "symbiont.agents.registered"
  );
  assertEquals(registered.gauge.dataPoints[0].asInt, 1);
  assertEquals(collector.stats.succeeded, 1);
});

test("metrics (workerd): the Prometheus handler scrapes a live snapshot per request", async () => {
  const { client, seed } = doubleClient();
  const prometheus = new PrometheusExporter({
    source: new MetricsClient(client),
    constLabels: { colo: "edge" },
  });
  let response = await prometheus.fetch(new Request("https://worker.example/metrics"));
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
  assertStringIncludes(await response.text(), 'symbiont_agents_registered{colo="edge"} 0\n');
  seed("late");
  response = await prometheus.fetch(new Request("https://worker.example/metrics"));
  const text = await response.text();
  assertStringIncludes(text, 'symbiont_agents_registered{colo="edge"} 1\n');
  assertStringIncludes(text, "# TYPE symbiont_runtime_uptime_seconds_total counter\n");
});

test("metrics (workerd): a collector runs on Worker timers and stops", async () => {
  const { client } = doubleClient();
  let exports = 0;
  let second!: () => void;
  const done = new Promise<void>((resolve) => (second = resolve));
  const collector = new MetricsCollector(new MetricsClient(client), {
    export: () => {
      if (++exports === 2) second();
      return Promise.resolve();
    },
  }, { intervalSeconds: 0.01 });
  collector.start();
  await done;
  await collector.stop();
  assertEquals(collector.running, false);
  assert(collector.stats.succeeded >= 2);
});

test("metrics (workerd): the file exporter refuses with METRICS_FILE_UNSUPPORTED", async () => {
  const exporter = new FileMetricsExporter("/tmp/metrics.json");
  const { client } = doubleClient();
  const snapshot = await new MetricsClient(client).getMetricsSnapshot();
  const error = await assertRejects(() => exporter.export(snapshot), MetricsError);
  assertEquals(error.code, "METRICS_FILE_UNSUPPORTED");
});
