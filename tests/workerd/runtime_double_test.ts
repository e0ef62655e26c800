// The runtime double inside workerd: its fetch handler runs on web standards only, and the double
// served by Node on loopback (tests/workerd/_double_server.ts) answers the worker.
import { test } from "../_harness.ts";
import { assertEquals, assertMatch } from "../_assert.ts";
// runtime_double.ts directly: testing/mod.ts also exports serve.ts, whose node:http import
// esbuild cannot bundle for workerd.
import { createRuntimeDouble } from "../../testing/runtime_double.ts";
import { workerEnv } from "./_env.ts";

// Repeated from _double_server.ts (importing it would bundle node:http into the worker).
const TOKEN = "workerd-token";
const SEEDED = "0f8fad5b-d9cb-469f-a165-70867728950e";

test("runtime double (workerd): create an agent, list it, read its status in the worker", async () => {
  let now = Date.UTC(2026, 0, 1);
  const double = createRuntimeDouble({ apiToken: "w", now: () => now });
  const call = (method: string, path: string, body?: unknown) =>
    double.fetch(
      new Request(`http://double.test${path}`, {
        method,
        headers: body === undefined
          ? { authorization: "Bearer w" }
          : { authorization: "Bearer w", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
  const created = await call("POST", "/api/v1/agents", { name: "edge", dsl: "agent edge {}" });
  assertEquals(created.status, 200);
  assertEquals(created.headers.get("x-frame-options"), "DENY");
  const { id, status } = await created.json() as { id: string; status: string };
  assertEquals(status, "scheduled");
  assertMatch(id, /^[0-9a-f-]{36}$/);
  assertEquals(await (await call("GET", "/api/v1/agents")).json(), [
    { id, name: "edge", state: "Ready" },
  ]);
  now += 1000;
  const agent = await (await call("GET", `/api/v1/agents/${id}/status`)).json() as Record<
    string,
    unknown
  >;
  assertEquals([agent.agent_id, agent.state, agent.last_activity], [
    id,
    "Ready",
    "2026-01-01T00:00:00Z",
  ]);
  const unauthorized = await double.fetch(new Request("http://double.test/api/v1/agents"));
  assertEquals([unauthorized.status, await unauthorized.text()], [401, ""]);
  const schedule = await call("POST", "/api/v1/schedules", {
    name: "n",
    cron_expression: "0 0 9 * * *",
    agent_name: "edge",
    timezone: "Europe/Berlin",
  });
  assertEquals(schedule.status, 201);
  const { next_run } = await schedule.json() as { next_run: string };
  assertEquals(next_run, "2026-01-01T08:00:00+00:00");
});

test("runtime double (workerd): the loopback double answers with its seeded agent", async () => {
  const base = workerEnv().DOUBLE_URL;
  const res = await fetch(`${base}/api/v1/agents/${SEEDED}/status`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assertEquals(res.status, 200);
  const body = await res.json() as { agent_id: string; state: string };
  assertEquals([body.agent_id, body.state], [SEEDED, "Ready"]);
  assertEquals((await fetch(`${base}/api/v1/health/ready`)).status, 200);
});
