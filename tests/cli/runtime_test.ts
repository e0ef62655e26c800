/**
 * The CLI as a subprocess against a runtime double served over loopback in the test process: the
 * runtime command groups with `--json` parsed and checked, plus missing environment, an
 * unreachable runtime, bad flags and redaction.
 */
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { test } from "../_harness.ts";
import { cli, oneErrorLine, servedDouble, tempDir } from "./_cli.ts";

const DSL = "agent cli_test { }";

test("cli: system and agents over HTTP with --json (health, create, list, status, update, execute, history, delete)", async (t) => {
  const { env } = await servedDouble(t);
  const health = await cli(["system", "health", "--json"], { env });
  assertEquals(health.code, 0, health.stderr);
  assertEquals((health.json() as { status: string }).status, "healthy");

  const created = await cli(["agents", "create", "--name", "cli-agent", "--dsl", DSL, "--json"], {
    env,
  });
  assertEquals(created.code, 0, created.stderr);
  const { id } = created.json() as { id: string };
  assertMatch(id, /^[0-9a-f-]{36}$/);

  const listed = await cli(["agents", "list", "--json"], { env });
  assertEquals((listed.json() as { id: string; name: string }[]).map((a) => [a.id, a.name]), [[
    id,
    "cli-agent",
  ]]);
  const human = await cli(["agents", "list"], { env });
  assertMatch(human.stdout, new RegExp(`^ID\\s+STATE\\s+NAME\\n${id}\\s+\\w+\\s+cli-agent\\n$`));

  const executed = await cli(["agents", "execute", id, "--json"], { env });
  assertEquals((executed.json() as { status: string }).status, "execution_started");
  const history = await cli(["agents", "history", id, "--json"], { env });
  assert((history.json() as unknown[]).length >= 1, "a run in the history");
  const deleted = await cli(["agents", "delete", id, "--json"], { env });
  assertEquals(deleted.code, 0, deleted.stderr);
  const gone = await cli(["agents", "status", id, "--json"], { env });
  assertEquals(gone.code, 1);
  assertEquals((gone.json() as { error: { code: string } }).error.code, "AGENT_NOT_FOUND");
  assertMatch(oneErrorLine(gone), /\[AGENT_NOT_FOUND\]$/);
});

test("cli: messages, schedules, workflows and approvals over HTTP", async (t) => {
  const { env, double } = await servedDouble(t);
  const alice = double.seedAgent({ name: "alice", dsl: DSL });
  const bob = double.seedAgent({ name: "bob", dsl: DSL });
  const sent = await cli(["messages", "send", bob, "--from", alice, "--payload", "-", "--json"], {
    env,
    input: "hello over stdin",
  });
  assertEquals(sent.code, 0, sent.stderr);
  const received = await cli(["messages", "receive", bob, "--json"], { env });
  const inbox = received.json() as { payload: string; sender: string }[];
  assertEquals(inbox.map((m) => [m.sender, m.payload]), [[alice, "hello over stdin"]]);

  const schedule = await cli(
    [
      "schedules",
      "create",
      "--name",
      "nightly",
      "--cron",
      "0 0 3 * * *",
      "--agent",
      "alice",
      "--json",
    ],
    { env },
  );
  assertEquals(schedule.code, 0, schedule.stderr);
  const jobId = (schedule.json() as { job_id: string }).job_id;
  const paused = await cli(["schedules", "pause", jobId], { env });
  assertEquals(paused.code, 0, paused.stderr);
  const listed = await cli(["schedules", "list", "--json"], { env });
  assertEquals(
    (listed.json() as { job_id: string; status: string }[]).map((s) => [s.job_id, s.status]),
    [[
      jobId,
      "Paused",
    ]],
  );
  const badCron = await cli([
    "schedules",
    "create",
    "--name",
    "x",
    "--cron",
    "every day",
    "--agent",
    "alice",
  ], { env });
  assertEquals(badCron.code, 1);
  oneErrorLine(badCron);

  const workflow = await cli([
    "workflows",
    "execute",
    "--dsl",
    DSL,
    "--params",
    '{"day":"monday"}',
    "--json",
  ], { env });
  assertEquals(workflow.code, 0, workflow.stderr);
  assertEquals((workflow.json() as { execution_started: boolean }).execution_started, true);

  const held = double.holdAction({ agentId: alice, summary: "tool_call send_email" });
  const pending = await cli(["approvals", "list", "--pending", "--json"], { env });
  assertEquals((pending.json() as { id: string }[]).map((h) => h.id), [held.id]);
  const approved = await cli(["approvals", "approve", held.id, "--reason", "reviewed"], { env });
  assertEquals(approved.code, 0, approved.stderr);
  assertEquals((await held.decision).decision, "approve");
  assertEquals((await held.decision).reason, "reviewed");
  const again = await cli(["approvals", "deny", held.id, "--json"], { env });
  assertEquals(again.code, 1);
  oneErrorLine(again);
});

test("cli: channels list and a channel error from the runtime are reported in one line", async (t) => {
  const { env } = await servedDouble(t);
  const list = await cli(["channels", "list", "--json"], { env });
  assertEquals(list.code, 0, list.stderr);
  assert(Array.isArray(list.json()), "a JSON array");
  const missing = await cli(["channels", "get", "no-such-channel", "--json"], { env });
  assertEquals(missing.code, 1);
  assert((missing.json() as { error: { code: string } }).error.code.length > 0, "a code");
  oneErrorLine(missing);
});

test("cli: missing key, unreachable runtime and a wrong key each fail with exit 1 and one line", async (t) => {
  const { url } = await servedDouble(t);
  const noKey = await cli(["agents", "list"], { env: { SYMBIONT_BASE_URL: url } });
  assertEquals(noKey.code, 1);
  assertMatch(oneErrorLine(noKey), /no API key: set SYMBIONT_API_KEY .*\[NO_API_KEY\]$/);

  const down = await cli(["agents", "list", "--json", "--timeout", "2"], {
    env: {
      SYMBIONT_BASE_URL: "http://127.0.0.1:1",
      SYMBIONT_API_KEY: "k",
      SYMBIONT_MAX_RETRIES: "0",
    },
  });
  assertEquals(down.code, 1);
  assertEquals((down.json() as { error: { code: string } }).error.code, "CONNECTION_FAILED");
  assertMatch(oneErrorLine(down), /is the runtime at http:\/\/127\.0\.0\.1:1\/api\/v1 running\?/);

  const wrong = await cli(
    ["agents", "list", "--base-url", url, "--api-key", "not-the-key-s3cret"],
    {},
  );
  assertEquals(wrong.code, 1);
  const line = oneErrorLine(wrong);
  assert(!line.includes("not-the-key-s3cret"), "the key is never printed");

  const health = await cli(["system", "health"], { env: { SYMBIONT_BASE_URL: url } });
  assertEquals(health.code, 0, "health needs no key");
});

test("cli: config show redacts keys, and --dotenv is read only on request", async (t) => {
  const dir = await tempDir(t);
  const { writeFile } = await import("node:fs/promises");
  await writeFile(
    `${dir}/.env`,
    "SYMBIONT_BASE_URL=http://runtime.internal:8080\nSYMBIONT_API_KEY=sk-live-abc123\n",
  );
  const plain = await cli(["config", "show", "--json"], { cwd: dir });
  assertEquals((plain.json() as { apiKey: string }).apiKey, "[not set]");
  const shown = await cli(["config", "show", "--dotenv", `${dir}/.env`, "--json"], {});
  assertEquals(shown.code, 0, shown.stderr);
  assertEquals(shown.json(), {
    ...(shown.json() as object),
    baseUrl: "http://runtime.internal:8080/api/v1",
    apiKey: "[set, redacted]",
  });
  assert(!shown.stdout.includes("sk-live-abc123"), "no key in output");
  const missing = await cli(["config", "show", "--dotenv", `${dir}/nope.env`], {});
  assertEquals(missing.code, 1);
  assertStringIncludes(oneErrorLine(missing), "nope.env");
});

test("cli: agents create with every execution mode; a bad cron is refused before the wire", async (t) => {
  const { env } = await servedDouble(t);
  const cases: [string[], string][] = [
    [["--dsl", DSL, "--mode", "persistent"], "Persistent"],
    [["--dsl", DSL, "--mode", "event-driven"], "EventDriven"],
    [["--dsl", DSL, "--mode", "scheduled", "--interval", "90"], "Scheduled"],
    [
      ["--dsl", DSL, "--mode", "cron", "--cron", "0 0 3 * * *", "--timezone", "Europe/Berlin"],
      "CronScheduled",
    ],
    [["--mode", "external", "--heartbeat", "60", "--endpoint", "https://edge.example"], "External"],
  ];
  for (const [flags, expected] of cases) {
    const created = await cli(["agents", "create", "--name", "m", ...flags, "--json"], { env });
    assertEquals(created.code, 0, created.stderr);
    const { id } = created.json() as { id: string };
    const status = await cli(["agents", "status", id, "--json"], { env });
    assertEquals((status.json() as { execution_mode: string }).execution_mode, expected);
  }
  const bad = await cli(
    ["agents", "create", "--name", "b", "--dsl", DSL, "--mode", "cron", "--cron", "0 61 * * * *"],
    { env: { ...env, SYMBIONT_BASE_URL: "http://127.0.0.1:9" } }, // nothing listens: only a local check answers
  );
  assertEquals(bad.code, 1);
  assertStringIncludes(oneErrorLine(bad), "INVALID_CRON");
});
