// Wire conformance of the runtime double, checked with raw fetch over loopback against
// runtime-api.md (sections 2, 4, 8 and the e2e cases of 9.4), independently of the SDK client.
import { test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { createRuntimeDouble, type RuntimeDoubleOptions, serve } from "../../testing/mod.ts";
import { parseCron } from "../../client/cron.ts";

const T0 = Date.UTC(2026, 0, 1, 12); // a Thursday
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

async function start(t: TestContext, options: RuntimeDoubleOptions = {}) {
  const clock = { now: T0 };
  const double = createRuntimeDouble({ apiToken: "tok", now: () => clock.now, ...options });
  const server = await serve(double.fetch);
  t.defer(() => server.close());
  async function call(
    method: string,
    path: string,
    init: { token?: string | null; body?: unknown; raw?: string; type?: string | null } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    const token = init.token === undefined ? "tok" : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.raw !== undefined) body = init.raw;
    else if (init.body !== undefined) body = JSON.stringify(init.body);
    const type = init.type === undefined
      ? (body === undefined ? null : "application/json")
      : init.type;
    if (type !== null) headers["content-type"] = type;
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = undefined;
    if (res.headers.get("content-type") === "application/json") parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, body: parsed };
  }
  return { double, clock, call, url: server.url };
}

function assertError(reply: Reply, status: number, code: string): void {
  assertEquals(reply.status, status, reply.text);
  assertEquals(reply.headers.get("content-type"), "application/json");
  assertEquals(Object.keys(reply.body).sort(), ["code", "details", "error"]);
  assertEquals(reply.body.code, code);
  assertEquals(reply.body.details, null);
  assertEquals(typeof reply.body.error, "string");
}

function assertEmpty(reply: Reply, status: number): void {
  assertEquals(reply.status, status);
  assertEquals(reply.text, "");
}

function assertPlain(reply: Reply, status: number): void {
  assertEquals(reply.status, status, reply.text);
  assertEquals(reply.headers.get("content-type"), "text/plain; charset=utf-8");
  assert(reply.text.length > 0);
}

test("runtime double: security headers on every response, empty 404 for other paths", async (t) => {
  const { call } = await start(t);
  const replies = [
    await call("GET", "/api/v1/health"),
    await call("GET", "/api/v1/agents", { token: null }),
    await call("GET", "/nowhere"),
    await call("GET", "/api/v1/agents/x", { token: "tok" }),
  ];
  for (const r of replies) {
    assertEquals(
      r.headers.get("strict-transport-security"),
      "max-age=63072000; includeSubDomains; preload",
    );
    assertEquals(r.headers.get("x-content-type-options"), "nosniff");
    assertEquals(r.headers.get("x-frame-options"), "DENY");
    assertEquals(
      r.headers.get("content-security-policy"),
      "default-src 'self'; frame-ancestors 'none'",
    );
  }
  assertEmpty(replies[2], 404);
  // GET on a known PUT/DELETE path: 405 after auth.
  assertEmpty(replies[3], 405);
  // The routes other SDKs call do not exist: 404 with an empty body, with or without auth.
  for (
    const path of [
      "/api/v1/agents/6d1f2c1e-8a55-4a57-9a8e-1b3f0c2d4e5f/reasoning/loop",
      "/api/v1/tools",
      "/api/v1/communication/rules",
      "/api/v1/metrics/snapshot",
      "/ws/chat",
      "/agents.md",
    ]
  ) {
    assertEmpty(await call("GET", path), 404);
    assertEmpty(await call("POST", path, { body: {}, token: null }), 404);
  }
});

test("runtime double: health, liveness and readiness (503 for the first 5 s)", async (t) => {
  const { call, clock } = await start(t, { apiToken: undefined });
  const health = await call("GET", "/api/v1/health", { token: null });
  assertEquals(health.status, 200);
  assertEquals(Object.keys(health.body).sort(), [
    "status",
    "timestamp",
    "uptime_seconds",
    "version",
  ]);
  assertEquals(health.body.status, "healthy");
  assertEquals(health.body.version, "1.19.0");
  assertEquals(health.body.timestamp, "2026-01-01T12:00:00Z");
  assertEmpty(await call("GET", "/api/v1/health/live", { token: null }), 200);
  assertEmpty(await call("GET", "/api/v1/health/ready", { token: null }), 503);
  clock.now += 4999;
  assertEmpty(await call("GET", "/api/v1/health/ready", { token: null }), 503);
  clock.now += 1;
  assertEmpty(await call("GET", "/api/v1/health/ready", { token: null }), 200);
  clock.now += 61_250;
  const later = await call("GET", "/api/v1/health", { token: null });
  assertEquals(later.body.uptime_seconds, 66);
  assertEquals(later.body.timestamp, "2026-01-01T12:01:06.250Z");
});

test("runtime double: auth per section 8 (token, key store precedence, refusal, no config)", async (t) => {
  const none = await start(t, { apiToken: undefined });
  assertEmpty(await none.call("GET", "/api/v1/agents"), 401);
  assertEmpty(await none.call("GET", "/api/v1/approvals"), 401);

  const legacy = await start(t);
  assertEquals((await legacy.call("GET", "/api/v1/agents")).status, 200);
  assertEmpty(await legacy.call("GET", "/api/v1/agents", { token: "wrong" }), 401);
  const lower = await fetch(`${legacy.url}/api/v1/agents`, {
    headers: { authorization: "bearer tok" },
  });
  assertEquals(lower.status, 401);
  assertEquals(await lower.text(), "");

  const refused = await start(t, { refuseLegacyToken: true });
  assertEmpty(await refused.call("GET", "/api/v1/agents"), 401);

  const keyed = await start(t, {
    apiKeys: [{ keyId: "admin", secret: "s.e.c" }, { keyId: "old", secret: "x", revoked: true }],
  });
  assertEmpty(await keyed.call("GET", "/api/v1/agents"), 401); // the env token is ignored
  assertEquals((await keyed.call("GET", "/api/v1/agents", { token: "admin.s.e.c" })).status, 200);
  assertEmpty(await keyed.call("GET", "/api/v1/agents", { token: "admin.wrong" }), 401);
  assertEmpty(await keyed.call("GET", "/api/v1/agents", { token: "old.x" }), 401);
});

test("runtime double: e2e api_auth_scope (admin and scoped keys, revoked key)", async (t) => {
  const mine = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";
  const other = "6fa459ea-ee8a-3ca4-894e-db77e160355e";
  const { call, double } = await start(t, {
    refuseLegacyToken: true,
    apiKeys: [
      { keyId: "admin", secret: "adm" },
      { keyId: "bot", secret: "b0t", agentScope: [mine] },
      { keyId: "gone", secret: "g", agentScope: null, revoked: true },
    ],
  });
  double.seedAgent({ id: mine, name: "mine" });
  double.seedAgent({ id: other, name: "other" });
  for (
    const path of ["/api/v1/agents", "/api/v1/schedules", "/api/v1/channels", "/api/v1/metrics"]
  ) {
    assertEmpty(await call("GET", path, { token: null }), 401);
    assertEquals((await call("GET", path, { token: "admin.adm" })).status, 200, path);
    assertEmpty(await call("GET", path, { token: "gone.g" }), 401);
  }
  const scoped = "bot.b0t";
  const asSelf = await call("POST", `/api/v1/agents/${other}/messages`, {
    token: scoped,
    body: { sender: mine, payload: "hi" },
  });
  assertEquals(asSelf.status, 200);
  const spoofed = await call("POST", `/api/v1/agents/${mine}/messages`, {
    token: scoped,
    body: { sender: other, payload: "hi" },
  });
  assertError(spoofed, 403, "AGENT_SCOPE_DENIED");
  assertEquals(spoofed.body.error, "API key is not scoped to this agent");
  const admin = await call("GET", "/api/v1/schedules", { token: scoped });
  assertError(admin, 403, "ADMIN_REQUIRED");
  assertEquals(admin.body.error, "Scoped API keys may not access this endpoint");
  assertEquals(
    (await call("GET", `/api/v1/agents/${mine}/messages`, { token: scoped })).status,
    200,
  );
  assertError(
    await call("GET", `/api/v1/agents/${other}/messages`, { token: scoped }),
    403,
    "AGENT_SCOPE_DENIED",
  );
  const listed = await call("GET", "/api/v1/agents", { token: scoped });
  assertEquals(listed.body.map((a: { id: string }) => a.id), [mine]);
  // Scoped keys may list approvals but not resolve them, nor query message status.
  assertEquals((await call("GET", "/api/v1/approvals", { token: scoped })).status, 200);
  const held = double.holdAction({ agentId: mine });
  assertError(
    await call("POST", `/api/v1/approvals/${held.id}/approve`, { token: scoped }),
    403,
    "ADMIN_REQUIRED",
  );
  const status = await call("GET", `/api/v1/messages/${asSelf.body.message_id}/status`, {
    token: scoped,
  });
  assertError(status, 403, "AGENT_SCOPE_DENIED");
  assertEquals(status.body.error, "Scoped API keys may not query message status");
});

test("runtime double: body rules (415, 400, 422 text/plain) and layer order", async (t) => {
  const { call } = await start(t, {
    apiKeys: [{ keyId: "admin", secret: "a" }, { keyId: "bot", secret: "b", agentScope: [] }],
  });
  const admin = "admin.a";
  assertPlain(
    await call("POST", "/api/v1/agents", { token: admin, raw: '{"name":"a"}', type: null }),
    415,
  );
  assertPlain(
    await call("POST", "/api/v1/agents", { token: admin, raw: '{"name":"a"}', type: "text/plain" }),
    415,
  );
  assertPlain(
    await call("POST", "/api/v1/agents", {
      token: admin,
      raw: '{"name":',
      type: "application/json",
    }),
    400,
  );
  assertPlain(
    await call("POST", "/api/v1/agents", { token: admin, raw: "", type: "application/json" }),
    400,
  );
  assertPlain(await call("POST", "/api/v1/agents", { token: admin, body: { dsl: "x" } }), 422);
  assertPlain(await call("POST", "/api/v1/agents", { token: admin, body: { name: 7 } }), 422);
  assertPlain(
    await call("POST", "/api/v1/agents", {
      token: admin,
      body: { name: "a", execution_mode: "Sometimes" },
    }),
    422,
  );
  // Unknown fields are ignored; charset parameters and +json types are JSON.
  const ok = await call("POST", "/api/v1/agents", {
    token: admin,
    raw: JSON.stringify({ name: "a", dsl: "agent a {}", extra: true }),
    type: "application/json; charset=utf-8",
  });
  assertEquals(ok.status, 200);
  // 401 comes before any body rule; 422 before a 403 scope denial; 405 only after auth.
  assertEmpty(await call("POST", "/api/v1/agents", { token: null, raw: "{", type: null }), 401);
  assertPlain(await call("POST", "/api/v1/agents", { token: "bot.b", body: {} }), 422);
  assertError(
    await call("POST", "/api/v1/agents", { token: "bot.b", body: { name: "a", dsl: "d" } }),
    403,
    "ADMIN_REQUIRED",
  );
  assertEmpty(await call("PATCH", "/api/v1/agents", { token: null }), 401);
  const wrong = await call("PATCH", "/api/v1/agents", { token: admin });
  assertEmpty(wrong, 405);
  assertEquals(wrong.headers.get("allow"), "GET,HEAD,POST");
  // 2 MB default body limit.
  const big = JSON.stringify({ name: "a", dsl: "x".repeat(2 * 1024 * 1024) });
  assertPlain(await call("POST", "/api/v1/agents", { token: admin, raw: big }), 413);
});

test("runtime double: agents lifecycle with the runtime's oddities", async (t) => {
  const { call, clock } = await start(t, { readyAfterMs: 0 });
  const created = await call("POST", "/api/v1/agents", {
    body: { name: "alpha", dsl: "agent alpha {}" },
  });
  assertEquals(created.status, 200);
  assertEquals(Object.keys(created.body).sort(), ["id", "status"]);
  assertEquals(created.body.status, "scheduled");
  assertMatch(created.body.id, UUID);
  const id = created.body.id;
  assertError(
    await call("POST", "/api/v1/agents", { body: { name: "", dsl: "x" } }),
    500,
    "AGENT_CREATION_FAILED",
  );
  assertError(
    await call("POST", "/api/v1/agents", { body: { name: "b" } }),
    500,
    "AGENT_CREATION_FAILED",
  );
  const ext = await call("POST", "/api/v1/agents", {
    body: { name: "ext", execution_mode: { External: { heartbeat_interval_secs: 10 } } },
  });
  assertEquals(ext.status, 200);

  const list = await call("GET", "/api/v1/agents");
  assertEquals(list.body, [
    { id, name: "alpha", state: "Ready" },
    { id: ext.body.id, name: "ext", state: "Created" },
  ]);
  const status = await call("GET", `/api/v1/agents/${id}/status`);
  assertEquals(Object.keys(status.body).sort(), [
    "agent_id",
    "execution_mode",
    "last_activity",
    "resource_usage",
    "state",
  ]);
  assertEquals(status.body.execution_mode, "Ephemeral");
  assertEquals(status.body.last_activity, "2026-01-01T12:00:00Z");
  assertEquals(status.body.resource_usage, { memory_bytes: 0, cpu_percent: 0, active_tasks: 0 });
  assertPlain(await call("GET", "/api/v1/agents/not-a-uuid/status"), 400);
  assertError(
    await call("GET", "/api/v1/agents/00000000-0000-4000-8000-000000000000/status"),
    404,
    "AGENT_NOT_FOUND",
  );

  assertError(await call("PUT", `/api/v1/agents/${id}`, { body: {} }), 500, "AGENT_UPDATE_FAILED");
  assertError(
    await call("PUT", `/api/v1/agents/${id}`, { body: { name: "" } }),
    500,
    "AGENT_UPDATE_FAILED",
  );
  assertError(
    await call("PUT", "/api/v1/agents/00000000-0000-4000-8000-000000000000", {
      body: { name: "z" },
    }),
    500,
    "AGENT_UPDATE_FAILED",
  );
  assertEquals((await call("PUT", `/api/v1/agents/${id}`, { body: { name: "beta" } })).body, {
    id,
    status: "updated",
  });

  // execute needs a JSON body; `{}` works.
  assertPlain(await call("POST", `/api/v1/agents/${id}/execute`), 415);
  clock.now += 1500;
  const run = await call("POST", `/api/v1/agents/${id}/execute`, { body: {} });
  assertEquals(run.body.status, "execution_started");
  assertMatch(run.body.execution_id, UUID);
  assertEquals((await call("GET", `/api/v1/agents/${id}/status`)).body.state, "Running");
  assertError(
    await call("POST", "/api/v1/agents/00000000-0000-4000-8000-000000000000/execute", { body: {} }),
    500,
    "AGENT_EXECUTION_FAILED",
  );
  const history = await call("GET", `/api/v1/agents/${id}/history`);
  assertEquals(history.body.history, [
    {
      execution_id: run.body.execution_id,
      status: "execution_started",
      timestamp: "2026-01-01T12:00:01.500+00:00",
    },
    { execution_id: id, status: "created", timestamp: "2026-01-01T12:00:00+00:00" },
  ]);
  assertEquals(
    (await call("GET", "/api/v1/agents/00000000-0000-4000-8000-000000000000/history")).body,
    { history: [] },
  );
  for (let i = 0; i < 120; i++) await call("POST", `/api/v1/agents/${id}/execute`, { body: {} });
  assertEquals((await call("GET", `/api/v1/agents/${id}/history`)).body.history.length, 100);

  assertEquals((await call("DELETE", `/api/v1/agents/${id}`)).body, { id, status: "deleted" });
  assertError(await call("DELETE", `/api/v1/agents/${id}`), 500, "AGENT_DELETION_FAILED");
});

test("runtime double: heartbeat and events only for External agents", async (t) => {
  const { call, double, clock } = await start(t);
  const plain = double.seedAgent({ name: "plain" });
  const ext = double.seedAgent({
    name: "ext",
    executionMode: { External: { heartbeat_interval_secs: 10 } },
  });
  assertError(
    await call("POST", `/api/v1/agents/${plain}/heartbeat`, { body: { state: "Running" } }),
    404,
    "HEARTBEAT_FAILED",
  );
  assertError(
    await call("POST", `/api/v1/agents/${plain}/events`, {
      body: { event_type: "RunStarted", payload: null },
    }),
    404,
    "PUSH_EVENT_FAILED",
  );
  assertPlain(
    await call("POST", `/api/v1/agents/${ext}/heartbeat`, { body: { state: "running" } }),
    422,
  );
  assertPlain(
    await call("POST", `/api/v1/agents/${ext}/events`, { body: { event_type: "RunStarted" } }),
    422,
  );
  clock.now += 2750;
  assertEmpty(
    await call("POST", `/api/v1/agents/${ext}/heartbeat`, {
      body: { state: "Running", metadata: { host: "a" }, last_result: "ok" },
    }),
    200,
  );
  for (let i = 0; i < 105; i++) {
    assertEmpty(
      await call("POST", `/api/v1/agents/${ext}/events`, {
        body: { event_type: "RunCompleted", payload: { i } },
      }),
      200,
    );
  }
  const status = await call("GET", `/api/v1/agents/${ext}/status`);
  assertEquals(status.body.state, "Running");
  assertEquals(status.body.execution_mode, "External");
  assertEquals(status.body.metadata, { host: "a" });
  assertEquals(status.body.last_result, "ok");
  assertEquals(status.body.last_activity, "2026-01-01T12:00:02Z");
  assertEquals(status.body.recent_events.length, 100);
  assertEquals(status.body.recent_events[0].payload, { i: 5 });
  assertEquals(status.body.recent_events[0].timestamp, "2026-01-01T12:00:02.750Z");
  // No heartbeat for more than 3 x 10 s: Unreachable.
  clock.now += 31_000;
  assertEquals((await call("GET", `/api/v1/agents/${ext}/status`)).body.state, "Unreachable");
});

test("runtime double: e2e messaging_ingress (413 at 512 KiB, TTL clamp, not-a-uuid, 401)", async (t) => {
  const { call, double } = await start(t);
  const a = double.seedAgent({ name: "a" });
  const b = double.seedAgent({ name: "b" });
  const huge = JSON.stringify({ sender: a, payload: "x".repeat(512 * 1024) });
  assertPlain(await call("POST", `/api/v1/agents/${b}/messages`, { raw: huge }), 413);
  const sent = await call("POST", `/api/v1/agents/${b}/messages`, {
    body: { sender: a, payload: "hello", ttl_seconds: 999999 },
  });
  assertEquals(sent.status, 200);
  assertEquals(Object.keys(sent.body).sort(), ["message_id", "status"]);
  assertEquals(sent.body.status, "pending");
  const inbox = await call("GET", `/api/v1/agents/${b}/messages`);
  assertEquals(inbox.body.messages.length, 1);
  assertEquals(inbox.body.messages[0], {
    message_id: sent.body.message_id,
    sender: a,
    recipient: b,
    topic: null,
    payload: "hello",
    message_type: "direct",
    timestamp_secs: T0 / 1000,
    ttl_seconds: 3600,
  });
  const bad = await call("GET", "/api/v1/messages/not-a-uuid/status");
  assertError(bad, 400, "INVALID_MESSAGE_ID");
  assertEmpty(await call("GET", `/api/v1/agents/${b}/messages`, { token: null }), 401);
  assertEmpty(
    await call("POST", `/api/v1/agents/${b}/messages`, {
      token: null,
      body: { sender: a, payload: "x" },
    }),
    401,
  );
});

test("runtime double: inbox draining, delivery status, TTL expiry and topics", async (t) => {
  const { call, double, clock } = await start(t);
  const a = double.seedAgent({ name: "a" });
  const b = double.seedAgent({ name: "b" });
  const off = double.seedAgent({ name: "off", registerOnBus: false });
  const m1 = await call("POST", `/api/v1/agents/${b}/messages`, {
    body: { sender: a, payload: "one", ttl_seconds: 0 },
  });
  const m2 = await call("POST", `/api/v1/agents/${b}/messages`, {
    body: { sender: a, payload: "two", ttl_seconds: 60 },
  });
  const m3 = await call("POST", `/api/v1/agents/${b}/messages`, {
    body: { sender: a, payload: "three" },
  });
  assertEquals(double.peekInbox(b).map((m) => m.ttlSeconds), [1, 60, 300]);
  assertEquals((await call("GET", `/api/v1/messages/${m2.body.message_id}/status`)).body, {
    message_id: m2.body.message_id,
    status: "delivered",
  });
  clock.now += 61_000;
  const got = await call("GET", `/api/v1/agents/${b}/messages`);
  assertEquals(got.body.messages.map((m: { payload: string }) => m.payload), ["three"]);
  assertEquals(
    (await call("GET", `/api/v1/messages/${m1.body.message_id}/status`)).body.status,
    "expired",
  );
  assertEquals(
    (await call("GET", `/api/v1/messages/${m3.body.message_id}/status`)).body.status,
    "delivered",
  );
  assertEquals((await call("GET", `/api/v1/agents/${b}/messages`)).body, { messages: [] });

  // A recipient that is not on the bus: send still says pending, delivery fails, receive is 404.
  const lost = await call("POST", `/api/v1/agents/${off}/messages`, {
    body: { sender: a, payload: "x" },
  });
  assertEquals(lost.body.status, "pending");
  assertEquals(
    (await call("GET", `/api/v1/messages/${lost.body.message_id}/status`)).body.status,
    "failed",
  );
  assertError(await call("GET", `/api/v1/agents/${off}/messages`), 404, "AGENT_NOT_FOUND");
  assertError(
    await call("GET", "/api/v1/messages/00000000-0000-4000-8000-000000000000/status"),
    404,
    "MESSAGE_STATUS_FAILED",
  );

  // Topics fan out to subscribers under new ids.
  double.subscribe(a, "news");
  const pub = await call("POST", `/api/v1/agents/${b}/messages`, {
    body: { sender: b, payload: "n", topic: "news" },
  });
  const news = (await call("GET", `/api/v1/agents/${a}/messages`)).body.messages;
  assertEquals(news.length, 1);
  assertEquals([news[0].message_type, news[0].topic, news[0].recipient], ["publish", "news", a]);
  assert(news[0].message_id !== pub.body.message_id);

  // execute sends the agent an empty message from the system agent.
  await call("POST", `/api/v1/agents/${a}/execute`, { body: { ignored: 1 } });
  const sys = (await call("GET", `/api/v1/agents/${a}/messages`)).body.messages;
  assertEquals([sys.length, sys[0].payload, sys[0].ttl_seconds], [1, "{}", 300]);
});

test("runtime double: e2e rate_limit (429 with an empty body within 200 GETs), switchable", async (t) => {
  const { call, double, clock } = await start(t, { rateLimit: { burst: 100, refillMs: 600 } });
  const statuses: number[] = [];
  let limited: Reply | undefined;
  for (let i = 0; i < 200; i++) {
    const r = await call("GET", "/api/v1/health", { token: null });
    statuses.push(r.status);
    if (r.status === 429 && !limited) limited = r;
  }
  assertEquals(statuses.indexOf(429), 100);
  assert(limited);
  assertEmpty(limited, 429);
  assertEquals(limited.headers.get("retry-after"), null);
  assertEquals(limited.headers.get("x-frame-options"), "DENY");
  // 429 comes before 401.
  assertEmpty(await call("GET", "/api/v1/agents", { token: null }), 429);
  clock.now += 600;
  assertEquals((await call("GET", "/api/v1/health")).status, 200);
  assertEquals((await call("GET", "/api/v1/health")).status, 429);
  double.setRateLimit(false);
  for (let i = 0; i < 150; i++) {
    assertEquals((await call("GET", "/api/v1/health/live")).status, 200);
  }
});

test("runtime double: schedules with real next runs, actions, history and firing", async (t) => {
  const { call, clock } = await start(t);
  const badCron = await call("POST", "/api/v1/schedules", {
    body: { name: "n", cron_expression: "0 9 * * *", agent_name: "a" },
  });
  assertError(badCron, 500, "CREATE_SCHEDULE_FAILED");
  assertError(
    await call("POST", "/api/v1/schedules", {
      body: { name: "n", cron_expression: "0 0 9 * * *", agent_name: "a", timezone: "Mars/Base" },
    }),
    500,
    "CREATE_SCHEDULE_FAILED",
  );
  assertPlain(
    await call("POST", "/api/v1/schedules", {
      body: { name: "n", cron_expression: "0 0 9 * * *", agent_name: "a", timezone: null },
    }),
    422,
  );
  const created = await call("POST", "/api/v1/schedules", {
    body: {
      name: "standup",
      cron_expression: "0 30 9 * * MON-FRI",
      agent_name: "bot",
      timezone: "Europe/Berlin",
    },
  });
  assertEquals(created.status, 201);
  assertEquals(created.body.status, "created");
  assertEquals(created.body.next_run, "2026-01-02T08:30:00+00:00");
  const id = created.body.job_id;
  const detail = await call("GET", `/api/v1/schedules/${id}`);
  assertEquals(detail.body, {
    job_id: id,
    name: "standup",
    cron_expression: "0 30 9 * * MON-FRI",
    timezone: "Europe/Berlin",
    status: "Active",
    enabled: true,
    one_shot: false,
    next_run: "2026-01-02T08:30:00+00:00",
    last_run: null,
    run_count: 0,
    failure_count: 0,
    created_at: "2026-01-01T12:00:00+00:00",
    updated_at: "2026-01-01T12:00:00+00:00",
  });
  const list = await call("GET", "/api/v1/schedules");
  assertEquals(Object.keys(list.body[0]).sort(), [
    "cron_expression",
    "enabled",
    "job_id",
    "name",
    "next_run",
    "run_count",
    "status",
    "timezone",
  ]);
  const next = await call("GET", `/api/v1/schedules/${id}/next-runs`);
  const expected = parseCron("0 30 9 * * MON-FRI").upcoming(T0, 10, "Europe/Berlin")
    .map((d) => d.toISOString().replace(".000Z", "+00:00"));
  assertEquals(next.body, { job_id: id, next_runs: expected });
  assertEquals(next.body.next_runs[1], "2026-01-05T08:30:00+00:00");

  assertEquals((await call("POST", `/api/v1/schedules/${id}/pause`)).body, {
    job_id: id,
    action: "pause",
    status: "paused",
  });
  assertEquals((await call("GET", `/api/v1/schedules/${id}`)).body.status, "Paused");
  assertEquals((await call("POST", `/api/v1/schedules/${id}/resume`)).body, {
    job_id: id,
    action: "resume",
    status: "active",
  });
  assertEquals((await call("POST", `/api/v1/schedules/${id}/trigger`)).body, {
    job_id: id,
    action: "trigger",
    status: "triggered",
  });
  const history = await call("GET", `/api/v1/schedules/${id}/history`);
  assertEquals(history.body.history.length, 1);
  assertEquals(history.body.history[0].status, "Succeeded");
  assertEquals(history.body.history[0].started_at, "2026-01-01T12:00:00+00:00");

  // The clock makes the job fire.
  clock.now = Date.UTC(2026, 0, 2, 8, 30, 5);
  const fired = (await call("GET", `/api/v1/schedules/${id}`)).body;
  assertEquals([fired.run_count, fired.last_run, fired.next_run], [
    1,
    "2026-01-02T08:30:00+00:00",
    "2026-01-05T08:30:00+00:00",
  ]);

  const updated = await call("PUT", `/api/v1/schedules/${id}`, {
    body: { cron_expression: "0 0 * * * *", timezone: "UTC", one_shot: true },
  });
  assertEquals([updated.status, updated.body.next_run, updated.body.one_shot], [
    200,
    "2026-01-02T09:00:00+00:00",
    true,
  ]);
  assertError(
    await call("PUT", `/api/v1/schedules/${id}`, { body: { cron_expression: "bad" } }),
    500,
    "UPDATE_SCHEDULE_FAILED",
  );

  const missing = "00000000-0000-4000-8000-000000000000";
  assertError(await call("GET", "/api/v1/schedules/not-a-uuid"), 404, "SCHEDULE_NOT_FOUND");
  assertError(await call("GET", `/api/v1/schedules/${missing}`), 404, "SCHEDULE_NOT_FOUND");
  assertError(
    await call("PUT", `/api/v1/schedules/${missing}`, { body: {} }),
    500,
    "UPDATE_SCHEDULE_FAILED",
  );
  assertError(
    await call("POST", `/api/v1/schedules/${missing}/pause`),
    404,
    "SCHEDULE_PAUSE_FAILED",
  );
  assertError(
    await call("POST", `/api/v1/schedules/${missing}/resume`),
    404,
    "SCHEDULE_RESUME_FAILED",
  );
  assertError(
    await call("POST", `/api/v1/schedules/${missing}/trigger`),
    404,
    "SCHEDULE_TRIGGER_FAILED",
  );
  assertError(
    await call("GET", `/api/v1/schedules/${missing}/next-runs`),
    404,
    "SCHEDULE_NEXT_RUNS_FAILED",
  );
  assertError(await call("GET", "/api/v1/schedules/nope/history"), 404, "SCHEDULE_HISTORY_FAILED");
  assertEquals((await call("GET", `/api/v1/schedules/${missing}/history`)).body, {
    job_id: missing,
    history: [],
  });
  assertEquals((await call("DELETE", `/api/v1/schedules/${id}`)).body, {
    job_id: id,
    deleted: true,
  });
  assertError(await call("DELETE", `/api/v1/schedules/${id}`), 404, "SCHEDULE_NOT_FOUND");
  const health = await call("GET", "/api/v1/health/scheduler");
  assertEquals([health.body.is_running, health.body.jobs_total, health.body.runs_total], [
    true,
    0,
    2,
  ]);
});

test("runtime double: without cron the schedule API answers as the runtime's stubs", async (t) => {
  const { call } = await start(t, { cron: false });
  const id = "00000000-0000-4000-8000-000000000000";
  assertEquals((await call("GET", "/api/v1/schedules")).body, []);
  const create = await call("POST", "/api/v1/schedules", {
    body: { name: "n", cron_expression: "0 0 9 * * *", agent_name: "a" },
  });
  assertError(create, 500, "CREATE_SCHEDULE_FAILED");
  assertEquals(create.body.error.includes("Schedule API requires a running CronScheduler"), true);
  assertError(
    await call("PUT", `/api/v1/schedules/${id}`, { body: {} }),
    500,
    "UPDATE_SCHEDULE_FAILED",
  );
  assertError(await call("GET", `/api/v1/schedules/${id}`), 404, "SCHEDULE_NOT_FOUND");
  assertError(
    await call("POST", `/api/v1/schedules/${id}/trigger`),
    404,
    "SCHEDULE_TRIGGER_FAILED",
  );
  const health = await call("GET", "/api/v1/health/scheduler");
  assertEquals([health.body.is_running, health.body.jobs_total, health.body.max_concurrent], [
    false,
    0,
    0,
  ]);
});

test("runtime double: channels, as the OSS stubs and as the in-memory provider", async (t) => {
  const oss = await start(t);
  assertEquals((await oss.call("GET", "/api/v1/channels")).body, []);
  const body = { name: "ops", platform: "slack", config: { team: "T1" } };
  assertError(await oss.call("POST", "/api/v1/channels", { body }), 500, "REGISTER_CHANNEL_FAILED");
  assertError(await oss.call("GET", "/api/v1/channels/c1"), 404, "CHANNEL_NOT_FOUND");
  assertError(
    await oss.call("GET", "/api/v1/channels/c1/mappings"),
    404,
    "CHANNEL_MAPPINGS_FAILED",
  );
  assertError(
    await oss.call("DELETE", "/api/v1/channels/c1/mappings/u1"),
    404,
    "REMOVE_CHANNEL_MAPPING_FAILED",
  );
  assertError(await oss.call("GET", "/api/v1/channels/c1/audit"), 404, "CHANNEL_AUDIT_FAILED");

  const { call } = await start(t, { channels: "memory" });
  const reg = await call("POST", "/api/v1/channels", { body });
  assertEquals(reg.status, 201);
  const id = reg.body.id;
  assertEquals(reg.body, { id, name: "ops", platform: "slack", status: "stopped" });
  assertEquals((await call("POST", `/api/v1/channels/${id}/start`)).body, {
    id,
    action: "start",
    status: "running",
  });
  const health = await call("GET", `/api/v1/channels/${id}/health`);
  assertEquals([health.body.connected, health.body.workspace_name, health.body.last_message_at], [
    true,
    null,
    null,
  ]);
  const mapping = await call("POST", `/api/v1/channels/${id}/mappings`, {
    body: {
      platform_user_id: "U1",
      symbiont_user_id: "alice",
      display_name: "Alice",
      roles: ["ops"],
    },
  });
  assertEquals(mapping.status, 201);
  assertEquals(mapping.body.email, null);
  assertEquals(mapping.body.platform, "slack");
  assertEquals((await call("GET", `/api/v1/channels/${id}/mappings`)).body.length, 1);
  const removed = await call("DELETE", `/api/v1/channels/${id}/mappings/U1`);
  assertEmpty(removed, 204);
  assertError(
    await call("DELETE", `/api/v1/channels/${id}/mappings/U1`),
    404,
    "REMOVE_CHANNEL_MAPPING_FAILED",
  );
  const updated = await call("PUT", `/api/v1/channels/${id}`, { body: { config: { team: "T2" } } });
  assertEquals(updated.body.config, { team: "T2" });
  const audit = await call("GET", `/api/v1/channels/${id}/audit`);
  assertEquals(audit.body.channel_id, id);
  assertEquals(audit.body.entries[0].event_type, "updated");
  assertEquals((await call("DELETE", `/api/v1/channels/${id}`)).body, { id, deleted: true });
  assertError(await call("GET", `/api/v1/channels/${id}`), 404, "CHANNEL_NOT_FOUND");
});

test("runtime double: workflows/execute echoes the section 2.4 shape", async (t) => {
  const { call } = await start(t);
  const res = await call("POST", "/api/v1/workflows/execute", {
    body: { workflow_id: 'agent reporter { metadata { version "2" } }', parameters: { k: 1 } },
  });
  assertEquals(res.status, 200);
  assertEquals(Object.keys(res.body).sort(), [
    "agent_id",
    "execution_started",
    "metadata",
    "parameters",
    "status",
    "system_status",
    "workflow_id",
  ]);
  assertEquals([res.body.status, res.body.execution_started, res.body.parameters], [
    "success",
    true,
    { k: 1 },
  ]);
  assertEquals(res.body.metadata, { name: "reporter", version: "2" });
  assertEquals(Object.keys(res.body.system_status.resource_utilization).sort(), [
    "cpu_utilization",
    "disk_io_rate",
    "memory_used",
    "network_io_rate",
  ]);
  const noParams = await call("POST", "/api/v1/workflows/execute", {
    body: { workflow_id: "agent x {}", parameters: null },
  });
  assertEquals("parameters" in noParams.body, false);
  assertPlain(
    await call("POST", "/api/v1/workflows/execute", { body: { workflow_id: "agent x {}" } }),
    422,
  );
  assertError(
    await call("POST", "/api/v1/workflows/execute", {
      body: { workflow_id: "agent x {", parameters: null },
    }),
    500,
    "WORKFLOW_EXECUTION_FAILED",
  );
});

test("runtime double: approvals queue (200 empty, 404 not_found, 409 already_resolved, timeout)", async (t) => {
  const { call, double, clock } = await start(t);
  const agent = double.seedAgent({ name: "a" });
  const first = double.holdAction({
    agentId: agent,
    contextSnapshot: { ToolCall: { call_id: "c1", name: "rm", arguments: "{}" } },
  });
  const second = double.holdAction({ agentId: agent, kind: "delegate", summary: "delegate b" });
  const list = await call("GET", "/api/v1/approvals");
  assertEquals(list.body.length, 2);
  assertMatch(list.body[0].id, /^[0-9a-f]{16}$/);
  assertEquals(list.body[0], {
    id: first.id,
    agent_id: agent,
    kind: "tool_call",
    summary: "tool_call rm",
    reason: "policy requires human approval",
    context_snapshot: { ToolCall: { call_id: "c1", name: "rm", arguments: "{}" } },
    created_at: "2026-01-01T12:00:00Z",
    expires_at: "2026-01-01T12:02:00Z",
    status: "pending",
  });
  assertEmpty(
    await call("POST", `/api/v1/approvals/${first.id}/approve`, { body: { reason: "fine" } }),
    200,
  );
  assertEquals(await first.decision, {
    decision: "approve",
    reason: "fine",
    approver: { surface: "rest", id: "operator" },
  });
  const again = await call("POST", `/api/v1/approvals/${first.id}/deny`, {
    raw: "not json",
    type: "text/plain",
  });
  assertError(again, 409, "already_resolved");
  assertEquals(again.body.error, "Held action already resolved");
  const unknown = await call("POST", "/api/v1/approvals/0123456789abcdef/approve");
  assertError(unknown, 404, "not_found");
  assertEquals(unknown.body.error, "Held action not found");
  clock.now += 120_000;
  double.tick();
  assertEquals(await second.decision, { decision: "deny", reason: "timeout", approver: null });
  assertEquals((await call("GET", "/api/v1/approvals")).body.map((h: { id: string }) => h.id), [
    first.id,
  ]);
  assertError(await call("POST", `/api/v1/approvals/${second.id}/deny`), 404, "not_found");
});

test("runtime double: agents.md and status/metrics shapes", async (t) => {
  const md =
    "# Agents\n<!-- agents-md:sensitive-start -->\nsecret\n<!-- agents-md:sensitive-end -->\nend\n";
  const { call, double } = await start(t, { serveAgentsMd: md });
  assertEmpty(await call("GET", "/agents.md", { token: null }), 401);
  const served = await call("GET", "/.well-known/agents.md");
  assertEquals(served.status, 200);
  assertEquals(served.headers.get("content-type"), "text/markdown; charset=utf-8");
  // The runtime also drops the newline on each side of the removed section.
  assertEquals(served.text, "# Agentsend\n");
  const missing = await start(t, { serveAgentsMd: null });
  assertEmpty(await missing.call("GET", "/agents.md"), 404);

  const id = double.seedAgent({ name: "x", state: "Failed" });
  double.seedAgent({ name: "y", state: "Running" });
  const status = await call("GET", "/api/v1/status");
  assertEquals(status.body, {
    version: "1.19.0",
    healthy: true,
    agent_count: 2,
    schedule_count: 0,
    channel_count: 0,
  });
  const metrics = await call("GET", "/api/v1/metrics");
  assertEquals(metrics.body.agents, { total: 2, running: 1, idle: 0, error: 1 });
  assertEquals(Object.keys(metrics.body.system).sort(), [
    "cpu_usage",
    "memory_usage",
    "uptime_seconds",
  ]);
  double.setAgentState(id, "Completed");
  assertEquals((await call("GET", `/api/v1/agents/${id}/status`)).body.state, "Completed");
});
