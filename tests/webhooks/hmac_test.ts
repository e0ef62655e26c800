import { test } from "../_harness.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import {
  HmacVerifier,
  runtimeProvider,
  signRuntimeWebhook,
  timingSafeEqual,
  WebhookError,
  WebhookErrorCode,
  WebhookProvider,
} from "../../webhooks/mod.ts";
import { at, rejectsWith, vectors } from "./_helpers.ts";

const C = WebhookErrorCode;

test("webhooks: GitHub's published example verifies, in any header case, and signing reproduces it", async () => {
  const { secret, body, header, value } = vectors.github;
  const verifier = WebhookProvider.GITHUB.verifier({ secret });
  assertEquals(await verifier.verify(new Headers({ [header]: value }), body), {});
  assertEquals(await verifier.verify({ "x-hub-signature-256": value }, body), {});
  assertEquals(await verifier.verify({ "X-HUB-SIGNATURE-256": value }, body), {});
  assertEquals(await WebhookProvider.GITHUB.sign({ secret, body }), { [header]: value });
  // Bytes, ArrayBuffer and a Uint8Array secret give the same answer.
  const bytes = new TextEncoder().encode(body);
  const byteSecret = WebhookProvider.GITHUB.verifier({ secret: new TextEncoder().encode(secret) });
  await byteSecret.verify({ [header]: value }, bytes);
  await byteSecret.verify({ [header]: value }, bytes.buffer);
});

test("webhooks: hex and the prefix are case-insensitive, surrounding spaces are ignored", async () => {
  const { secret, body, header, value } = vectors.github;
  const verifier = WebhookProvider.GITHUB.verifier({ secret });
  await verifier.verify({ [header]: value.toUpperCase() }, body);
  await verifier.verify({ [header]: `  ${value}  ` }, body);
});

test("webhooks: Slack's published example verifies within 300 s of its timestamp", async () => {
  const { secret, timestamp, body, signature } = vectors.slack;
  const headers = { "X-Slack-Signature": signature, "X-Slack-Request-Timestamp": timestamp };
  const ts = Number(timestamp);
  const verifier = WebhookProvider.SLACK.verifier({ secret, now: at(ts + 60) });
  assertEquals(await verifier.verify(headers, body), { timestamp: ts });
  assertEquals(await WebhookProvider.SLACK.sign({ secret, body, timestamp: ts }), headers);
  // The same, authentic request replayed today is refused.
  const today = WebhookProvider.SLACK.verifier({ secret });
  await rejectsWith(
    () => today.verify(headers, body),
    C.TIMESTAMP_EXPIRED,
    "X-Slack-Request-Timestamp",
  );
  // Slack signs v0:ts:body; the body alone (the older SDKs' scheme) does not verify.
  const bodyOnly = await WebhookProvider.SYMBIONT_SLACK.sign({ secret, body });
  await rejectsWith(
    () => verifier.verify({ ...bodyOnly, "X-Slack-Request-Timestamp": timestamp }, body),
    C.SIGNATURE_MISMATCH,
  );
});

test("webhooks: Slack needs its timestamp header, as Unix seconds", async () => {
  const { secret, timestamp, body, signature } = vectors.slack;
  const verifier = WebhookProvider.SLACK.verifier({ secret, now: at(Number(timestamp)) });
  await rejectsWith(
    () => verifier.verify({ "X-Slack-Signature": signature }, body),
    C.MISSING_HEADER,
    "X-Slack-Request-Timestamp",
  );
  for (const bad of ["15314206l8", "-1531420618", "1531420618.5", "9".repeat(20)]) {
    await rejectsWith(
      () =>
        verifier.verify({ "X-Slack-Signature": signature, "X-Slack-Request-Timestamp": bad }, body),
      C.MALFORMED_HEADER,
      "X-Slack-Request-Timestamp",
    );
  }
});

test("webhooks: RFC 4231 and RFC 2202 HMAC vectors through SHA-256, SHA-512 and SHA-1", async () => {
  const { key, data } = vectors.rfc4231;
  for (const hash of ["SHA-256", "SHA-512"] as const) {
    const verifier = new HmacVerifier({ secret: key, headerName: "X-Mac", hash });
    await verifier.verify({ "x-mac": vectors.rfc4231[hash] }, data);
    assertEquals(await verifier.sign(data), { "X-Mac": vectors.rfc4231[hash] });
  }
  const sha1 = new HmacVerifier({
    secret: key,
    headerName: "X-Hub-Signature",
    prefix: "sha1=",
    hash: "SHA-1",
  });
  await sha1.verify({ "X-Hub-Signature": "sha1=" + vectors.rfc2202["SHA-1"] }, data);
  // A SHA-256 MAC is the wrong length for a SHA-512 verifier: malformed, not a mismatch.
  const sha512 = new HmacVerifier({ secret: key, headerName: "X-Mac", hash: "SHA-512" });
  await rejectsWith(
    () => sha512.verify({ "X-Mac": vectors.rfc4231["SHA-256"] }, data),
    C.MALFORMED_HEADER,
  );
});

test("webhooks: base64-encoded MACs", async () => {
  const { secret, body, base64 } = vectors.runtime;
  const verifier = new HmacVerifier({
    secret,
    headerName: "X-Shopify-Hmac-Sha256",
    encoding: "base64",
  });
  await verifier.verify({ "x-shopify-hmac-sha256": base64 }, body);
  assertEquals(await verifier.sign(body), { "X-Shopify-Hmac-Sha256": base64 });
  await rejectsWith(
    () => verifier.verify({ "x-shopify-hmac-sha256": "not base64!" }, body),
    C.MALFORMED_HEADER,
  );
  await rejectsWith(
    () => verifier.verify({ "x-shopify-hmac-sha256": base64 }, body + " "),
    C.SIGNATURE_MISMATCH,
  );
});

test("webhooks: Stripe t=,v1= headers verify over t.body, with several v1 values", async () => {
  const { secret, timestamp, body, v1 } = vectors.stripe;
  const verifier = WebhookProvider.STRIPE.verifier({ secret, now: at(timestamp + 5) });
  const wrong = "0".repeat(64);
  const headers = (value: string) => ({ "Stripe-Signature": value });
  assertEquals(await verifier.verify(headers(`t=${timestamp},v1=${v1}`), body), { timestamp });
  // Secret rotation: Stripe sends one v1 per active secret; any may match, in any order.
  await verifier.verify(headers(`t=${timestamp},v1=${wrong},v1=${v1}`), body);
  await verifier.verify(headers(`v1=${v1}, v1=${wrong}, t=${timestamp}, v0=${wrong}`), body);
  await verifier.verify(headers(`t=${timestamp},v1=short,v1=${v1}`), body);
  assertEquals(
    await WebhookProvider.STRIPE.sign({ secret, body, timestamp }),
    headers(`t=${timestamp},v1=${v1}`),
  );
  await rejectsWith(
    () => verifier.verify(headers(`t=${timestamp},v1=${wrong}`), body),
    C.SIGNATURE_MISMATCH,
  );
  await rejectsWith(
    () => verifier.verify(headers(`t=${timestamp + 1},v1=${v1}`), body),
    C.SIGNATURE_MISMATCH,
  );
  await rejectsWith(
    () => verifier.verify(headers(`t=${timestamp},v0=${v1}`), body),
    C.MALFORMED_HEADER,
  );
  await rejectsWith(() => verifier.verify(headers(`v1=${v1}`), body), C.MALFORMED_HEADER);
  await rejectsWith(
    () => verifier.verify(headers(`t=${timestamp},t=${timestamp},v1=${v1}`), body),
    C.MALFORMED_HEADER,
  );
  await rejectsWith(
    () => verifier.verify(headers(`t=${timestamp},v1=zz`), body),
    C.MALFORMED_HEADER,
  );
  await rejectsWith(() => verifier.verify(headers(`t=soon,v1=${v1}`), body), C.MALFORMED_HEADER);
  // The runtime's plain-hex "stripe" format is not what Stripe sends.
  await rejectsWith(() => verifier.verify(headers(v1), body), C.MALFORMED_HEADER);
});

test("webhooks: timestamps exactly at the tolerance pass, one second beyond fail, both directions", async () => {
  const { secret, timestamp, body, v1 } = vectors.stripe;
  const stripe = { "Stripe-Signature": `t=${timestamp},v1=${v1}` };
  for (
    const [offset, ok] of [[-300, true], [300, true], [-301, false], [301, false], [
      0,
      true,
    ]] as const
  ) {
    const verifier = WebhookProvider.STRIPE.verifier({ secret, now: at(timestamp + offset) });
    if (ok) await verifier.verify(stripe, body);
    else {await rejectsWith(
        () => verifier.verify(stripe, body),
        C.TIMESTAMP_EXPIRED,
        "Stripe-Signature",
      );}
  }
  const s = vectors.slack;
  const slack = { "X-Slack-Signature": s.signature, "X-Slack-Request-Timestamp": s.timestamp };
  const ts = Number(s.timestamp);
  for (const [offset, ok] of [[-300, true], [300, true], [-301, false], [301, false]] as const) {
    const verifier = WebhookProvider.SLACK.verifier({ secret: s.secret, now: at(ts + offset) });
    if (ok) await verifier.verify(slack, s.body);
    else await rejectsWith(() => verifier.verify(slack, s.body), C.TIMESTAMP_EXPIRED);
  }
  // Sub-second clocks: 300.5 s is outside a 300 s window.
  await rejectsWith(
    () =>
      WebhookProvider.STRIPE.verifier({ secret, now: () => (timestamp + 300.5) * 1000 }).verify(
        stripe,
        body,
      ),
    C.TIMESTAMP_EXPIRED,
  );
  // A custom window, and no window at all.
  await rejectsWith(
    () =>
      WebhookProvider.STRIPE.verifier({ secret, tolerance: 10, now: at(timestamp + 11) }).verify(
        stripe,
        body,
      ),
    C.TIMESTAMP_EXPIRED,
  );
  await WebhookProvider.STRIPE.verifier({ secret, tolerance: Infinity, now: at(timestamp + 1e9) })
    .verify(stripe, body);
  // A tampered, expired request is reported as a mismatch (the timestamp is checked only once authentic).
  const late = WebhookProvider.STRIPE.verifier({ secret, now: at(timestamp + 3600) });
  await rejectsWith(() => late.verify(stripe, body + "x"), C.SIGNATURE_MISMATCH);
});

test("webhooks: round trips of every preset, and tampered bodies or wrong secrets fail", async () => {
  const body = JSON.stringify({ prompt: "héllo wörld ✓", n: 1 });
  for (const [key, preset] of Object.entries(WebhookProvider)) {
    const headers = await preset.sign({ secret: "right", body });
    assert(headers[preset.headerName], `${key} signs ${preset.headerName}`);
    const verifier = preset.verifier({ secret: "right" });
    await verifier.verify(headers, body);
    await verifier.verify(headers, new TextEncoder().encode(body));
    await rejectsWith(
      () => verifier.verify(headers, body.replace("1", "2")),
      C.SIGNATURE_MISMATCH,
      preset.headerName,
    );
    await rejectsWith(() => verifier.verify(headers, ""), C.SIGNATURE_MISMATCH);
    await rejectsWith(
      () => preset.verifier({ secret: "wrong" }).verify(headers, body),
      C.SIGNATURE_MISMATCH,
    );
  }
});

test("webhooks: missing, malformed and oversized headers get typed errors without the signature", async () => {
  const { secret, body, header, value } = vectors.github;
  const verifier = WebhookProvider.GITHUB.verifier({ secret });
  await rejectsWith(() => verifier.verify({}, body), C.MISSING_HEADER, header);
  await rejectsWith(() => verifier.verify(new Headers(), body), C.MISSING_HEADER, header);
  await rejectsWith(() => verifier.verify({ [header]: "  " }, body), C.MISSING_HEADER);
  await rejectsWith(() => verifier.verify({ [header]: undefined }, body), C.MISSING_HEADER);
  const hex = value.slice(7);
  const cases = [
    hex, // no prefix (the runtime rejects it too)
    "sha1=" + hex,
    "sha256=" + hex.slice(2),
    "sha256=" + hex + "00",
    "sha256=" + hex.slice(1) + "g",
    "sha256=",
    "sha256=" + "a".repeat(5000),
  ];
  for (const bad of cases) {
    const error = await rejectsWith(
      () => verifier.verify({ [header]: bad }, body),
      C.MALFORMED_HEADER,
      header,
    );
    assert(!error.message.includes(hex.slice(0, 16)), "no signature in the message");
    assert(!error.message.includes("aaaaaaaaaaaaaaaa"), "no header value in the message");
    assert(!error.message.includes(secret), "no secret in the message");
  }
  const mismatch = await rejectsWith(
    () => verifier.verify({ [header]: value }, body + "!"),
    C.SIGNATURE_MISMATCH,
  );
  assert(!mismatch.message.includes(hex.slice(0, 16)) && !mismatch.message.includes(secret));
  // Node-style repeated headers are ambiguous.
  await rejectsWith(() => verifier.verify({ [header]: [value, value] }, body), C.MALFORMED_HEADER);
  await verifier.verify({ [header]: [value] }, body);
  // The header limit is configurable.
  const tight = WebhookProvider.GITHUB.verifier({ secret, maxHeaderLength: 32 });
  await rejectsWith(() => tight.verify({ [header]: value }, body), C.MALFORMED_HEADER);
});

test("webhooks: the runtime's HTTP Input formats, and the signer the HTTP Input client uses", async () => {
  const { secret, body, hex } = vectors.runtime;
  assertEquals(await signRuntimeWebhook("github", secret, body), {
    name: "X-Hub-Signature-256",
    value: "sha256=" + hex,
  });
  assertEquals(await signRuntimeWebhook("stripe", secret, body), {
    name: "Stripe-Signature",
    value: hex,
  });
  assertEquals(await signRuntimeWebhook("slack", secret, body), {
    name: "X-Slack-Signature",
    value: "v0=" + hex,
  });
  assertEquals(await signRuntimeWebhook("gitlab", secret, body), {
    name: "X-Signature",
    value: hex,
  });
  assertEquals(await signRuntimeWebhook("GitHub", secret, body), {
    name: "X-Signature",
    value: hex,
  });
  assertEquals(runtimeProvider("stripe"), WebhookProvider.SYMBIONT_STRIPE);
  for (const provider of ["github", "stripe", "slack", "custom"]) {
    const { name, value } = await signRuntimeWebhook(provider, secret, body);
    await runtimeProvider(provider).verifier({ secret }).verify(
      { [name.toLowerCase()]: value },
      body,
    );
  }
  // Runtime-format Stripe/Slack signatures are not what the real-provider presets accept.
  await rejectsWith(
    () => WebhookProvider.STRIPE.verifier({ secret }).verify({ "Stripe-Signature": hex }, body),
    C.MALFORMED_HEADER,
  );
  const realStripe = await WebhookProvider.STRIPE.sign({ secret, body });
  await rejectsWith(
    () => WebhookProvider.SYMBIONT_STRIPE.verifier({ secret }).verify(realStripe, body),
    C.MALFORMED_HEADER,
  );
});

test("webhooks: a CryptoKey secret is used as is", async () => {
  const { secret, body, value, header } = vectors.github;
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  await WebhookProvider.GITHUB.verifier({ secret: key }).verify({ [header]: value }, body);
  const sha512 = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(8),
    { name: "HMAC", hash: "SHA-512" },
    false,
    [
      "sign",
    ],
  );
  const verifyOnly = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(8),
    { name: "HMAC", hash: "SHA-256" },
    false,
    [
      "verify",
    ],
  );
  for (const bad of [sha512, verifyOnly]) {
    assertThrows(() => WebhookProvider.GITHUB.verifier({ secret: bad }), WebhookError);
  }
});

test("webhooks: unusable options are refused up front with WEBHOOK_INVALID_OPTIONS", () => {
  const cases: (() => unknown)[] = [
    () => WebhookProvider.GITHUB.verifier({ secret: "" }),
    () => WebhookProvider.GITHUB.verifier({ secret: new Uint8Array(0) }),
    () => WebhookProvider.GITHUB.verifier({ secret: 42 as unknown as string }),
    () => WebhookProvider.STRIPE.verifier({ secret: "s", tolerance: -1 }),
    () => WebhookProvider.STRIPE.verifier({ secret: "s", tolerance: NaN }),
    () => new HmacVerifier({ secret: "s", headerName: "" }),
    () => new HmacVerifier({ secret: "s", headerName: "X", hash: "MD5" as "SHA-1" }),
    () => new HmacVerifier({ secret: "s", headerName: "X", signedPayload: "{body}.{timestamp}" }),
    () => new HmacVerifier({ secret: "s", headerName: "X", signedPayload: "{timestamp}.{body}" }),
    () => new HmacVerifier({ secret: "s", headerName: "X", timestampHeader: "X-Ts" }),
    () =>
      new HmacVerifier({
        secret: "s",
        headerName: "X",
        signedPayload: "{timestamp}.{body}",
        timestampHeader: "X-Ts",
        keyedHeader: { timestampKey: "t", signatureKey: "v1" },
      }),
  ];
  for (const make of cases) {
    const error = assertThrows(make, WebhookError);
    assertEquals((error as WebhookError).code, C.INVALID_OPTIONS);
  }
});

test("webhooks: a generic keyed header with another separator (Paddle-style ts=;h1=)", async () => {
  const verifier = new HmacVerifier({
    secret: "pdl_secret",
    headerName: "Paddle-Signature",
    keyedHeader: { timestampKey: "ts", signatureKey: "h1", separator: ";" },
    signedPayload: "{timestamp}:{body}",
    now: at(1_700_000_000),
  });
  const headers = await verifier.sign("{}", { timestamp: 1_700_000_000 });
  assert(/^ts=1700000000;h1=[0-9a-f]{64}$/.test(headers["Paddle-Signature"]));
  assertEquals(await verifier.verify(headers, "{}"), { timestamp: 1_700_000_000 });
});

test("webhooks: timingSafeEqual compares whole arrays", () => {
  assert(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3])));
  assert(!timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4])));
  assert(!timingSafeEqual(new Uint8Array([0, 2, 3]), new Uint8Array([1, 2, 3])));
  assert(!timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])));
  assert(timingSafeEqual(new Uint8Array(0), new Uint8Array(0)));
});
