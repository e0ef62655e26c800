import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import {
  AuthenticationError,
  Client,
  RateLimitError,
  RequestValidationError,
  ResponseValidationError,
  ServerError,
  WebhookCompletedResponse,
  WebhookInvocationStatus,
} from "../../client/mod.ts";
import { WebhookProvider } from "../../webhooks/mod.ts";
import { scripted } from "./_servers.ts";

const STARTED = {
  status: "execution_started",
  agent_id: "6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10",
  message_id: "0b8f7c9e-1d2a-4e3b-8c4d-5e6f7a8b9c0d",
  latency_ms: 3,
  timestamp: "2026-11-28T10:00:00.123+00:00",
};
const COMPLETED = {
  status: "completed",
  agent_id: "6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10",
  response: "Done.",
  tool_runs: [
    { tool: "toolclad:nmap", input: { target: "10.0.0.1" }, output_preview: "22/tcp open" },
    { tool: "write_file", input: null, output_preview: "[Policy denied] no policy allows it" },
  ],
  termination_reason: { Error: { message: "model overloaded" } },
  iterations: 2,
  model: "claude",
  provider: "anthropic",
  latency_ms: 840,
  timestamp: "2026-11-28T10:00:01+00:00",
  extra_field_from_a_newer_runtime: true,
};

test("http input: posts with its own bearer token, routes by agent path, parses both shapes", async (t) => {
  const { url, seen } = await scripted(t, (n) => Response.json(n === 0 ? STARTED : COMPLETED));
  const client = new Client({
    apiKey: "api-key-not-for-8081",
    httpInputUrl: `${url}/webhook`,
    httpInputToken: "input-token",
  });
  const started = await client.httpInput.invoke({ prompt: "scan 10.0.0.1", target: "10.0.0.1" });
  assertEquals(started.status, WebhookInvocationStatus.EXECUTION_STARTED);
  if (started.status === "execution_started") assertEquals(started.message_id, STARTED.message_id);
  const completed = await client.httpInput.invoke({ message: "hi" }, {
    agentPath: "scanner agent",
  });
  assert(completed.status === WebhookInvocationStatus.COMPLETED);
  assertEquals(completed.tool_runs[0].tool, "toolclad:nmap");
  assertEquals(completed.termination_reason, { Error: { message: "model overloaded" } });
  assertEquals(seen.map((s) => [s.method, s.path]), [
    ["POST", "/webhook"],
    ["POST", "/webhook/scanner%20agent"],
  ]);
  assertEquals(seen[0].headers.get("authorization"), "Bearer input-token");
  assertEquals(JSON.parse(seen[0].body), { prompt: "scan 10.0.0.1", target: "10.0.0.1" });
  assertEquals(seen[0].headers.get("content-type"), "application/json");
});

test("http input: signatures in the runtime's formats verify against the exact bytes sent", async (t) => {
  const { url, seen } = await scripted(t, () => Response.json(STARTED));
  const client = new Client({ httpInputUrl: `${url}/webhook`, httpInputToken: "tok" });
  const cases: [string, string, typeof WebhookProvider.SYMBIONT_GITHUB][] = [
    ["github", "x-hub-signature-256", WebhookProvider.SYMBIONT_GITHUB],
    ["stripe", "stripe-signature", WebhookProvider.SYMBIONT_STRIPE],
    ["slack", "x-slack-signature", WebhookProvider.SYMBIONT_SLACK],
    ["custom", "x-signature", WebhookProvider.SYMBIONT_CUSTOM],
  ];
  for (const [provider] of cases) {
    await client.httpInput.invoke({ prompt: "ünïcode ✓" }, {
      signature: { provider, secret: "s3" },
    });
  }
  for (const [i, [, header, preset]] of cases.entries()) {
    assert(seen[i].headers.get(header), `no ${header} header`);
    await preset.verifier({ secret: "s3" }).verify(seen[i].headers, seen[i].body);
    await assertRejects(() =>
      preset.verifier({ secret: "other" }).verify(seen[i].headers, seen[i].body)
    );
  }
});

test("http input: empty-body 401/413/429/400 and {error, timestamp} 500 are typed", async (t) => {
  const answers = [
    new Response(null, { status: 401 }),
    new Response("length limit exceeded", { status: 413 }),
    new Response(null, { status: 429 }),
    new Response(null, { status: 400 }),
    Response.json({ error: "Configuration error", timestamp: "2026-11-28T10:00:00+00:00" }, {
      status: 500,
    }),
  ];
  const { url, seen } = await scripted(t, (n) => answers[n]);
  const client = new Client({ httpInputUrl: `${url}/webhook`, httpInputToken: "tok" });
  await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), AuthenticationError);
  await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), RequestValidationError);
  const busy = await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), RateLimitError);
  assertEquals(busy.code, "RATE_LIMITED");
  await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), RequestValidationError);
  const server = await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), ServerError);
  assertEquals(server.detail, "Configuration error");
  // Invocations are not retried: each call made exactly one request.
  assertEquals(seen.length, 5);
});

test("http input: an oversized system_prompt warns; unknown shapes fail strict validation", async (t) => {
  const { url } = await scripted(
    t,
    (n) => Response.json(n === 0 ? STARTED : { status: "queued", id: "x" }),
  );
  const warnings: string[] = [];
  const client = new Client({
    httpInputUrl: `${url}/webhook`,
    httpInputToken: "tok",
    logger: { warn: (m) => warnings.push(m) },
  });
  await client.httpInput.invoke({ prompt: "x", system_prompt: "é".repeat(2049) });
  assertEquals(warnings.length, 1);
  assertStringIncludes(warnings[0], "4098 bytes");
  await assertRejects(() => client.httpInput.invoke({ prompt: "x" }), ResponseValidationError);
});

test("http input: the seed's models parse payloads a user receives", () => {
  const parsed = WebhookCompletedResponse.parse(COMPLETED);
  assertEquals(parsed.provider, "anthropic");
  assertEquals((parsed as Record<string, unknown>).extra_field_from_a_newer_runtime, true);
  assertEquals(
    WebhookCompletedResponse.safeParse({ ...COMPLETED, tool_runs: [{}] }).success,
    false,
  );
});
