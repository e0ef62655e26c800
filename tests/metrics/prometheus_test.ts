// Prometheus text exposition: exact lines, escaping, `promtool check metrics` (the reference parser
// and linter), and the scrape handler over loopback with a stored or a live snapshot.
import { runtime, test } from "../_harness.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../_assert.ts";
import {
  MetricsClient,
  MetricsError,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusExporter,
  toPrometheusText,
} from "../../metrics/mod.ts";
import { serve } from "../../testing/mod.ts";
import { fullSnapshot, minimalSnapshot, servedDouble } from "./_helpers.ts";

const PROCESS_RUNTIMES = ["deno", "node", "bun"] as ("deno" | "node" | "bun")[];

test("metrics: Prometheus text has HELP, TYPE and the snapshot's values", () => {
  const text = toPrometheusText(fullSnapshot());
  const lines = text.split("\n");
  assertEquals(lines.at(-1), "", "ends with a newline");
  for (
    const expected of [
      "# HELP symbiont_agents Agents by state.",
      "# TYPE symbiont_agents gauge",
      'symbiont_agents{state="running"} 3',
      'symbiont_agents{state="idle"} 3',
      'symbiont_agents{state="error"} 1',
      "symbiont_agents_registered 7",
      "# TYPE symbiont_runtime_uptime_seconds_total counter",
      "symbiont_runtime_uptime_seconds_total 3600",
      "symbiont_runtime_memory_usage_bytes 268435456",
      "symbiont_runtime_cpu_usage 12.75",
      'symbiont_runtime_info{version="1.19.0"} 1',
      "symbiont_runtime_healthy 1",
      "symbiont_schedules 2",
      "symbiont_channels 1",
      "symbiont_scheduler_running 1",
      "symbiont_scheduler_store_accessible 1",
      'symbiont_scheduler_jobs{state="dead_letter"} 1',
      "symbiont_scheduler_jobs_registered 4",
      "symbiont_scheduler_runs_active 1",
      "symbiont_scheduler_runs_limit 100",
      "# TYPE symbiont_scheduler_runs_total counter",
      "symbiont_scheduler_runs_total 40",
      'symbiont_scheduler_runs_completed_total{outcome="succeeded"} 35',
      'symbiont_scheduler_runs_completed_total{outcome="failed"} 4',
      "symbiont_scheduler_run_duration_average_seconds 1.2505",
      "symbiont_scheduler_run_duration_max_seconds 9",
    ]
  ) assert(lines.includes(expected), `missing line: ${expected}\n${text}`);
  // Every sample's family has HELP and TYPE before it, once.
  const families = lines.filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]);
  assertEquals(new Set(families).size, families.length);
  assertEquals(families.length, 19);

  const minimal = toPrometheusText(minimalSnapshot());
  assert(!minimal.includes("symbiont_scheduler"), "no scheduler metrics without scheduler");
  assert(!minimal.includes("symbiont_runtime_info"), "no status metrics without status");
  assertStringIncludes(minimal, "symbiont_runtime_uptime_seconds_total 3600\n");
});

test("metrics: Prometheus label values and constant labels are escaped", () => {
  const snapshot = fullSnapshot();
  snapshot.status!.version = 'v1 "beta"\nline\\end';
  const text = toPrometheusText(snapshot, { constLabels: { cluster: 'eu "west"' } });
  assertStringIncludes(
    text,
    'symbiont_runtime_info{cluster="eu \\"west\\"",version="v1 \\"beta\\"\\nline\\\\end"} 1\n',
  );
  assertStringIncludes(text, 'symbiont_agents{cluster="eu \\"west\\"",state="running"} 3\n');
  const badLabels: Record<string, string>[] = [
    { "bad-name": "x" },
    { __reserved: "x" },
    { state: "x" },
    { "1x": "x" },
  ];
  for (const bad of badLabels) {
    const error = assertThrows(
      () => toPrometheusText(snapshot, { constLabels: bad }),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_INVALID_OPTIONS");
  }
  const error = assertThrows(
    () => toPrometheusText({ agents: {} } as never),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_INVALID_SNAPSHOT");
});

interface PromtoolResult {
  available: boolean;
  status: number | null;
  output: string;
}

async function promtool(text: string): Promise<PromtoolResult> {
  const { spawnSync } = await import("node:child_process");
  const result = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  if ((result.error as { code?: string } | undefined)?.code === "ENOENT") {
    return { available: false, status: null, output: "" };
  }
  if (result.error) throw result.error;
  return { available: true, status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function promtoolOrSkip(text: string): Promise<PromtoolResult | undefined> {
  const result = await promtool(text);
  if (result.available) return result;
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process
    ?.env;
  if (env?.CI) {
    throw new Error("promtool is not installed, but CI must have it (package prometheus)");
  }
  // deno-lint-ignore no-console
  console.log(
    `     note: promtool not found on ${runtime}; install the prometheus package to run this`,
  );
  return undefined;
}

test(
  "metrics: promtool check metrics accepts the exposition (full, minimal, escaped, labelled)",
  async () => {
    const hostile = fullSnapshot();
    hostile.status!.version = 'v1 "beta"\nline\\end ✓';
    const texts = [
      toPrometheusText(fullSnapshot()),
      toPrometheusText(minimalSnapshot()),
      toPrometheusText(hostile, { constLabels: { cluster: "eu-west", env: 'we"ird' } }),
      toPrometheusText(fullSnapshot({
        agents: { total: 0, running: 0, idle: 0, error: 0 },
        system: { uptime_seconds: 0, memory_usage: 0, cpu_usage: 0.000001 },
      })),
    ];
    for (const text of texts) {
      const result = await promtoolOrSkip(text);
      if (!result) return;
      assertEquals(result.status, 0, `promtool rejected:\n${result.output}\n---\n${text}`);
      assertEquals(result.output.trim(), "", `promtool lint findings:\n${result.output}`);
    }
  },
  { runtimes: PROCESS_RUNTIMES },
);

test("metrics: promtool really rejects a bad exposition (the check above can fail)", async () => {
  const good = toPrometheusText(minimalSnapshot());
  const bad = [
    // a counter without the _total suffix (lint)
    good.replaceAll("symbiont_runtime_uptime_seconds_total", "symbiont_runtime_uptime_seconds"),
    // an unescaped quote in a label value (parse error)
    good.replace('state="running"', 'state="run"ning"'),
  ];
  for (const text of bad) {
    const result = await promtoolOrSkip(text);
    if (!result) return;
    assert(result.status !== 0, `promtool accepted a bad exposition:\n${text}`);
  }
}, { runtimes: PROCESS_RUNTIMES });

test("metrics: the Prometheus handler serves the latest snapshot over HTTP", async (t) => {
  const exporter = new PrometheusExporter({ constLabels: { env: "test" } });
  const server = await serve(exporter.fetch);
  t.defer(() => server.close());

  let response = await fetch(`${server.url}/metrics`);
  assertEquals(response.status, 503);
  assertStringIncludes(await response.text(), "no metrics snapshot");

  await exporter.export(fullSnapshot());
  response = await fetch(`${server.url}/metrics`);
  assertEquals(response.status, 200);
  assertEquals(response.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
  const body = await response.text();
  assertEquals(body, toPrometheusText(fullSnapshot(), { constLabels: { env: "test" } }));

  await exporter.export(fullSnapshot({ agents: { total: 9, running: 9, idle: 0, error: 0 } }));
  assertStringIncludes(
    await (await fetch(server.url)).text(),
    'symbiont_agents_registered{env="test"} 9\n',
  );

  response = await fetch(server.url, { method: "HEAD" });
  assertEquals([response.status, await response.text()], [200, ""]);
  response = await fetch(server.url, { method: "POST", body: "x" });
  assertEquals(response.status, 405);
  assertEquals(response.headers.get("allow"), "GET, HEAD");
  await response.body?.cancel();
});

test("metrics: with a source, every scrape takes a fresh snapshot from the runtime double", async (t) => {
  let failMetrics = false;
  const { double, client } = await servedDouble(
    t,
    (request, next) =>
      failMetrics && new URL(request.url).pathname === "/api/v1/metrics"
        ? Response.json({ error: "boom", code: "METRICS_FAILED" }, { status: 500 })
        : next(),
  );
  const exporter = new PrometheusExporter({ source: new MetricsClient(client) });
  const server = await serve(exporter.fetch);
  t.defer(() => server.close());

  let text = await (await fetch(server.url)).text();
  assertStringIncludes(text, "symbiont_agents_registered 0\n");
  double.seedAgent({ name: "late" });
  text = await (await fetch(server.url)).text();
  assertStringIncludes(text, "symbiont_agents_registered 1\n");
  assertStringIncludes(text, 'symbiont_runtime_info{version="1.19.0"} 1\n');

  failMetrics = true;
  const response = await fetch(server.url);
  assertEquals(response.status, 503);
  assertEquals(await response.text(), "snapshot failed: METRICS_SOURCE_FAILED\n");
});
