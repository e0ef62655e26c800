import { test } from "../_harness.ts";
import { assert, assertEquals } from "../_assert.ts";
import { serve } from "../../testing/serve.ts";
import { runtimeProvider, WebhookErrorCode, WebhookProvider } from "../../webhooks/mod.ts";
import worker from "../../examples/edge_worker.ts";
import { at, rejectsWith, vectors } from "./_helpers.ts";

const C = WebhookErrorCode;
const SECRET = "edge-secret";

function streamOf(chunks: Uint8Array[], fail = false): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else if (fail) controller.error(new Error("connection reset"));
      else controller.close();
    },
  });
}

function post(headers: Record<string, string>, body: BodyInit | null): Request {
  return new Request("http://edge.test/webhook", {
    method: "POST",
    headers,
    body,
    duplex: "half",
  } as RequestInit);
}

test("webhooks: verifyRequest returns the exact verified bytes, as text and JSON", async () => {
  const body = JSON.stringify({ action: "opened", title: "ünïcödé ✓" });
  const headers = await WebhookProvider.GITHUB.sign({ secret: SECRET, body });
  const verifier = WebhookProvider.GITHUB.verifier({ secret: SECRET });
  const verified = await verifier.verifyRequest(post(headers, body));
  assertEquals(verified.body, new TextEncoder().encode(body));
  assertEquals(verified.text(), body);
  assertEquals(verified.json(), JSON.parse(body));
  // Chunked bodies are joined in order.
  const bytes = new TextEncoder().encode(body);
  const chunked = await verifier.verifyRequest(
    post(headers, streamOf([bytes.slice(0, 3), bytes.slice(3, 10), bytes.slice(10)])),
  );
  assertEquals(chunked.text(), body);
  // A tampered body fails.
  await rejectsWith(
    () => verifier.verifyRequest(post(headers, body.replace("opened", "closed"))),
    C.SIGNATURE_MISMATCH,
  );
});

test("webhooks: verifyRequest carries the Stripe timestamp", async () => {
  const { secret, timestamp, body, v1 } = vectors.stripe;
  const verifier = WebhookProvider.STRIPE.verifier({ secret, now: at(timestamp) });
  const verified = await verifier.verifyRequest(
    post({ "stripe-signature": `t=${timestamp},v1=${v1}` }, body),
  );
  assertEquals(verified.timestamp, timestamp);
  assertEquals(verified.text(), body);
});

test("webhooks: verifyRequest enforces the body limit, declared or streamed", async () => {
  const verifier = WebhookProvider.GITHUB.verifier({ secret: SECRET });
  const big = new Uint8Array(2048).fill(97);
  const headers = await WebhookProvider.GITHUB.sign({ secret: SECRET, body: big });
  await rejectsWith(
    () => verifier.verifyRequest(post(headers, big), { maxBodyBytes: 2047 }),
    C.BODY_TOO_LARGE,
  );
  // No Content-Length: the stream is cut off as soon as it passes the limit.
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(1024));
    },
  });
  await rejectsWith(
    () => verifier.verifyRequest(post(headers, endless), { maxBodyBytes: 4096 }),
    C.BODY_TOO_LARGE,
  );
  assert(pulled < 10, `read ${pulled} chunks before giving up`);
  // Exactly at the limit is fine.
  const ok = await verifier.verifyRequest(
    post(headers, streamOf([big.slice(0, 1000), big.slice(1000)])),
    {
      maxBodyBytes: 2048,
    },
  );
  assertEquals(ok.body.length, 2048);
});

test("webhooks: verifyRequest refuses a consumed or failing body, and verifies an empty one", async () => {
  const verifier = WebhookProvider.GITHUB.verifier({ secret: SECRET });
  const headers = await WebhookProvider.GITHUB.sign({ secret: SECRET, body: "{}" });
  const used = post(headers, "{}");
  await used.text();
  await rejectsWith(() => verifier.verifyRequest(used), C.BODY_UNAVAILABLE);
  const broken = post(headers, streamOf([new TextEncoder().encode("{")], true));
  const error = await rejectsWith(() => verifier.verifyRequest(broken), C.BODY_UNAVAILABLE);
  assert(error.message.includes("connection reset"));
  const empty = await WebhookProvider.GITHUB.sign({ secret: SECRET, body: "" });
  assertEquals((await verifier.verifyRequest(post(empty, null))).body.length, 0);
  await rejectsWith(() => verifier.verifyRequest(post({}, "{}")), C.MISSING_HEADER);
});

// A stand-in for the runtime's HTTP Input server with the checks of runtime-api.md 5.2: exact
// bearer header, then the runtime-format signature, then JSON; 401/400 with empty bodies.
function fakeHttpInput(token: string, provider: string, secret: string, seen: string[]) {
  const verifier = runtimeProvider(provider).verifier({ secret });
  return async (request: Request): Promise<Response> => {
    if (request.headers.get("authorization") !== `Bearer ${token}`) {
      return new Response(null, { status: 401 });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    try {
      await verifier.verify(request.headers, body);
    } catch {
      return new Response(null, { status: 401 });
    }
    try {
      JSON.parse(new TextDecoder().decode(body));
    } catch {
      return new Response(null, { status: 400 });
    }
    seen.push(new TextDecoder().decode(body));
    return Response.json({ status: "execution_started", agent_id: "a1", message_id: "m1" });
  };
}

test("webhooks: the edge worker example over loopback HTTP: 200, 401, 405, 413", async (t) => {
  const env = { WEBHOOK_SECRET: SECRET };
  const server = await serve((request) => worker.fetch(request, env));
  t.defer(() => server.close());
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const signed = await WebhookProvider.GITHUB.sign({ secret: SECRET, body });
  const send = (headers: Record<string, string>, payload: BodyInit | null, method = "POST") =>
    fetch(server.url + "/webhook", { method, headers, body: payload });

  let response = await send({ ...signed, "content-type": "application/json" }, body);
  assertEquals(response.status, 200);
  assertEquals(await response.json(), { received: true, bytes: body.length });
  response = await send({}, body);
  assertEquals([response.status, await response.json()], [401, { error: C.MISSING_HEADER }]);
  response = await send(signed, body + " ");
  assertEquals([response.status, await response.json()], [401, { error: C.SIGNATURE_MISMATCH }]);
  const wrong = await WebhookProvider.GITHUB.sign({ secret: "not-it", body });
  response = await send(wrong, body);
  assertEquals(response.status, 401);
  await response.body?.cancel();
  response = await send({}, null, "GET");
  assertEquals(response.status, 405);
  await response.body?.cancel();
  const huge = new Uint8Array(1_048_577);
  response = await send(await WebhookProvider.GITHUB.sign({ secret: SECRET, body: huge }), huge);
  assertEquals([response.status, await response.json()], [413, { error: C.BODY_TOO_LARGE }]);
});

test("webhooks: the edge worker verifies real Slack requests and forwards them in the runtime's format", async (t) => {
  const seen: string[] = [];
  const runtime = await serve(fakeHttpInput("http-token", "slack", "runtime-secret", seen));
  t.defer(() => runtime.close());
  const env = {
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_PROVIDER: "slack",
    HTTP_INPUT_URL: runtime.url + "/webhook",
    HTTP_INPUT_TOKEN: "http-token",
    RUNTIME_PROVIDER: "slack",
    RUNTIME_SECRET: "runtime-secret",
  };
  const body = JSON.stringify({
    type: "event_callback",
    event: { type: "app_mention", text: "hi" },
  });
  const signed = await WebhookProvider.SLACK.sign({ secret: SECRET, body });
  let response = await worker.fetch(post(signed, body), env);
  assertEquals(response.status, 200);
  assertEquals((await response.json()).status, "execution_started");
  assertEquals(seen, [body]);
  // A replayed Slack request (signed 10 minutes ago) never reaches the runtime.
  const old = await WebhookProvider.SLACK.sign({
    secret: SECRET,
    body,
    timestamp: Math.floor(Date.now() / 1000) - 600,
  });
  response = await worker.fetch(post(old, body), env);
  assertEquals([response.status, await response.json()], [401, { error: C.TIMESTAMP_EXPIRED }]);
  // Without the runtime's secret the runtime refuses the forwarded request, as configured.
  response = await worker.fetch(post(signed, body), { ...env, RUNTIME_SECRET: undefined });
  assertEquals(response.status, 401);
  assertEquals(seen.length, 1);
});
