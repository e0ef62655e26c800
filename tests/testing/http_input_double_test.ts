// Wire conformance of the HTTP Input double, checked with raw fetch over loopback against
// runtime-api.md section 5 (and the fixture of 9.1), independently of the SDK client. Signatures
// and JWTs are computed here with WebCrypto, not with the webhooks module the double uses.
import { test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import {
  createHttpInputDouble,
  type HttpInputDoubleOptions,
  type HttpInputOutcome,
  serve,
} from "../../testing/mod.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const OFFSET_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$/;
const AGENT = "6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10";
const SCANNER = "0b8f7c9e-1d2a-4e3b-8c4d-5e6f7a8b9c0d";

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // deno-lint-ignore no-explicit-any
  body: any;
}

async function start(t: TestContext, options: HttpInputDoubleOptions = {}) {
  const double = createHttpInputDouble({
    authHeader: "Bearer tok",
    defaultAgent: AGENT,
    ...options,
  });
  const server = await serve(double.fetch);
  t.defer(() => server.close());
  async function call(
    path: string,
    init: {
      method?: string;
      auth?: string | null;
      body?: BodyInit | null;
      json?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    const auth = init.auth === undefined ? "Bearer tok" : init.auth;
    if (auth !== null) headers.authorization = auth;
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
    const res = await fetch(`${server.url}${path}`, {
      method: init.method ?? "POST",
      headers,
      body: body ?? undefined,
    });
    const text = await res.text();
    const parsed = res.headers.get("content-type") === "application/json"
      ? JSON.parse(text)
      : undefined;
    return { status: res.status, headers: res.headers, text, body: parsed };
  }
  return { double, call, url: server.url };
}

function assertEmpty(reply: Reply, status: number): void {
  assertEquals(reply.status, status, reply.text);
  assertEquals(reply.text, "");
}

async function hmacHex(secret: string, body: string | Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const data = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const mac = new Uint8Array(
    await crypto.subtle.sign("HMAC", key, data as Uint8Array<ArrayBuffer>),
  );
  return [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function jwt(key: CryptoKey, alg: string, claims: Record<string, unknown>): Promise<string> {
  const part = (v: unknown) => b64url(new TextEncoder().encode(JSON.stringify(v)));
  const input = `${part({ alg, typ: "JWT" })}.${part(claims)}`;
  const params = alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "Ed25519" };
  const sig = await crypto.subtle.sign(params, key, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(sig))}`;
}

test("http input double: fails closed without configured auth, even with a signature check", async (t) => {
  const body = JSON.stringify({ prompt: "x" });
  const { call } = await start(t, {
    authHeader: undefined,
    webhookVerify: { provider: "github", secret: "s" },
    script: () => ({ status: "completed", response: "never" }),
  });
  const signature = `sha256=${await hmacHex("s", body)}`;
  assertEmpty(
    await call("/webhook", { body, headers: { "x-hub-signature-256": signature } }),
    401,
  );
  assertEmpty(await call("/webhook", { body, auth: null }), 401);
  assertEmpty(await call("/webhook", { body, auth: "Bearer " }), 401);
});

test("http input double: the Authorization value must match exactly; 500 Configuration error without an LLM", async (t) => {
  const { call, double } = await start(t);
  for (const auth of [null, "Bearer TOK", "bearer tok", "Bearer  tok", "Bearer to", "tok"]) {
    assertEmpty(await call("/webhook", { json: { prompt: "x" }, auth }), 401);
  }
  const ok = await call("/webhook", { json: { prompt: "x" } });
  assertEquals(ok.status, 500);
  assertEquals(ok.headers.get("content-type"), "application/json");
  assertEquals(Object.keys(ok.body), ["error", "timestamp"]);
  assertEquals(ok.body.error, "Configuration error");
  assertMatch(ok.body.timestamp, OFFSET_TIME);
  // No security headers on 8081 (section 5.1).
  assertEquals(ok.headers.get("x-frame-options"), null);
  assertEquals(double.requests().map((r) => r.status), [401, 401, 401, 401, 401, 401, 500]);
  assertEquals(double.invocations().length, 1);
});

test("http input double: POST <path> and <path>/<rest> only; 405 for other methods, 404 elsewhere", async (t) => {
  const { call } = await start(t, {
    path: "/hooks",
    script: () => ({ status: "execution_started" }),
  });
  assertEquals((await call("/hooks", { json: {} })).status, 200);
  assertEquals((await call("/hooks/a/b%20c?x=1", { json: {} })).status, 200);
  for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
    const reply = await call("/hooks/x", { method, json: method === "GET" ? undefined : {} });
    assertEmpty(reply, 405);
    assertEquals(reply.headers.get("allow"), "POST");
  }
  for (const path of ["/webhook", "/hooksx", "/", "/api/v1/health"]) {
    assertEmpty(await call(path, { json: {} }), 404);
  }
});

test("http input double: 413 over the body limit, empty 400 for bytes that are not JSON", async (t) => {
  const { call, double } = await start(t, {
    maxBodyBytes: 1024,
    script: () => ({ status: "execution_started" }),
  });
  const fits = JSON.stringify({ prompt: "a".repeat(1024 - 13) });
  assertEquals(new TextEncoder().encode(fits).length, 1024);
  assertEquals((await call("/webhook", { body: fits })).status, 200);
  const over = await call("/webhook", { body: JSON.stringify({ prompt: "a".repeat(1012) }) });
  assertEquals(over.status, 413);
  assertEquals(over.headers.get("content-type"), "text/plain; charset=utf-8");
  // A streamed body with no Content-Length is cut at the limit too.
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode("a".repeat(600)));
      controller.close();
    },
  });
  const streamed = await fetch(`${(await start(t, { maxBodyBytes: 1024 })).url}/webhook`, {
    method: "POST",
    headers: { authorization: "Bearer tok" },
    body: stream,
    duplex: "half",
  } as RequestInit);
  assertEquals(streamed.status, 413);
  await streamed.body?.cancel();
  for (const body of ["", "{", "{'a':1}", "prompt=x", new Uint8Array([0x22, 0xff, 0x22])]) {
    assertEmpty(await call("/webhook", { body }), 400);
  }
  // Any JSON value is accepted, with or without a Content-Type.
  for (const body of ["[1,2]", '"text"', "42", "null"]) {
    assertEquals((await call("/webhook", { body })).status, 200);
  }
  assertEquals(
    (await call("/webhook", { body: "{}", headers: { "content-type": "text/plain" } })).status,
    200,
  );
  assertEquals(double.invocations().map((i) => i.payload), [
    JSON.parse(fits),
    [1, 2],
    "text",
    42,
    null,
    {},
  ]);
});

test("http input double: empty 429 while every permit is held; permits come back", async (t) => {
  const { call, double } = await start(t, {
    concurrency: 2,
    script: () => ({ status: "execution_started" }),
  });
  const release = double.hold();
  const first = call("/webhook", { json: { prompt: "1" } });
  const second = call("/webhook", { json: { prompt: "2" } });
  await double.whenInFlight(2);
  assertEquals(double.inFlight, 2);
  assertEmpty(await call("/webhook", { json: { prompt: "3" } }), 429);
  // Authentication runs before the concurrency check: a bad token is still 401.
  assertEmpty(await call("/webhook", { json: { prompt: "4" }, auth: "Bearer no" }), 401);
  release();
  assertEquals([(await first).status, (await second).status], [200, 200]);
  assertEquals(double.inFlight, 0);
  assertEquals((await call("/webhook", { json: { prompt: "5" } })).status, 200);
  assertEquals(double.invocations().map((i) => i.userMessage), ["1", "2", "5"]);
});

test("http input double: three concurrent requests under a limit of five are all served", async (t) => {
  let entered = 0;
  let open: () => void = () => {};
  const allIn = new Promise<void>((resolve) => {
    open = resolve;
  });
  const { call } = await start(t, {
    concurrency: 5,
    script: async () => {
      if (++entered === 3) open();
      await allIn;
      return { status: "execution_started" };
    },
  });
  const replies = await Promise.all([1, 2, 3].map((n) => call("/webhook", { json: { n } })));
  assertEquals(replies.map((r) => r.status), [200, 200, 200]);
});

test("http input double: signatures in the runtime's formats (hex HMAC-SHA256 of the raw body)", async (t) => {
  const body = JSON.stringify({ prompt: "ünïcode ✓", n: 1 });
  const hex = await hmacHex("s3cret", body);
  const cases: [string, string, string][] = [
    ["github", "X-Hub-Signature-256", `sha256=${hex}`],
    ["stripe", "Stripe-Signature", hex],
    ["slack", "X-Slack-Signature", `v0=${hex}`],
    ["gitlab", "X-Signature", hex],
  ];
  for (const [provider, header, value] of cases) {
    const { call } = await start(t, {
      webhookVerify: { provider, secret: "s3cret" },
      script: () => ({ status: "execution_started" }),
    });
    assertEquals((await call("/webhook", { body, headers: { [header]: value } })).status, 200);
    assertEquals(
      (await call("/webhook", { body, headers: { [header.toLowerCase()]: value } })).status,
      200,
      `${provider}: header names are case-insensitive`,
    );
    assertEmpty(await call("/webhook", { body }), 401);
    assertEmpty(
      await call("/webhook", { body: body.replace("1", "2"), headers: { [header]: value } }),
      401,
    );
    const wrong = await hmacHex("other", body);
    assertEmpty(
      await call("/webhook", { body, headers: { [header]: value.replace(hex, wrong) } }),
      401,
    );
    // The bearer check still comes first.
    assertEmpty(await call("/webhook", { body, auth: null, headers: { [header]: value } }), 401);
  }
  // Real Stripe and Slack deliveries carry timestamps; the runtime's check fails them.
  const ts = Math.floor(Date.now() / 1000);
  const stripe = await start(t, {
    webhookVerify: { provider: "stripe", secret: "s3cret" },
    script: () => ({ status: "execution_started" }),
  });
  const real = `t=${ts},v1=${await hmacHex("s3cret", `${ts}.${body}`)}`;
  assertEmpty(await stripe.call("/webhook", { body, headers: { "stripe-signature": real } }), 401);
  const slack = await start(t, {
    webhookVerify: { provider: "slack", secret: "s3cret" },
    script: () => ({ status: "execution_started" }),
  });
  const realSlack = `v0=${await hmacHex("s3cret", `v0:${ts}:${body}`)}`;
  assertEmpty(
    await slack.call("/webhook", {
      body,
      headers: { "x-slack-signature": realSlack, "x-slack-request-timestamp": String(ts) },
    }),
    401,
  );
});

test("http input double: both success shapes and the error shape, field by field", async (t) => {
  const long = "é".repeat(300); // 600 bytes: the preview keeps 250 characters (500 bytes)
  const outcomes: Record<string, HttpInputOutcome> = {
    [AGENT]: { status: "execution_started", messageId: "0f8fad5b-d9cb-469f-a165-70867728950e" },
    [SCANNER]: {
      status: "completed",
      response: "Done.",
      toolRuns: [
        { tool: "nmap", input: { target: "10.0.0.1" }, output: long },
        { tool: "write_marker", denied: "no policy permits tool_call::write_marker" },
        { tool: "reporter", delegate: true, input: { task: "summarise" }, output: "ok" },
      ],
      terminationReason: { Error: { message: "model overloaded" } },
      model: "claude-x",
      provider: "anthropic",
    },
  };
  const { call } = await start(t, {
    routes: [{ pathPrefix: "/webhook/scanner", agent: SCANNER }],
    script: outcomes,
  });
  const started = await call("/webhook", { json: { prompt: "go" } });
  assertEquals(started.status, 200);
  assertEquals(started.headers.get("content-type"), "application/json");
  assertEquals(Object.keys(started.body), [
    "status",
    "agent_id",
    "message_id",
    "latency_ms",
    "timestamp",
  ]);
  assertEquals(started.body.status, "execution_started");
  assertEquals(started.body.agent_id, AGENT);
  assertEquals(started.body.message_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
  assert(Number.isInteger(started.body.latency_ms) && started.body.latency_ms >= 0);
  assertMatch(started.body.timestamp, OFFSET_TIME);

  const done = await call("/webhook/scanner", { json: { prompt: "scan" } });
  assertEquals(done.status, 200, "a loop error is still a 200");
  assertEquals(Object.keys(done.body), [
    "status",
    "agent_id",
    "response",
    "tool_runs",
    "termination_reason",
    "iterations",
    "model",
    "provider",
    "latency_ms",
    "timestamp",
  ]);
  assertEquals(done.body.status, "completed");
  assertEquals(done.body.agent_id, SCANNER);
  assertEquals(done.body.response, "Done.");
  assertEquals(done.body.tool_runs, [
    { tool: "toolclad:nmap", input: { target: "10.0.0.1" }, output_preview: "é".repeat(250) },
    {
      tool: "write_marker",
      input: null,
      output_preview: "[Policy denied] no policy permits tool_call::write_marker",
    },
    { tool: "delegate:reporter", input: { task: "summarise" }, output_preview: "ok" },
  ]);
  assertEquals(done.body.termination_reason, { Error: { message: "model overloaded" } });
  assertEquals(done.body.iterations, 4);
  assertEquals([done.body.model, done.body.provider], ["claude-x", "anthropic"]);
  assertMatch(done.body.timestamp, OFFSET_TIME);

  const custom = await start(t, {
    script: () => ({ status: "error", error: "Internal server error", httpStatus: 502 }),
  });
  const failed = await custom.call("/webhook", { json: {} });
  assertEquals(failed.status, 502);
  assertEquals(failed.body.error, "Internal server error");
  const throwing = await start(t, {
    script: () => {
      throw new Error("script bug");
    },
  });
  const crashed = await throwing.call("/webhook", { json: {} });
  assertEquals([crashed.status, crashed.body.error], [500, "Internal server error"]);
});

test("http input double: routing rules are tried in order, then the default agent", async (t) => {
  const { call, double } = await start(t, {
    routes: [
      { pathPrefix: "/webhook/scanner", agent: "scanner" },
      { header: "X-Agent", equals: "triage", agent: "triage" },
      { jsonField: "agent", equals: "billing", agent: "billing" },
      { pathPrefix: "/webhook", agent: "catch-all-after-json" },
    ],
    defaultAgent: "default",
    script: () => ({ status: "execution_started" }),
  });
  await call("/webhook/scanner/deep", {
    json: { agent: "billing" },
    headers: { "x-agent": "triage" },
  });
  await call("/webhook/other", { json: { agent: "billing" }, headers: { "x-agent": "triage" } });
  await call("/webhook", { json: { agent: "billing" }, headers: { "X-AGENT": "Triage" } });
  await call("/webhook", { json: { agent: "billing" } });
  await call("/webhook", { json: { agent: ["billing"] } });
  assertEquals(double.invocations().map((i) => i.agentId), [
    "scanner",
    "triage",
    "billing",
    "billing",
    "catch-all-after-json",
  ]);
  const plain = await start(t, { defaultAgent: "default" });
  await plain.call("/webhook", { json: {} });
  assertEquals(plain.double.invocations()[0].agentId, "default");
  assertEquals(plain.double.defaultAgent, "default");
  const random = createHttpInputDouble({ authHeader: "x" });
  assertMatch(random.defaultAgent, UUID);
});

test("http input double: the model gets prompt, else message, else the payload; system_prompt cut at 4096 bytes", async (t) => {
  const { call, double } = await start(t, {
    script: () => ({ status: "completed", response: "ok" }),
  });
  await call("/webhook", { json: { prompt: "p", message: "m" } });
  await call("/webhook", { json: { prompt: 7, message: "m" } });
  await call("/webhook", { json: { target: "10.0.0.1", ports: [22, 443] } });
  await call("/webhook", { json: { prompt: "p", system_prompt: "é".repeat(2049) } });
  await call("/webhook", { json: { prompt: "p", system_prompt: `${"a".repeat(4095)}€` } });
  await call("/webhook", { json: { prompt: "p", system_prompt: "short" } });
  const seen = double.invocations();
  assertEquals(seen.map((i) => i.userMessage).slice(0, 3), [
    "p",
    "m",
    'Execute the following task using your available tools:\n\n{\n  "target": "10.0.0.1",\n  "ports": [\n    22,\n    443\n  ]\n}',
  ]);
  assertEquals(seen[0].systemPrompt, undefined);
  assertEquals(seen[3].systemPrompt, "é".repeat(2048));
  assertEquals(seen[4].systemPrompt, "a".repeat(4095));
  assertEquals(seen[5].systemPrompt, "short");
  assertEquals(seen[0].body, JSON.stringify({ prompt: "p", message: "m" }));
  assertEquals(seen[0].headers.get("authorization"), "Bearer tok");
});

test("http input double: EdDSA JWTs with exp verify against the configured key", async (t) => {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const other = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const ec = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const { call } = await start(t, {
    authHeader: undefined,
    jwtPublicKey: await crypto.subtle.exportKey("jwk", pair.publicKey),
    script: () => ({ status: "execution_started" }),
  });
  const now = Math.floor(Date.now() / 1000);
  const good = await jwt(pair.privateKey, "EdDSA", { sub: "caller", exp: now + 60 });
  assertEquals((await call("/webhook", { json: {}, auth: `Bearer ${good}` })).status, 200);
  const cases = [
    await jwt(pair.privateKey, "EdDSA", { sub: "caller" }),
    await jwt(pair.privateKey, "EdDSA", { sub: "caller", exp: now - 60 }),
    await jwt(other.privateKey, "EdDSA", { sub: "caller", exp: now + 60 }),
    await jwt(ec.privateKey, "ES256", { sub: "caller", exp: now + 60 }),
  ];
  for (const token of cases) {
    assertEmpty(await call("/webhook", { json: {}, auth: `Bearer ${token}` }), 401);
  }
  assertEmpty(await call("/webhook", { json: {}, auth: good }), 401);
});

test("http input double: CORS preflight and allowed origins, when configured", async (t) => {
  const { url } = await start(t, {
    corsOrigins: ["http://localhost:3000"],
    script: () => ({ status: "execution_started" }),
  });
  const preflight = await fetch(`${url}/webhook`, {
    method: "OPTIONS",
    headers: {
      origin: "http://localhost:3000",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });
  await preflight.body?.cancel();
  assertEquals(preflight.status, 200);
  assertEquals(preflight.headers.get("access-control-allow-origin"), "http://localhost:3000");
  assertEquals(preflight.headers.get("access-control-allow-methods"), "POST");
  const foreign = await fetch(`${url}/webhook`, {
    method: "OPTIONS",
    headers: { origin: "http://evil.example", "access-control-request-method": "POST" },
  });
  await foreign.body?.cancel();
  assertEquals(foreign.headers.get("access-control-allow-origin"), null);
  const post = await fetch(`${url}/webhook`, {
    method: "POST",
    headers: { origin: "http://localhost:3000", authorization: "Bearer tok" },
    body: "{}",
  });
  await post.body?.cancel();
  assertEquals(post.headers.get("access-control-allow-origin"), "http://localhost:3000");
  const noCors = await start(t);
  assertEmpty(await noCors.call("/webhook", { method: "OPTIONS" }), 405);
});
