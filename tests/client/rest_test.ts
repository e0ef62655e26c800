// Every runtime route through its SDK method, against the local runtime double over real loopback
// HTTP. Test names start with the route so the README's route table can point at them.
import { test, type TestContext } from "../_harness.ts";
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertMatch,
  assertRejects,
  assertThrows,
} from "../_assert.ts";
import {
  AuthenticationError,
  ChannelClient,
  Client,
  type ClientOptions,
  ConflictError,
  CronError,
  executionMode,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ScheduleClient,
  ServerError,
} from "../../client/mod.ts";
import { createRuntimeDouble, type RuntimeDoubleOptions, serve } from "../../testing/mod.ts";

const TOKEN = "double-admin-token";

async function runtime(
  t: TestContext,
  options: RuntimeDoubleOptions = {},
  clientOptions: ClientOptions = {},
) {
  const double = createRuntimeDouble({ apiToken: TOKEN, readyAfterMs: 0, ...options });
  const server = await serve(double.fetch);
  t.defer(() => server.close());
  const client = new Client({ baseUrl: server.url, apiKey: TOKEN, ...clientOptions });
  return { double, client, url: server.url };
}

/** Runs `fn` against a closed port: reaching the wire would be a ConnectionError instead. */
async function noRequestWas<E extends Error = InvalidArgumentError>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type: abstract new (...args: any[]) => E = InvalidArgumentError as never,
): Promise<E> {
  return await assertRejects(fn, type);
}

test("GET /health, /health/live, /health/ready: probes without a key; ready is false at first", async (t) => {
  let now = 1_000_000;
  const { client } = await runtime(t, { readyAfterMs: 5000, now: () => now }, {
    apiKey: undefined,
  });
  const health = await client.healthCheck();
  assertEquals([health.status, health.version], ["healthy", "1.19.0"]);
  assertMatch(health.timestamp, /Z$/);
  assertEquals(await client.system.live(), true);
  assertEquals(await client.system.ready(), false);
  now += 5001;
  assertEquals(await client.system.ready(), true);
});

test("GET /status, /health/scheduler, /metrics: admin views with typed bodies", async (t) => {
  const { client, double } = await runtime(t);
  double.seedAgent({ name: "a" });
  const status = await client.getStatus();
  assertEquals([status.version, status.healthy, status.agent_count], ["1.19.0", true, 1]);
  const scheduler = await client.getSchedulerHealth();
  assertEquals(scheduler.is_running, true);
  const metrics = await client.getMetrics();
  assertEquals(metrics.agents.total, 1);
  assert(typeof metrics.system.cpu_usage === "number");
  const snapshot = await client.metricsClient.getMetricsSnapshot();
  assertEquals([snapshot.agents.total, snapshot.status?.agent_count], [1, 1]);
  const noCron = await runtime(t, { cron: false });
  assertEquals((await noCron.client.system.schedulerHealth()).is_running, false);
});

test("GET /agents.md and /.well-known/agents.md: the served file, or NotFoundError when the runtime has none", async (t) => {
  const text =
    "# Agents\npublic\n<!-- agents-md:sensitive-start -->secret<!-- agents-md:sensitive-end -->\n";
  const { client } = await runtime(t, { serveAgentsMd: text });
  const served = await client.system.agentsMd();
  assert(served.includes("public") && !served.includes("secret"), served);
  assertEquals(await client.system.agentsMd({ wellKnown: true }), served);
  const none = await runtime(t);
  await assertRejects(() => none.client.system.agentsMd(), NotFoundError);
});

test("POST /agents: every execution mode; GET /agents lists them with PascalCase states", async (t) => {
  const { client } = await runtime(t);
  const modes = [
    undefined,
    executionMode.persistent(),
    executionMode.ephemeral(),
    executionMode.eventDriven(),
    executionMode.scheduled(90.5),
    executionMode.cronScheduled("0 */5 * * * *", "Europe/Berlin"),
  ];
  const ids: string[] = [];
  for (const [i, mode] of modes.entries()) {
    const created = await client.createAgent({
      name: `agent-${i}`,
      dsl: `agent a${i} {}`,
      ...(mode ? { execution_mode: mode } : {}),
      capabilities: ["read"],
      metadata: { team: "ops" },
    });
    assertEquals(created.status, "scheduled");
    ids.push(created.id);
  }
  const external = await client.agents.create({
    name: "edge",
    execution_mode: executionMode.external({
      heartbeatIntervalSecs: 30,
      endpoint: "https://edge.example/run",
    }),
  });
  const listed = await client.listAgents();
  assertEquals(listed.length, 7);
  for (const agent of listed) {
    assert(["Created", "Ready", "Running"].includes(agent.state), agent.state);
  }
  const statuses = await Promise.all([...ids, external.id].map((id) => client.getAgentStatus(id)));
  assertEquals(statuses.map((s) => s.execution_mode), [
    "Ephemeral",
    "Persistent",
    "Ephemeral",
    "EventDriven",
    "Scheduled",
    "CronScheduled",
    "External",
  ]);
});

test("POST /agents: empty names and empty DSL are refused before the wire", async () => {
  const client = new Client({ baseUrl: "http://127.0.0.1:9", apiKey: "k", maxRetries: 0 });
  await noRequestWas(() => client.createAgent({ name: " ", dsl: "agent a {}" }));
  const error = await noRequestWas(() => client.createAgent({ name: "a", dsl: "" }));
  assertEquals(error.argument, "request.dsl");
  await noRequestWas(() => client.agents.update("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10", {}));
  await noRequestWas(() => client.getAgentStatus("not-a-uuid"));
  const cron = await noRequestWas(
    () =>
      client.createAgent({
        name: "a",
        dsl: "agent a {}",
        execution_mode: executionMode.cronScheduled("0 0 25 * * *"),
      }),
    CronError,
  );
  assertEquals([cron.code, cron.field], ["INVALID_CRON", "hour"]);
  await noRequestWas(() => client.agents.execute("../x"));
});

test("GET /agents/{id}/status: seeded summary objects work as ids; unknown agents are AGENT_NOT_FOUND", async (t) => {
  const { client, double } = await runtime(t);
  double.seedAgent({ name: "known", state: "Running" });
  const [summary] = await client.listAgents();
  const status = await client.getAgentStatus(summary);
  assertEquals([status.agent_id, status.state], [summary.id, "Running"]);
  assertMatch(status.last_activity, /Z$/);
  assertEquals(status.metadata, undefined);
  const error = await assertRejects(
    () => client.getAgentStatus("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10"),
    NotFoundError,
  );
  assertEquals(error.code, "AGENT_NOT_FOUND");
});

test("PUT and DELETE /agents/{id}: updated, deleted, and the runtime's 500 codes for unknown agents", async (t) => {
  const { client } = await runtime(t);
  const { id } = await client.createAgent({ name: "old", dsl: "agent old {}" });
  assertEquals((await client.updateAgent(id, { name: "new" })).status, "updated");
  assertEquals((await client.listAgents())[0].name, "new");
  assertEquals((await client.deleteAgent(id)).status, "deleted");
  assertEquals(await client.listAgents(), []);
  const update = await assertRejects(() => client.updateAgent(id, { dsl: "x" }), ServerError);
  assertEquals(update.code, "AGENT_UPDATE_FAILED");
  const del = await assertRejects(() => client.deleteAgent(id), ServerError);
  assertEquals(del.code, "AGENT_DELETION_FAILED");
});

test("POST /agents/{id}/execute and GET /agents/{id}/history: runs, re-runs, newest first", async (t) => {
  const { client } = await runtime(t);
  const { id } = await client.createAgent({ name: "runner", dsl: "agent runner {}" });
  const first = await client.executeAgent(id);
  assertEquals(first.status, "execution_started");
  const second = await client.reExecuteAgent(id);
  assert(second.execution_id !== first.execution_id);
  const history = await client.getAgentHistory(id);
  assertEquals(history.map((h) => h.status), ["execution_started", "execution_started", "created"]);
  assertEquals(history[0].execution_id, second.execution_id);
  assertEquals(await client.getAgentHistory("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10"), []);
  const unknown = await assertRejects(
    () => client.executeAgent("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10"),
    ServerError,
  );
  assertEquals(unknown.code, "AGENT_EXECUTION_FAILED");
});

test("POST /agents/{id}/heartbeat and /events: External agents report state, metadata and events", async (t) => {
  const { client } = await runtime(t);
  const { id } = await client.createAgent({
    name: "edge",
    execution_mode: executionMode.external({ heartbeatIntervalSecs: 60 }),
  });
  await client.sendHeartbeat(id, { state: "Running", metadata: { host: "a" }, last_result: "ok" });
  await client.pushAgentEvent(id, { event_type: "RunCompleted", payload: { rows: 3 } });
  await client.agents.pushEvent(id, { event_type: "RunStarted", payload: null });
  const status = await client.getAgentStatus(id);
  assertEquals([status.state, status.metadata?.host, status.last_result], ["Running", "a", "ok"]);
  assertEquals(status.recent_events?.map((e) => [e.event_type, e.payload]), [
    ["RunCompleted", { rows: 3 }],
    ["RunStarted", null],
  ]);
  const plain = await client.createAgent({ name: "plain", dsl: "agent plain {}" });
  const hb = await assertRejects(
    () => client.sendHeartbeat(plain.id, { state: "Running" }),
    NotFoundError,
  );
  assertEquals(hb.code, "HEARTBEAT_FAILED");
  const ev = await assertRejects(
    () => client.pushAgentEvent(plain.id, { event_type: "RunFailed", payload: 1 }),
    NotFoundError,
  );
  assertEquals(ev.code, "PUSH_EVENT_FAILED");
  // deno-lint-ignore no-explicit-any
  await noRequestWas(() => client.sendHeartbeat(id, { state: "running" as any }));
});

test("POST /agents/{id}/messages, GET /agents/{id}/messages, GET /messages/{id}/status: receive drains", async (t) => {
  const { client, double } = await runtime(t);
  const sender = double.seedAgent({ name: "sender" });
  const recipient = double.seedAgent({ name: "recipient" });
  const sent = await client.sendMessage(recipient, {
    sender,
    payload: "hello",
    ttl_seconds: 999_999,
  });
  assertEquals(sent.status, "pending");
  // The bus delivers into the recipient's inbox at once; receiving then drains it.
  assertEquals((await client.getMessageStatus(sent.message_id)).status, "delivered");
  const inbox = await client.receiveMessages(recipient);
  assertEquals(inbox.map((m) => [m.sender, m.payload, m.message_type, m.recipient]), [
    [sender, "hello", "direct", recipient],
  ]);
  assert(inbox[0].ttl_seconds <= 3600, `TTL not clamped: ${inbox[0].ttl_seconds}`);
  assertEquals(inbox[0].topic, null);
  assertEquals(await client.receiveMessages(recipient), []);
  assertEquals((await client.messages.status(sent.message_id)).status, "delivered");
  const unknown = await assertRejects(
    () => client.getMessageStatus("0b8f7c9e-1d2a-4e3b-8c4d-5e6f7a8b9c0d"),
    NotFoundError,
  );
  assertEquals(unknown.code, "MESSAGE_STATUS_FAILED");
  double.unregisterFromBus(recipient);
  const lost = await client.sendMessage(recipient, { sender, payload: "nobody home" });
  assertEquals((await client.getMessageStatus(lost.message_id)).status, "failed");
  const gone = await assertRejects(() => client.receiveMessages(recipient), NotFoundError);
  assertEquals(gone.code, "AGENT_NOT_FOUND");
  const big = await noRequestWas(() =>
    client.sendMessage(recipient, { sender, payload: "x".repeat(300 * 1024) })
  );
  assertEquals(big.code, "PAYLOAD_TOO_LARGE");
});

test("scoped keys: filtered lists, AGENT_SCOPE_DENIED, ADMIN_REQUIRED, revoked keys", async (t) => {
  const own = "5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40";
  const other = "7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const { url, double } = await runtime(t, {
    apiKeys: [
      { keyId: "admin", secret: "a" },
      { keyId: "bot", secret: "b", agentScope: [own] },
      { keyId: "old", secret: "c", revoked: true },
    ],
  });
  double.seedAgent({ id: own, name: "own" });
  double.seedAgent({ id: other, name: "other" });
  const scoped = new Client({ baseUrl: url, apiKey: "bot.b" });
  assertEquals((await scoped.listAgents()).map((a) => a.id), [own]);
  assertEquals((await scoped.getAgentStatus(own)).agent_id, own);
  const denied = await assertRejects(() => scoped.getAgentStatus(other), PermissionDeniedError);
  assertEquals(denied.code, "AGENT_SCOPE_DENIED");
  const admin = await assertRejects(() => scoped.schedules.list(), PermissionDeniedError);
  assertEquals(admin.code, "ADMIN_REQUIRED");
  const spoofed = await assertRejects(
    () => scoped.sendMessage(own, { sender: other, payload: "x" }),
    PermissionDeniedError,
  );
  assertEquals(spoofed.code, "AGENT_SCOPE_DENIED");
  const sent = await scoped.sendMessage(other, { sender: own, payload: "hi" });
  const status = await assertRejects(
    () => scoped.getMessageStatus(sent.message_id),
    PermissionDeniedError,
  );
  assertEquals(status.code, "AGENT_SCOPE_DENIED");
  assertEquals((await new Client({ baseUrl: url, apiKey: "admin.a" }).listAgents()).length, 2);
  await assertRejects(
    () => new Client({ baseUrl: url, apiKey: "old.c" }).listAgents(),
    AuthenticationError,
  );
  // The key store is the only authority once it has records: the env token is refused.
  await assertRejects(
    () => new Client({ baseUrl: url, apiKey: TOKEN }).listAgents(),
    AuthenticationError,
  );
});

test("schedules: POST 201, GET list/one, PUT, pause/resume/trigger, history, next-runs, DELETE", async (t) => {
  const { client } = await runtime(t);
  const schedules = new ScheduleClient(client);
  const created = await schedules.create({
    name: "nightly",
    cron_expression: "0 30 2 * * *",
    timezone: "Europe/Berlin",
    agent_name: "reporter",
  });
  assertEquals(created.status, "created");
  assert(created.next_run, "next_run missing");
  const [summary] = await schedules.list();
  assertEquals([summary.job_id, summary.status, summary.enabled], [created.job_id, "Active", true]);
  const detail = await schedules.get(created.job_id);
  assertEquals([detail.cron_expression, detail.one_shot, detail.failure_count], [
    "0 30 2 * * *",
    false,
    0,
  ]);
  const updated = await schedules.update(created.job_id, { cron_expression: "0 0 4 * * MON-FRI" });
  assertEquals(updated.cron_expression, "0 0 4 * * MON-FRI");
  assertEquals((await schedules.pause(created.job_id)).status, "paused");
  assertEquals((await schedules.get(created.job_id)).status, "Paused");
  assertEquals((await schedules.resume(created.job_id)).status, "active");
  assertEquals((await schedules.trigger(created.job_id)).status, "triggered");
  const history = await schedules.history(created.job_id);
  assert(history.length >= 1, "trigger left no run in the history");
  const runs = await schedules.nextRuns(created.job_id);
  assertEquals(runs.length, 10);
  const times = runs.map((r) => Date.parse(r));
  assert(times.every((v, i) => i === 0 || v > times[i - 1]), "next runs not ascending");
  for (const run of runs) {
    const berlin = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    }).format(new Date(run));
    assertMatch(berlin, /^(Mon|Tue|Wed|Thu|Fri) 04:00$/);
  }
  assertEquals((await schedules.delete(created.job_id)).deleted, true);
  const missing = await assertRejects(() => schedules.get(created.job_id), NotFoundError);
  assertEquals(missing.code, "SCHEDULE_NOT_FOUND");
  const update = await assertRejects(
    () => schedules.update(created.job_id, { one_shot: true }),
    ServerError,
  );
  assertEquals(update.code, "UPDATE_SCHEDULE_FAILED");
});

test("schedules: invalid cron expressions and time zones are refused before the wire", async () => {
  const schedules = new ScheduleClient({
    baseUrl: "http://127.0.0.1:9",
    apiKey: "k",
    maxRetries: 0,
  });
  const bad = await noRequestWas(
    () => schedules.create({ name: "x", cron_expression: "0 61 * * * *", agent_name: "a" }),
    CronError,
  );
  assertEquals(bad.code, "INVALID_CRON");
  const tz = await noRequestWas(
    () =>
      schedules.create({
        name: "x",
        cron_expression: "0 0 * * * *",
        timezone: "Mars/Olympus",
        agent_name: "a",
      }),
    CronError,
  );
  assertEquals(tz.code, "INVALID_TIMEZONE");
  await noRequestWas(() => schedules.update("job", {}));
});

test("schedules: a runtime without cron answers 500 on create and 404 on the rest", async (t) => {
  const { client } = await runtime(t, { cron: false });
  assertEquals(await client.schedules.list(), []);
  const create = await assertRejects(
    () => client.schedules.create({ name: "x", cron_expression: "0 0 * * * *", agent_name: "a" }),
    ServerError,
  );
  assertEquals(create.code, "CREATE_SCHEDULE_FAILED");
  await assertRejects(
    () => client.schedules.get("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10"),
    NotFoundError,
  );
});

test("channels (OSS runtime): empty list and the stub error codes", async (t) => {
  const { client } = await runtime(t);
  const channels = new ChannelClient(client);
  assertEquals(await channels.list(), []);
  const register = await assertRejects(
    () => channels.register({ name: "ops", platform: "slack", config: {} }),
    ServerError,
  );
  assertEquals(register.code, "REGISTER_CHANNEL_FAILED");
  const codes: string[] = [];
  for (
    const call of [
      () => channels.get("c1"),
      () => channels.delete("c1"),
      () => channels.start("c1"),
      () => channels.stop("c1"),
      () => channels.health("c1"),
      () => channels.listMappings("c1"),
      () => channels.removeMapping("c1", "u1"),
      () => channels.audit("c1"),
    ]
  ) {
    const error = await assertRejects(call, NotFoundError);
    codes.push(error.code);
  }
  assertEquals(codes, [
    "CHANNEL_NOT_FOUND",
    "CHANNEL_NOT_FOUND",
    "CHANNEL_START_FAILED",
    "CHANNEL_STOP_FAILED",
    "CHANNEL_HEALTH_FAILED",
    "CHANNEL_MAPPINGS_FAILED",
    "REMOVE_CHANNEL_MAPPING_FAILED",
    "CHANNEL_AUDIT_FAILED",
  ]);
  const update = await assertRejects(() => channels.update("c1", { config: {} }), ServerError);
  assertEquals(update.code, "UPDATE_CHANNEL_FAILED");
  const mapping = await assertRejects(
    () =>
      channels.addMapping("c1", {
        platform_user_id: "U1",
        symbiont_user_id: "alice",
        display_name: "Alice",
        roles: [],
      }),
    ServerError,
  );
  assertEquals(mapping.code, "ADD_CHANNEL_MAPPING_FAILED");
});

test("channels (a working provider): register 201, start/stop, health, mappings 201/204, audit, delete", async (t) => {
  const { client } = await runtime(t, { channels: "memory" });
  const registered = await client.channels.register({
    name: "ops",
    platform: "slack",
    config: { team: "T1" },
  });
  assertEquals([registered.name, registered.platform], ["ops", "slack"]);
  const id = registered.id;
  assertEquals((await client.channels.list()).map((c) => c.id), [id]);
  assertEquals((await client.channels.get(id)).config, { team: "T1" });
  assertEquals((await client.channels.update(id, { config: { team: "T2" } })).config, {
    team: "T2",
  });
  assertEquals((await client.channels.start(id)).action, "start");
  assertEquals((await client.channels.health(id)).connected, true);
  assertEquals((await client.channels.stop(id)).action, "stop");
  const mapping = await client.channels.addMapping(id, {
    platform_user_id: "U1",
    symbiont_user_id: "alice",
    display_name: "Alice",
    email: "alice@example.com",
    roles: ["operator"],
  });
  assertEquals([mapping.platform, mapping.email], ["slack", "alice@example.com"]);
  assertEquals((await client.channels.listMappings(id)).length, 1);
  await client.channels.removeMapping(id, "U1");
  assertEquals(await client.channels.listMappings(id), []);
  const audit = await client.channels.audit(id);
  assertEquals(audit.channel_id, id);
  assertEquals((await client.channels.delete(id)).deleted, true);
});

test("POST /workflows/execute: the DSL is parsed, parameters echoed, syntax errors are 500s", async (t) => {
  const { client } = await runtime(t);
  const result = await client.executeWorkflow({
    workflow_id: 'agent report { metadata { owner: "ops" } }',
    parameters: { day: "monday" },
  });
  assertEquals([result.status, result.execution_started, result.metadata.owner], [
    "success",
    true,
    "ops",
  ]);
  assertEquals(result.parameters, { day: "monday" });
  const bare = await client.workflows.execute({ workflow_id: "agent bare {}" });
  assertEquals("parameters" in bare, false);
  const broken = await assertRejects(
    () => client.executeWorkflow({ workflow_id: "agent broken {", parameters: null }),
    ServerError,
  );
  assertEquals(broken.code, "WORKFLOW_EXECUTION_FAILED");
});

test("approvals: GET lists held actions; approve/deny with reasons; 404 not_found, 409 already_resolved", async (t) => {
  const { client, double } = await runtime(t);
  const agent = double.seedAgent({ name: "worker" });
  const first = double.holdAction({
    agentId: agent,
    contextSnapshot: { ToolCall: { call_id: "c1", name: "write_file", arguments: "{}" } },
  });
  const second = double.holdAction({ agentId: agent, kind: "delegate" });
  const pending = await client.listApprovals();
  assertEquals(pending.map((h) => [h.id, h.status]), [[first.id, "pending"], [
    second.id,
    "pending",
  ]]);
  assertMatch(pending[0].id, /^[0-9a-f]{16}$/);
  await client.approveAction(first.id, { reason: "reviewed" });
  assertEquals((await first.decision).decision, "approve");
  await client.approvals.deny(second.id);
  assertEquals((await second.decision).decision, "deny");
  const again = await assertRejects(() => client.approveAction(first.id), ConflictError);
  assertEquals(again.code, "already_resolved");
  const unknown = await assertRejects(() => client.denyAction("0123456789abcdef"), NotFoundError);
  assertEquals(unknown.code, "not_found");
});

test("rate limiting: empty-body 429 is a RateLimitError; POSTs are not retried", async (t) => {
  const { client, double } = await runtime(t);
  double.setRateLimit({ burst: 1, refillMs: 60_000 });
  await client.healthCheck();
  const limited = await assertRejects(
    () => client.createAgent({ name: "a", dsl: "agent a {}" }),
    RateLimitError,
  );
  assertInstanceOf(limited, RateLimitError);
  double.setRateLimit(false);
  assertEquals((await client.listAgents()).length, 0);
});

test("the routes older SDKs called answer 404 on the runtime", async (t) => {
  const { client } = await runtime(t);
  const { transport } = client.context;
  for (
    const path of [
      "/tools",
      "/communication/rules",
      "/metrics/snapshot",
      "/agents/x/reasoning/loop",
    ]
  ) {
    const error = await assertRejects(
      () => transport.request({ method: "GET", path }),
      NotFoundError,
    );
    assertEquals(error.code, "NOT_FOUND");
  }
  assertThrows(() => new Client({ baseUrl: "mailto:x" }));
});

test("GET /api-docs/openapi.json and /swagger-ui: served only with docs on, behind auth", async (t) => {
  const { client, url } = await runtime(t, { docs: true });
  const spec = await client.system.openApiSpec();
  assertEquals(spec.info.version, "1.0.0");
  assert(spec.paths["/api/v1/agents/{id}/status"]?.get, "agent status operation missing");
  assertEquals(spec.paths["/api/v1/approvals"], undefined);
  const html = await client.system.swaggerUi();
  assert(html.includes("swagger-ui"), html.slice(0, 80));
  await assertRejects(() => new Client({ baseUrl: url }).system.openApiSpec(), AuthenticationError);
  const off = await runtime(t);
  await assertRejects(() => off.client.system.openApiSpec(), NotFoundError);
});
