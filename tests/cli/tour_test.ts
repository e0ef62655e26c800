/**
 * `symbiont tour` as a subprocess: against the in-process double (no runtime), against a runtime
 * given by SYMBIONT_BASE_URL, and against an unreachable one. Also `metrics` and `dev`.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { test } from "../_harness.ts";
import { cli, cliBackground, oneErrorLine, servedDouble, tempDir } from "./_cli.ts";

interface TourSummary {
  target: string;
  passed: number;
  failed: number;
  steps: { step: string; ok: boolean; lines: string[]; error?: { code: string } }[];
}

const STEPS = [
  "health",
  "agents",
  "messages",
  "schedules",
  "approvals",
  "workflows",
  "http-input",
  "chat",
  "metrics",
  "agentpin",
  "webhooks",
  "skills",
  "memory",
  "toolclad",
  "cleanup",
];

test("cli: tour runs every step against the in-process double and exits 0", async () => {
  const run = await cli(["tour", "--json"]);
  assertEquals(run.code, 0, run.stderr);
  const summary = run.json() as TourSummary;
  assertEquals(summary.target, "runtime-double");
  assertEquals(summary.steps.map((s) => [s.step, s.ok]), STEPS.map((s) => [s, true]));
  assertStringIncludes(
    summary.steps[6].lines[1],
    "(scripted model of the HTTP Input double) received: summarise",
  );
  assertStringIncludes(summary.steps[7].lines[0], "ToolCallStarted");
  assertEquals([summary.passed, summary.failed], [STEPS.length, 0]);
  for (const s of summary.steps) assert(s.lines.length >= 1, `${s.step} says what it did`);
  const human = await cli(["tour"]);
  assertEquals(human.code, 0, human.stderr);
  assertMatch(
    human.stdout,
    /^symbiont tour: the SDK end to end against the local runtime double at http:\/\/127\.0\.0\.1:\d+\/api\/v1/,
  );
  assertMatch(human.stdout, new RegExp(`\\nall ${STEPS.length} steps passed in \\d+ ms\\n$`));
  assertEquals(human.stderr, "");
});

test("cli: tour with SYMBIONT_BASE_URL talks to that runtime (what it created is visible there)", async (t) => {
  const { env, double } = await servedDouble(t);
  const resident = double.seedAgent({ name: "resident", dsl: "agent resident { }" });
  double.holdAction({ agentId: resident, summary: "tool_call deploy" });
  const run = await cli(["tour", "--json"], { env });
  assertEquals(run.code, 0, run.stderr);
  const summary = run.json() as TourSummary & { skipped: number };
  assertEquals(summary.target, `${env.SYMBIONT_BASE_URL}/api/v1`);
  // No HTTP Input token configured and no model behind a real coordinator: skipped, not failed.
  assertEquals([summary.passed, summary.skipped, summary.failed], [STEPS.length - 2, 2, 0]);
  assertStringIncludes(
    summary.steps.find((s) => s.step === "http-input")?.lines[0] ?? "",
    "SYMBIONT_HTTP_INPUT_TOKEN",
  );
  const approvals = summary.steps.find((s) => s.step === "approvals");
  assertStringIncludes(approvals?.lines[0] ?? "", "GET /approvals → 1 pending");
  // The tour cleaned up after itself on that runtime and left the resident agent alone.
  const agents = await cli(["agents", "list", "--json"], { env });
  assertEquals((agents.json() as { id: string }[]).map((a) => a.id), [resident]);
});

test("cli: tour against an unreachable runtime fails fast with exit 1 and says which steps failed", async () => {
  const run = await cli(["tour", "--json"], {
    env: {
      SYMBIONT_BASE_URL: "http://127.0.0.1:1",
      SYMBIONT_API_KEY: "k",
      SYMBIONT_MAX_RETRIES: "0",
    },
  });
  assertEquals(run.code, 1);
  const error = (run.json() as { error: { code: string; details: TourSummary } }).error;
  assertEquals(error.code, "TOUR_FAILED");
  const failed = error.details.steps.filter((s) => !s.ok).map((s) => s.step);
  assertEquals(failed, [
    "health",
    "agents",
    "messages",
    "schedules",
    "approvals",
    "workflows",
    "http-input",
    "chat",
    "metrics",
    "cleanup",
  ]);
  assertMatch(oneErrorLine(run), /^error: tour: 10 of 15 steps failed: health, agents/);
});

test("cli: metrics snapshot, export to a file and as Prometheus text, watch --count", async (t) => {
  const { env, double } = await servedDouble(t);
  double.seedAgent({ name: "m", dsl: "agent m { }" });
  const snap = await cli(["metrics", "snapshot", "--json"], { env });
  assertEquals(snap.code, 0, snap.stderr);
  assertEquals((snap.json() as { agents: { total: number } }).agents.total, 1);
  const dir = await tempDir(t);
  const out = join(dir, "metrics.json");
  const exported = await cli([
    "metrics",
    "export",
    "--out",
    out,
    "--prometheus-out",
    join(dir, "m.prom"),
    "--json",
  ], { env });
  assertEquals(exported.code, 0, exported.stderr);
  assertEquals(JSON.parse(await readFile(out, "utf8")).agents.total, 1);
  assertMatch(
    await readFile(join(dir, "m.prom"), "utf8"),
    /\n[a-z_]+agents[a-z_]*\{state="total"\} 1\n|\nsymbiont_[a-z_]+ 1\n/,
  );
  const prom = await cli(["metrics", "export", "--prometheus"], { env });
  assertMatch(prom.stdout, /^# HELP /);
  const watch = await cli(["metrics", "watch", "--interval", "0.05", "--count", "2", "--json"], {
    env,
  });
  assertEquals(watch.code, 0, watch.stderr);
  const lines = watch.stdout.trim().split("\n").map((l) =>
    JSON.parse(l) as { agents: { total: number } }
  );
  assertEquals(lines.map((l) => l.agents.total), [1, 1]);
  const nothing = await cli(["metrics", "export"], { env });
  assertEquals(nothing.code, 2);
  const down = await cli(["metrics", "watch", "--interval", "0.05", "--count", "1"], {
    env: {
      SYMBIONT_BASE_URL: "http://127.0.0.1:1",
      SYMBIONT_API_KEY: "k",
      SYMBIONT_MAX_RETRIES: "0",
    },
  });
  assertEquals(down.code, 1);
  assertStringIncludes(down.stderr, "CONNECTION_FAILED");
});

test("cli: dev serves both doubles until SIGTERM; agents, invoke and interactive chat talk to them", async () => {
  const server = await cliBackground(
    ["dev", "--port", "0", "--http-input-port", "0"],
    /listening on (http:\/\/127\.0\.0\.1:\d+)\/api\/v1[^\n]*\nHTTP Input double listening on (\S+)\n/,
  );
  try {
    const base = server.match[1];
    const created = await cli(
      ["agents", "create", "--name", "d", "--dsl", "agent d { }", "--json"],
      {
        env: { SYMBIONT_BASE_URL: base, SYMBIONT_API_KEY: "dev-token" },
      },
    );
    assertEquals(created.code, 0, created.stderr);
    const wrong = await cli(["agents", "list"], {
      env: { SYMBIONT_BASE_URL: base, SYMBIONT_API_KEY: "nope" },
    });
    assertEquals(wrong.code, 1);
  } finally {
    const stopped = await server.stop();
    // It shut down on its own terms ("stopped" comes after the server closed). Deno's
    // child_process reports a child it sent SIGTERM to as signal-killed even when it exited 0.
    assertStringIncludes(stopped.stdout, "stopped");
    assert(stopped.code === 0 || stopped.code === null, `exit code ${stopped.code}`);
    assertEquals(stopped.stderr, "");
  }
});
