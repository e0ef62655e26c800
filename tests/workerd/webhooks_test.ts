// The webhook module inside workerd: published vectors, the edge worker example with real signed
// requests, forwarding through a service binding, and JWTs with WebCrypto keys.
import { runtime, test } from "../_harness.ts";
import { assertEquals } from "../_assert.ts";
import {
  JwtVerifier,
  runtimeProvider,
  WebhookErrorCode,
  WebhookProvider,
} from "../../webhooks/mod.ts";
import worker from "../../examples/edge_worker.ts";
import vectors from "../testdata/webhooks/vectors.json" with { type: "json" };

const C = WebhookErrorCode;
const SECRET = "edge-secret";

function post(headers: Record<string, string>, body: BodyInit | null): Request {
  return new Request("https://edge.example/webhook", { method: "POST", headers, body });
}

test("webhooks (workerd): GitHub's and Slack's published examples verify", async () => {
  assertEquals(runtime, "workerd");
  const g = vectors.github;
  await WebhookProvider.GITHUB.verifier({ secret: g.secret }).verify(
    { [g.header]: g.value },
    g.body,
  );
  const s = vectors.slack;
  const slack = WebhookProvider.SLACK.verifier({
    secret: s.secret,
    now: () => (Number(s.timestamp) + 1) * 1000,
  });
  await slack.verify(
    new Headers({ "x-slack-signature": s.signature, "x-slack-request-timestamp": s.timestamp }),
    new TextEncoder().encode(s.body),
  );
});

test("webhooks (workerd): the edge worker example answers 200, 401, 405 and 413", async () => {
  const env = { WEBHOOK_SECRET: SECRET };
  const body = JSON.stringify({ action: "opened", number: 7 });
  const signed = await WebhookProvider.GITHUB.sign({ secret: SECRET, body });
  let response = await worker.fetch(post(signed, body), env);
  assertEquals([response.status, await response.json()], [200, {
    received: true,
    bytes: body.length,
  }]);
  response = await worker.fetch(post(signed, body.replace("7", "8")), env);
  assertEquals([response.status, await response.json()], [401, { error: C.SIGNATURE_MISMATCH }]);
  response = await worker.fetch(post({}, body), env);
  assertEquals([response.status, await response.json()], [401, { error: C.MISSING_HEADER }]);
  response = await worker.fetch(new Request("https://edge.example/webhook"), env);
  assertEquals(response.status, 405);
  const huge = new Uint8Array(1_048_577);
  const hugeHeaders = await WebhookProvider.GITHUB.sign({ secret: SECRET, body: huge });
  response = await worker.fetch(post(hugeHeaders, huge), env);
  assertEquals([response.status, await response.json()], [413, { error: C.BODY_TOO_LARGE }]);
});

test("webhooks (workerd): real Stripe deliveries verify; replays are refused", async () => {
  const env = { WEBHOOK_SECRET: "whsec_edge", WEBHOOK_PROVIDER: "stripe" };
  const body = JSON.stringify({ id: "evt_1", type: "invoice.paid" });
  const now = Math.floor(Date.now() / 1000);
  const signed = await WebhookProvider.STRIPE.sign({ secret: "whsec_edge", body, timestamp: now });
  let response = await worker.fetch(post(signed, body), env);
  assertEquals([response.status, await response.json()], [200, {
    received: true,
    bytes: body.length,
    timestamp: now,
  }]);
  const old = await WebhookProvider.STRIPE.sign({
    secret: "whsec_edge",
    body,
    timestamp: now - 301,
  });
  response = await worker.fetch(post(old, body), env);
  assertEquals([response.status, await response.json()], [401, { error: C.TIMESTAMP_EXPIRED }]);
});

test("webhooks (workerd): forwarding re-signs in the runtime's format through a service binding", async () => {
  const seen: string[] = [];
  const runtimeVerifier = runtimeProvider("github").verifier({ secret: "runtime-secret" });
  const HTTP_INPUT = {
    async fetch(request: Request): Promise<Response> {
      if (request.headers.get("authorization") !== "Bearer tok") {
        return new Response(null, { status: 401 });
      }
      try {
        seen.push((await runtimeVerifier.verifyRequest(request)).text());
      } catch {
        return new Response(null, { status: 401 });
      }
      return Response.json({ status: "execution_started", agent_id: "a", message_id: "m" });
    },
  };
  const env = {
    WEBHOOK_SECRET: SECRET,
    HTTP_INPUT_URL: "https://runtime.internal/webhook",
    HTTP_INPUT_TOKEN: "tok",
    RUNTIME_SECRET: "runtime-secret",
    HTTP_INPUT,
  };
  const body = JSON.stringify({ prompt: "scan target 10.0.0.1" });
  const response = await worker.fetch(
    post(await WebhookProvider.GITHUB.sign({ secret: SECRET, body }), body),
    env,
  );
  assertEquals(response.status, 200);
  assertEquals((await response.json()).status, "execution_started");
  assertEquals(seen, [body]);
});

test("webhooks (workerd): JWTs with ES256 and Ed25519 WebCrypto keys, and the RFC 7515 HS256 example", async () => {
  const now = Math.floor(Date.now() / 1000);
  const b64url = (bytes: Uint8Array) =>
    btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const text = (value: unknown) => b64url(new TextEncoder().encode(JSON.stringify(value)));
  for (
    const [alg, params, signParams] of [
      ["ES256", { name: "ECDSA", namedCurve: "P-256" }, { name: "ECDSA", hash: "SHA-256" }],
      ["EdDSA", { name: "Ed25519" }, { name: "Ed25519" }],
    ] as const
  ) {
    const pair = await crypto.subtle.generateKey(params as EcKeyGenParams, true, [
      "sign",
      "verify",
    ]) as CryptoKeyPair;
    const input = `${text({ alg, typ: "JWT" })}.${text({ sub: "agent", exp: now + 60 })}`;
    const signature = new Uint8Array(
      await crypto.subtle.sign(signParams, pair.privateKey, new TextEncoder().encode(input)),
    );
    const token = `${input}.${b64url(signature)}`;
    const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    for (const publicKey of [pair.publicKey, jwk]) {
      const { claims } = await new JwtVerifier({ publicKey }).verify({
        authorization: `Bearer ${token}`,
      }, "");
      assertEquals(claims?.sub, "agent");
    }
  }
  const v = vectors.rfc7515;
  const k = Uint8Array.from(
    atob(v.k.replace(/-/g, "+").replace(/_/g, "/")),
    (c) => c.charCodeAt(0),
  );
  const verifier = new JwtVerifier({
    secret: k,
    requiredIssuer: "joe",
    now: () => (v.exp - 1) * 1000,
  });
  assertEquals(
    (await verifier.verify({ Authorization: `Bearer ${v.token}` }, "")).claims?.iss,
    "joe",
  );
});
