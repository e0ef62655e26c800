// MetricsClient against the runtime double over real HTTP: the three routes folded into one snapshot,
// optional parts that fail, strict mode, a failing metrics route, and bodies of the wrong shape.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertInstanceOf, assertRejects } from "../_assert.ts";
import { AuthenticationError, Client } from "../../client/mod.ts";
import { MetricsClient, MetricsError, MetricsErrorCode } from "../../metrics/mod.ts";
import { servedDouble, TOKEN } from "./_helpers.ts";

const RUNNING = "0b7c1a52-6f0e-4d7e-9a1b-2c3d4e5f6a70";
const FAILED = "1c8d2b63-7a1f-4e8f-8b2c-3d4e5f6a7b81";
const READY = "2d9e3c74-8b2a-4f90-9c3d-4e5f6a7b8c92";

test("metrics: a snapshot folds /metrics, /status and /health/scheduler from the double", async (t) => {
  const { double, client, url, clock } = await servedDouble(t);
  double.seedAgent({ id: RUNNING, name: "runner" });
  double.setAgentState(RUNNING, "Running");
  double.seedAgent({ id: FAILED, name: "broken" });
  double.setAgentState(FAILED, "Failed");
  double.seedAgent({ id: READY, name: "waiting" });
  const created = await fetch(`${url}/api/v1/schedules`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "nightly",
      cron_expression: "0 0 3 * * *",
      agent_name: "runner",
    }),
  });
  assertEquals(created.ok, true, `schedule create answered ${created.status}`);
  await created.body?.cancel();
  clock.now += 90_000;

  const metrics = new MetricsClient(client, { now: () => Date.parse("2026-11-28T10:01:30.000Z") });
  const snapshot = await metrics.getMetricsSnapshot();
  assertEquals(snapshot.timestamp, "2026-11-28T10:01:30.000Z");
  assertEquals(snapshot.agents, { total: 3, running: 1, idle: 1, error: 1 });
  assertEquals(snapshot.system, { uptime_seconds: 90, memory_usage: 0, cpu_usage: 0 });
  assertEquals(snapshot.status, {
    version: "1.19.0",
    healthy: true,
    agent_count: 3,
    schedule_count: 1,
    channel_count: 0,
  });
  assert(snapshot.scheduler !== null);
  assertEquals(snapshot.scheduler.is_running, true);
  assertEquals(snapshot.scheduler.jobs_total, 1);
  assertEquals(snapshot.scheduler.jobs_active, 1);
  assertEquals(snapshot.scheduler.max_concurrent, 100);
  assertEquals(snapshot.unavailable, []);
  // Plain JSON: a file exporter can write it and read it back unchanged.
  assertEquals(JSON.parse(JSON.stringify(snapshot)), snapshot);
});

test("metrics: a failing scheduler route gives scheduler null, listed in unavailable; strict throws", async (t) => {
  let schedulerCalls = 0;
  const { client } = await servedDouble(t, (request, next) => {
    if (new URL(request.url).pathname === "/api/v1/health/scheduler") {
      schedulerCalls++;
      return Response.json(
        { error: "scheduler store unreachable", code: "SCHEDULER_HEALTH_FAILED" },
        { status: 500 },
      );
    }
    return next();
  });
  const snapshot = await new MetricsClient(client).getMetricsSnapshot();
  assertEquals(snapshot.scheduler, null);
  assertEquals(snapshot.status?.version, "1.19.0");
  assertEquals(snapshot.unavailable.length, 1);
  assertEquals(snapshot.unavailable[0].part, "scheduler");
  assertEquals(snapshot.unavailable[0].code, "SCHEDULER_HEALTH_FAILED");

  const error = await assertRejects(
    () => new MetricsClient(client, { strict: true }).getMetricsSnapshot(),
    MetricsError,
  );
  assertEquals(error.code, MetricsErrorCode.SOURCE_FAILED);
  assert(error.message.includes("/health/scheduler"), error.message);
  assertEquals(schedulerCalls, 2);
});

test("metrics: includeStatus and includeScheduler false skip those routes", async (t) => {
  const paths: string[] = [];
  const { client } = await servedDouble(t, (request, next) => {
    paths.push(new URL(request.url).pathname);
    return next();
  });
  const snapshot = await new MetricsClient(client, {
    includeStatus: false,
    includeScheduler: false,
  })
    .getMetricsSnapshot();
  assertEquals(paths, ["/api/v1/metrics"]);
  assertEquals([snapshot.status, snapshot.scheduler, snapshot.unavailable], [null, null, []]);
});

test("metrics: a refused metrics route is METRICS_SOURCE_FAILED with the client error as cause", async (t) => {
  const { url } = await servedDouble(t);
  const wrongKey = "not-the-admin-token-7f3a";
  const client = new Client({ baseUrl: `${url}/api/v1`, apiKey: wrongKey, maxRetries: 0 });
  const error = await assertRejects(
    () => new MetricsClient(client).getMetricsSnapshot(),
    MetricsError,
  );
  assertEquals(error.code, "METRICS_SOURCE_FAILED");
  assertInstanceOf(error.cause, AuthenticationError);
  assert(!error.message.includes(wrongKey), "the key must not appear in the message");
});

test("metrics: bodies of the wrong shape are METRICS_INVALID_RESPONSE (even with validation off)", async () => {
  const good = {
    agents: { total: 1, running: 1, idle: 0, error: 0 },
    system: { uptime_seconds: 1, memory_usage: 2, cpu_usage: 0.5 },
  };
  const system = (metrics: unknown, status: unknown = null) => ({
    system: {
      metrics: () => Promise.resolve(metrics),
      status: () => Promise.resolve(status),
      schedulerHealth: () => Promise.reject(new Error("no scheduler")),
    },
  });
  for (
    const [body, field] of [
      [{ ...good, agents: { ...good.agents, total: "1" } }, "agents.total"],
      [{ ...good, system: { ...good.system, cpu_usage: null } }, "system.cpu_usage"],
      [{ ...good, agents: { ...good.agents, idle: -1 } }, "agents.idle"],
      [{ agents: good.agents }, "system"],
      [[], "GET /metrics"],
    ] as const
  ) {
    const error = await assertRejects(
      () => new MetricsClient(system(body), { includeStatus: false }).getMetricsSnapshot(),
      MetricsError,
    );
    assertEquals(error.code, MetricsErrorCode.INVALID_RESPONSE);
    assert(error.message.includes(field), `${error.message} should name ${field}`);
  }
  // A bad optional part is unavailable, not fatal.
  const snapshot = await new MetricsClient(system(good, { version: 1 })).getMetricsSnapshot();
  assertEquals(snapshot.status, null);
  assertEquals(snapshot.unavailable.map((u) => [u.part, u.code]), [
    ["status", "METRICS_INVALID_RESPONSE"],
    ["scheduler", "Error"],
  ]);
});

test("metrics: MetricsClient refuses something that is not a client", () => {
  for (const bad of [null, {}, { system: {} }, { system: { metrics() {} } }]) {
    try {
      new MetricsClient(bad as unknown as Client);
      throw new Error("expected a MetricsError");
    } catch (error) {
      assertInstanceOf(error, MetricsError);
      assertEquals(error.code, "METRICS_INVALID_OPTIONS");
    }
  }
});
