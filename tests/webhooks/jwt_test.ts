import { test } from "../_harness.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { JwtVerifier, WebhookError, WebhookErrorCode } from "../../webhooks/mod.ts";
import { at, rejectsWith, vectors } from "./_helpers.ts";

const C = WebhookErrorCode;
const NOW = 1_800_000_000;
const secret = new TextEncoder().encode("a-very-secret-hs256-key-of-32-bytes!");

function b64url(data: string | Uint8Array): string {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

async function hs(
  claims: Record<string, unknown>,
  alg = "HS256",
  key: Uint8Array = secret,
  header: Record<string, unknown> = {},
): Promise<string> {
  return await new SignJWT(claims).setProtectedHeader({ alg, ...header }).sign(key);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

test("webhooks: JWT: RFC 7515 A.1 HS256 example verifies with its published key", async () => {
  const v = vectors.rfc7515;
  const k = Uint8Array.from(
    atob(v.k.replace(/-/g, "+").replace(/_/g, "/")),
    (c) => c.charCodeAt(0),
  );
  const verifier = new JwtVerifier({ secret: k, requiredIssuer: v.iss, now: at(v.exp - 60) });
  const { claims } = await verifier.verify({ authorization: "Bearer " + v.token }, "");
  assertEquals(claims, { iss: "joe", exp: v.exp, "http://example.com/is_root": true });
  await rejectsWith(
    () => new JwtVerifier({ secret: k, now: at(v.exp + 60) }).verify(bearer(v.token), ""),
    C.TOKEN_EXPIRED,
    "Authorization",
  );
});

test("webhooks: JWT: tokens signed by jose verify (HS256/384/512, ES256, ES384, RS256, EdDSA)", async () => {
  const claims = {
    sub: "agent-1",
    iss: "https://issuer.example",
    aud: "symbiont",
    exp: NOW + 60,
    iat: NOW,
  };
  for (const alg of ["HS256", "HS384", "HS512"] as const) {
    const verifier = new JwtVerifier({ secret, algorithms: [alg], now: at(NOW) });
    assertEquals((await verifier.verify(bearer(await hs(claims, alg)), "")).claims, claims);
  }
  for (const alg of ["ES256", "ES384", "RS256", "EdDSA"] as const) {
    const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
    const token = await new SignJWT(claims).setProtectedHeader({ alg }).sign(privateKey);
    const jwk = await exportJWK(publicKey);
    const pem = await exportSPKI(publicKey);
    for (const key of [publicKey, jwk, pem] as const) {
      const verifier = new JwtVerifier({
        publicKey: key as CryptoKey | JsonWebKey | string,
        algorithms: typeof key === "string" ? [alg] : undefined,
        audience: ["other", "symbiont"],
        requiredIssuer: "https://issuer.example",
        now: at(NOW),
      });
      const result = await verifier.verify(bearer(token), "");
      assertEquals(
        result,
        { claims, timestamp: NOW },
        `${alg} with a ${typeof key === "string" ? "PEM" : "key"}`,
      );
      // A token signed by another key of the same type is a mismatch.
      const other = await generateKeyPair(alg);
      const forged = await new SignJWT(claims).setProtectedHeader({ alg }).sign(other.privateKey);
      await rejectsWith(() => verifier.verify(bearer(forged), ""), C.SIGNATURE_MISMATCH);
    }
  }
});

test("webhooks: JWT: alg none and algorithm confusion are rejected", async () => {
  const { publicKey } = await generateKeyPair("ES256", { extractable: true });
  const pem = await exportSPKI(publicKey);
  const claims = { exp: NOW + 60 };
  const es = new JwtVerifier({ publicKey: pem, algorithms: ["ES256"], now: at(NOW) });
  // An HS256 token whose "secret" is the public key text: the classic confusion attack.
  const confused = await hs(claims, "HS256", new TextEncoder().encode(pem));
  await rejectsWith(() => es.verify(bearer(confused), ""), C.ALGORITHM_NOT_ALLOWED);
  const none = `${b64url(JSON.stringify({ alg: "none" }))}.${b64url(JSON.stringify(claims))}.`;
  await rejectsWith(() => es.verify(bearer(none), ""), C.ALGORITHM_NOT_ALLOWED);
  const hsVerifier = new JwtVerifier({ secret, now: at(NOW) });
  await rejectsWith(() => hsVerifier.verify(bearer(none), ""), C.ALGORITHM_NOT_ALLOWED);
  await rejectsWith(
    async () => hsVerifier.verify(bearer(await hs(claims, "HS512")), ""),
    C.ALGORITHM_NOT_ALLOWED,
  );
  const noAlg = `${b64url(JSON.stringify({ typ: "JWT" }))}.${b64url(JSON.stringify(claims))}.c2ln`;
  await rejectsWith(() => hsVerifier.verify(bearer(noAlg), ""), C.ALGORITHM_NOT_ALLOWED);
  // Options that would mix families are refused.
  for (
    const make of [
      () => new JwtVerifier({ secret, algorithms: ["ES256"] }),
      () => new JwtVerifier({ publicKey: pem, algorithms: ["HS256"] }),
      () => new JwtVerifier({ publicKey: pem, algorithms: ["none" as "HS256"] }),
      () =>
        new JwtVerifier({ publicKey: publicKey as unknown as CryptoKey, algorithms: ["RS256"] }),
      () => new JwtVerifier({ publicKey: pem }),
      () => new JwtVerifier({ secret, publicKey: pem, algorithms: ["ES256"] }),
      () => new JwtVerifier({}),
      () => new JwtVerifier({ secret: "" }),
      () => new JwtVerifier({ secret, algorithms: [] }),
      () => new JwtVerifier({ secret, leeway: -1 }),
    ]
  ) {
    const error = assertThrows(make, WebhookError);
    assertEquals((error as WebhookError).code, C.INVALID_OPTIONS);
  }
});

test("webhooks: JWT: exp, nbf and iat with leeway, at the edges", async () => {
  const verifier = new JwtVerifier({ secret, leeway: 5, now: at(NOW) });
  const check = async (claims: Record<string, unknown>, code?: string) => {
    const token = await hs(claims);
    if (!code) await verifier.verify(bearer(token), "");
    else await rejectsWith(() => verifier.verify(bearer(token), ""), code);
  };
  await check({ exp: NOW - 4 });
  await check({ exp: NOW - 5 }, C.TOKEN_EXPIRED);
  await check({ exp: NOW + 60, nbf: NOW + 5 });
  await check({ exp: NOW + 60, nbf: NOW + 6 }, C.TOKEN_NOT_YET_VALID);
  await check({ exp: NOW + 60, iat: NOW + 5 });
  await check({ exp: NOW + 60, iat: NOW + 6 }, C.TOKEN_NOT_YET_VALID);
  await check({}, C.CLAIM_INVALID);
  await check({ exp: String(NOW + 60) }, C.CLAIM_INVALID);
  await check({ exp: NOW + 60, nbf: "later" }, C.CLAIM_INVALID);
  const noExp = new JwtVerifier({ secret, requireExpiration: false, now: at(NOW) });
  await noExp.verify(bearer(await hs({ sub: "x" })), "");
  const maxAge = new JwtVerifier({ secret, maxAge: 60, leeway: 0, now: at(NOW) });
  await maxAge.verify(bearer(await hs({ exp: NOW + 600, iat: NOW - 60 })), "");
  await rejectsWith(() => maxAge.verify(bearer("x"), ""), C.MALFORMED_HEADER);
  await rejectsWith(
    async () => maxAge.verify(bearer(await hs({ exp: NOW + 600, iat: NOW - 61 })), ""),
    C.TOKEN_EXPIRED,
  );
  await rejectsWith(
    async () => maxAge.verify(bearer(await hs({ exp: NOW + 600 })), ""),
    C.CLAIM_INVALID,
  );
});

test("webhooks: JWT: issuer and audience", async () => {
  const verifier = new JwtVerifier({
    secret,
    requiredIssuer: "iss-a",
    audience: "aud-a",
    now: at(NOW),
  });
  const exp = NOW + 60;
  await verifier.verify(bearer(await hs({ exp, iss: "iss-a", aud: "aud-a" })), "");
  await verifier.verify(bearer(await hs({ exp, iss: "iss-a", aud: ["x", "aud-a"] })), "");
  await rejectsWith(
    async () => verifier.verify(bearer(await hs({ exp, iss: "iss-b", aud: "aud-a" })), ""),
    C.CLAIM_INVALID,
  );
  await rejectsWith(
    async () => verifier.verify(bearer(await hs({ exp, aud: "aud-a" })), ""),
    C.CLAIM_INVALID,
  );
  await rejectsWith(
    async () => verifier.verify(bearer(await hs({ exp, iss: "iss-a", aud: "aud-b" })), ""),
    C.CLAIM_INVALID,
  );
  await rejectsWith(
    async () => verifier.verify(bearer(await hs({ exp, iss: "iss-a" })), ""),
    C.CLAIM_INVALID,
  );
});

test("webhooks: JWT: malformed, tampered and missing tokens, without the token in messages", async () => {
  const verifier = new JwtVerifier({ secret, now: at(NOW) });
  const token = await hs({ exp: NOW + 60, sub: "a" });
  // The scheme is optional and case-insensitive; other header names work.
  await verifier.verify({ authorization: token }, "");
  await verifier.verify({ authorization: `bearer ${token}` }, "");
  await new JwtVerifier({ secret, headerName: "X-Webhook-Token", now: at(NOW) }).verify({
    "x-webhook-token": token,
  }, "");
  await rejectsWith(() => verifier.verify({}, ""), C.MISSING_HEADER, "Authorization");
  const [h, p, s] = token.split(".");
  const tampered = `${h}.${b64url(JSON.stringify({ exp: NOW + 60, sub: "admin" }))}.${s}`;
  const mismatch = await rejectsWith(
    () => verifier.verify(bearer(tampered), ""),
    C.SIGNATURE_MISMATCH,
  );
  assert(!mismatch.message.includes(s), "no signature in the message");
  for (
    const bad of [
      `${h}.${p}`,
      `${h}.${p}.${s}.x`,
      `${h}.${p}.${s}!`,
      `x${h}.${p}.${s}`,
      `${h}.bm90IGpzb24.${s}`,
      "Bearer",
    ]
  ) {
    const error = await rejectsWith(() => verifier.verify(bearer(bad), ""), C.MALFORMED_HEADER);
    assert(!error.message.includes(p), "no token in the message");
  }
  await rejectsWith(() => verifier.verify(bearer("a".repeat(9000)), ""), C.MALFORMED_HEADER);
  const crit = await hs({ exp: NOW + 60 }, "HS256", secret, { crit: ["b64"], b64: true });
  await rejectsWith(() => verifier.verify(bearer(crit), ""), C.MALFORMED_HEADER);
});

test("webhooks: JWT: a JWK that does not fit its algorithm fails with WEBHOOK_INVALID_OPTIONS", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  const verifier = new JwtVerifier({ publicKey: { ...jwk, x: "AAAA" }, now: at(NOW) });
  const token = await new SignJWT({ exp: NOW + 60 }).setProtectedHeader({ alg: "ES256" }).sign(
    privateKey,
  );
  await rejectsWith(() => verifier.verify(bearer(token), ""), C.INVALID_OPTIONS);
  const pem = new JwtVerifier({
    publicKey: "-----BEGIN CERTIFICATE-----x",
    algorithms: ["ES256"],
    now: at(NOW),
  });
  await rejectsWith(() => pem.verify(bearer(token), ""), C.INVALID_OPTIONS);
});
