import { test } from "../_harness.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../_assert.ts";
import {
  addRevokedAgent,
  addRevokedCredential,
  addRevokedKey,
  AgentPinClient,
  AgentPinError,
  buildDiscoveryDocument,
  buildRevocationDocument,
  decodeCredential,
  generateKeyPair,
  importPrivateKey,
  issueCredential,
  KeyPinStore,
  verifyCredentialOffline,
} from "../../agentpin/mod.ts";
import type { DiscoveryDocument, GeneratedKeyPair, VerifyOptions } from "../../agentpin/mod.ts";

const ISSUER = "example.com";
const AGENT = "urn:agentpin:example.com:data-analyzer";
const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function b64urlJson(value: unknown): string {
  return b64url(enc.encode(JSON.stringify(value)));
}
function decodeSegment(segment: string): unknown {
  const b64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}

/** Signs arbitrary header/payload with raw r||s (our verifier accepts raw too). */
async function forge(keys: GeneratedKeyPair, header: unknown, payload: unknown): Promise<string> {
  const key = await importPrivateKey(keys.privateKeyPem);
  const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  const sig = new Uint8Array(
    await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, enc.encode(input)),
  );
  return `${input}.${b64url(sig)}`;
}

interface World {
  keys: GeneratedKeyPair;
  discovery: DiscoveryDocument;
  opts: VerifyOptions;
}

async function world(extra: Partial<DiscoveryDocument["agents"][number]> = {}): Promise<World> {
  const keys = await generateKeyPair();
  const discovery = buildDiscoveryDocument({
    entity: ISSUER,
    publicKeys: [keys.publicKeyJwk],
    agents: [{
      agent_id: AGENT,
      name: "Data analyzer",
      capabilities: ["read:*", "write:reports", "read:codebase"],
      constraints: {
        data_classification_max: "confidential",
        rate_limit: "100/hour",
        allowed_domains: ["*.example.com"],
      },
      ...extra,
    }],
    maxDelegationDepth: 2,
  });
  return { keys, discovery, opts: { pinStore: new KeyPinStore() } };
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const t = now();
  return {
    iss: ISSUER,
    sub: AGENT,
    iat: t,
    exp: t + 600,
    jti: crypto.randomUUID(),
    agentpin_version: "0.1",
    capabilities: ["read:data"],
    ...extra,
  };
}

const HEADER = (kid: string) => ({ alg: "ES256", typ: "agentpin-credential+jwt", kid });

test("agentpin: issued credential has the exact reference header, claim order and a DER signature", async () => {
  const w = await world();
  const jwt = await issueCredential({
    privateKeyPem: w.keys.privateKeyPem,
    kid: w.keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: ["read:data", "write:reports"],
    ttlSecs: 3600,
    audience: "verifier.example",
  });
  const [h, p, s] = jwt.split(".");
  const headerText = new TextDecoder().decode(
    Uint8Array.from(
      atob(h.replace(/-/g, "+").replace(/_/g, "/") + "==".slice(0, (4 - (h.length % 4)) % 4)),
      (c) => c.charCodeAt(0),
    ),
  );
  assertEquals(headerText, `{"alg":"ES256","typ":"agentpin-credential+jwt","kid":"${w.keys.kid}"}`);
  const payload = decodeSegment(p) as Record<string, unknown>;
  assertEquals(Object.keys(payload), [
    "iss",
    "sub",
    "iat",
    "exp",
    "jti",
    "agentpin_version",
    "capabilities",
    "aud",
  ]);
  assertEquals(payload.exp as number - (payload.iat as number), 3600);
  assertEquals(payload.agentpin_version, "0.1");
  assertEquals(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
      payload.jti as string,
    ),
    true,
  );
  const sig = decodeCredential(jwt).signature;
  assert(
    sig.length >= 68 && sig.length <= 72 && sig[0] === 0x30,
    `DER expected, got ${sig.length} bytes`,
  );
  assert(!s.includes("="));
  const result = await verifyCredentialOffline(jwt, w.discovery, null, {
    ...w.opts,
    audience: "verifier.example",
  });
  assertEquals(result.valid, true, result.error_message ?? "");
  assertEquals(result.agent_id, AGENT);
  assertEquals(result.agentId, AGENT);
  assertEquals(result.issuer, ISSUER);
  assertEquals(result.capabilities, ["read:data", "write:reports"]);
  assertEquals(result.key_pinning?.status, "first_use");
  assertEquals(JSON.parse(JSON.stringify(result)).agentId, undefined);
});

test("agentpin: raw signature option gives 64 bytes and verifies; CryptoKey input works", async () => {
  const w = await world();
  const key = await importPrivateKey(w.keys.privateKeyPem);
  const jwt = await issueCredential({
    privateKey: key,
    kid: w.keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: ["read:x"],
    signatureFormat: "raw",
  });
  assertEquals(decodeCredential(jwt).signature.length, 64);
  assertEquals((await verifyCredentialOffline(jwt, w.discovery, null, w.opts)).valid, true);
});

test("agentpin: issueCredential rejects bad TTLs, capabilities and arguments with codes", async () => {
  const w = await world();
  const base = {
    privateKeyPem: w.keys.privateKeyPem,
    kid: w.keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: ["read:x"],
  };
  for (const ttlSecs of [0, -5, 86401, 1.5]) {
    const e = await assertRejects(() => issueCredential({ ...base, ttlSecs }), AgentPinError);
    assertEquals(e.code, "INVALID_TTL");
  }
  assertEquals((await issueCredential({ ...base, ttlSecs: 86400 })).split(".").length, 3);
  for (const cap of ["admin:*", "read", "READ:x", "read:", "read:a b", "read:a*b", ":x"]) {
    const e = await assertRejects(
      () => issueCredential({ ...base, capabilities: [cap] }),
      AgentPinError,
    );
    assertEquals(e.code, "INVALID_CAPABILITY", cap);
  }
  for (
    const cap of ["read:codebase.github.com/org/repo", "com.example.scan:target", "admin:users"]
  ) {
    await issueCredential({ ...base, capabilities: [cap] });
  }
  const badIssuer = await assertRejects(
    () => issueCredential({ ...base, issuer: "https://x.com/" }),
    AgentPinError,
  );
  assertEquals(badIssuer.code, "INVALID_ARGUMENT");
  const badKey = await assertRejects(
    () => issueCredential({ ...base, privateKeyPem: w.keys.publicKeyPem }),
    AgentPinError,
  );
  assertEquals(badKey.code, "INVALID_KEY");
  assert(
    !badKey.message.includes(w.keys.publicKeyPem.split("\n")[1]),
    "no key material in the message",
  );
});

test("agentpin: hostile headers are rejected with ALGORITHM_REJECTED", async () => {
  const w = await world();
  const payload = claims();
  const none = `${b64urlJson({ alg: "none", typ: "agentpin-credential+jwt", kid: w.keys.kid })}.${
    b64urlJson(payload)
  }.`;
  const hsKey = await crypto.subtle.importKey(
    "raw",
    enc.encode(w.keys.publicKeyPem),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const hsInput = `${
    b64urlJson({ alg: "HS256", typ: "agentpin-credential+jwt", kid: w.keys.kid })
  }.${b64urlJson(payload)}`;
  const hs = `${hsInput}.${
    b64url(new Uint8Array(await crypto.subtle.sign("HMAC", hsKey, enc.encode(hsInput))))
  }`;
  const wrongTyp = await forge(w.keys, { alg: "ES256", typ: "JWT", kid: w.keys.kid }, payload);
  const noKid = await forge(w.keys, { alg: "ES256", typ: "agentpin-credential+jwt" }, payload);
  const crit = await forge(w.keys, { ...HEADER(w.keys.kid), crit: ["exp"] }, payload);
  const good = await forge(w.keys, HEADER(w.keys.kid), payload);
  const [gh, gp, gs] = good.split(".");
  const cases: Record<string, string> = {
    none,
    hs256WithPublicKey: hs,
    wrongTyp,
    noKid,
    crit,
    twoSegments: `${gh}.${gp}`,
    fourSegments: `${good}.${gs}`,
    badBase64: `${gh}.${gp.slice(0, 10)}*${gp.slice(11)}.${gs}`,
    paddedBase64: `${gh}.${gp}=.${gs}`,
    emptySignature: `${gh}.${gp}.`,
    badSignatureBase64: `${gh}.${gp}.${gs.slice(0, -1)}!`,
    oversized: await forge(w.keys, HEADER(w.keys.kid), claims({ pad: "x".repeat(20000) })),
    notJson: `${b64url(enc.encode("{nope"))}.${gp}.${gs}`,
    arrayPayload: `${gh}.${b64urlJson([1])}.${gs}`,
    missingExp: await forge(w.keys, HEADER(w.keys.kid), { ...claims(), exp: undefined }),
    stringIat: await forge(w.keys, HEADER(w.keys.kid), claims({ iat: String(now()) })),
    wrongVersion: await forge(w.keys, HEADER(w.keys.kid), claims({ agentpin_version: "0.3" })),
    capabilitiesNotArray: await forge(
      w.keys,
      HEADER(w.keys.kid),
      claims({ capabilities: "read:*" }),
    ),
  };
  for (const [name, jwt] of Object.entries(cases)) {
    const r = await verifyCredentialOffline(jwt, w.discovery, null, w.opts);
    assertEquals([name, r.valid, r.error_code], [name, false, "ALGORITHM_REJECTED"]);
  }
  assertEquals((await verifyCredentialOffline(good, w.discovery, null, w.opts)).valid, true);
});

test("agentpin: signature problems give SIGNATURE_INVALID; unknown kid KEY_NOT_FOUND", async () => {
  const w = await world();
  const good = await forge(w.keys, HEADER(w.keys.kid), claims());
  const [gh, gp, gs] = good.split(".");
  const other = await generateKeyPair();
  const cases: Record<string, string> = {
    truncatedSignature: `${gh}.${gp}.${b64url(decodeCredential(good).signature.subarray(0, 61))}`,
    truncatedBase64Text: `${gh}.${gp}.${gs.slice(0, -4)}`,
    oversizedSignature: `${gh}.${gp}.${gs}${gs}`,
    tamperedPayload: `${gh}.${b64urlJson(claims({ capabilities: ["read:secrets"] }))}.${gs}`,
    otherKey: await forge({ ...other, kid: w.keys.kid }, HEADER(w.keys.kid), claims()),
  };
  for (const [name, jwt] of Object.entries(cases)) {
    const r = await verifyCredentialOffline(jwt, w.discovery, null, w.opts);
    // Cutting base64 text can leave non-canonical trailing bits: a parse failure, never valid.
    const expected = name === "truncatedBase64Text" && r.error_code === "ALGORITHM_REJECTED"
      ? "ALGORITHM_REJECTED"
      : "SIGNATURE_INVALID";
    assertEquals([name, r.error_code], [name, expected]);
  }
  const unknown = await forge(w.keys, HEADER("no-such-kid"), claims());
  assertEquals(
    (await verifyCredentialOffline(unknown, w.discovery, null, w.opts)).error_code,
    "KEY_NOT_FOUND",
  );
});

test("agentpin: time checks (expired, iat in future, nbf, >24 h, skew option)", async () => {
  const w = await world();
  const t = now();
  const check = async (payload: Record<string, unknown>, opts: VerifyOptions = {}) =>
    (await verifyCredentialOffline(
      await forge(w.keys, HEADER(w.keys.kid), payload),
      w.discovery,
      null,
      { ...w.opts, ...opts },
    )).error_code;
  assertEquals(await check(claims({ iat: t - 7200, exp: t - 3600 })), "CREDENTIAL_EXPIRED");
  assertEquals(await check(claims({ iat: t + 600, exp: t + 1200 })), "CREDENTIAL_EXPIRED");
  assertEquals(await check(claims({ nbf: t + 600 })), "CREDENTIAL_EXPIRED");
  assertEquals(await check(claims({ iat: t, exp: t + 86401 })), "CREDENTIAL_EXPIRED");
  assertEquals(await check(claims({ iat: t, exp: t })), "CREDENTIAL_EXPIRED");
  // Within the default 60 s skew; outside a 0 s skew.
  assertEquals(await check(claims({ iat: t + 30, exp: t + 600 })), null);
  assertEquals(
    await check(claims({ iat: t + 30, exp: t + 600 }), { clockSkewSecs: 0 }),
    "CREDENTIAL_EXPIRED",
  );
  assertEquals(await check(claims({ iat: t - 100, exp: t - 30 })), null);
  assertEquals(
    await check(claims({ iat: t, exp: t + 7200 }), { maxTtlSecs: 3600 }),
    "CREDENTIAL_EXPIRED",
  );
  // An injected clock moves "now".
  assertEquals(await check(claims(), { clock: () => (t + 3600) * 1000 }), "CREDENTIAL_EXPIRED");
  const e = await assertRejects(
    () => verifyCredentialOffline("a.b.c", w.discovery, null, { maxTtlSecs: 90000 }),
    AgentPinError,
  );
  assertEquals(e.code, "INVALID_ARGUMENT");
});

test("agentpin: the agent's credential_ttl_max is enforced (spec) unless disabled", async () => {
  const w = await world({ credential_ttl_max: 600 });
  const t = now();
  const jwt = await forge(w.keys, HEADER(w.keys.kid), claims({ iat: t, exp: t + 3600 }));
  assertEquals(
    (await verifyCredentialOffline(jwt, w.discovery, null, w.opts)).error_code,
    "CREDENTIAL_EXPIRED",
  );
  const r = await verifyCredentialOffline(jwt, w.discovery, null, {
    ...w.opts,
    enforceAgentTtlMax: false,
  });
  assertEquals(r.valid, true);
});

test("agentpin: discovery, revocation, agent status, capability and constraint steps", async () => {
  const w = await world();
  const jwt = await forge(w.keys, HEADER(w.keys.kid), claims());
  const payload = decodeCredential(jwt).payload;
  const v = async (token: string, discovery: unknown, revocation: unknown = null) =>
    (await verifyCredentialOffline(token, discovery, revocation as never, {
      pinStore: new KeyPinStore(),
    })).error_code;

  assertEquals(await v(jwt, { ...w.discovery, entity: "evil.com" }), "DISCOVERY_INVALID");
  assertEquals(await v(jwt, { ...w.discovery, agentpin_version: "0.2" }), "DISCOVERY_INVALID");
  assertEquals(await v(jwt, { ...w.discovery, public_keys: [] }), "DISCOVERY_INVALID");
  assertEquals(await v(jwt, { ...w.discovery, max_delegation_depth: 4 }), "DISCOVERY_INVALID");
  assertEquals(await v(jwt, "not a document"), "DISCOVERY_INVALID");
  const expiredKey = {
    ...w.discovery,
    public_keys: [{ ...w.keys.publicKeyJwk, exp: "2020-01-01T00:00:00Z" }],
  };
  assertEquals(await v(jwt, expiredKey), "KEY_EXPIRED");
  const brokenKey = { ...w.discovery, public_keys: [{ ...w.keys.publicKeyJwk, x: "AAAA" }] };
  assertEquals(await v(jwt, brokenKey), "KEY_NOT_FOUND");

  const revJti = buildRevocationDocument(ISSUER);
  addRevokedCredential(revJti, payload.jti, "key_compromise");
  assertEquals(await v(jwt, w.discovery, revJti), "CREDENTIAL_REVOKED");
  const revAgent = buildRevocationDocument(ISSUER);
  addRevokedAgent(revAgent, AGENT, "privilege_withdrawn");
  assertEquals(await v(jwt, w.discovery, revAgent), "AGENT_INACTIVE");
  const revKey = buildRevocationDocument(ISSUER);
  addRevokedKey(revKey, w.keys.kid, "superseded");
  assertEquals(await v(jwt, w.discovery, revKey), "KEY_REVOKED");
  assertEquals(await v(jwt, w.discovery, buildRevocationDocument(ISSUER)), null);
  assertEquals(
    await v(jwt, w.discovery, buildRevocationDocument("other.com")),
    "DISCOVERY_INVALID",
  );

  const suspended = { ...w.discovery, agents: [{ ...w.discovery.agents[0], status: "suspended" }] };
  assertEquals(await v(jwt, suspended), "AGENT_INACTIVE");
  const otherAgent = await forge(
    w.keys,
    HEADER(w.keys.kid),
    claims({ sub: "urn:agentpin:example.com:ghost" }),
  );
  assertEquals(await v(otherAgent, w.discovery), "AGENT_NOT_FOUND");

  const caps = async (c: string[]) =>
    await v(await forge(w.keys, HEADER(w.keys.kid), claims({ capabilities: c })), w.discovery);
  assertEquals(await caps(["write:data"]), "CAPABILITY_EXCEEDED");
  assertEquals(await caps(["admin:users"]), "CAPABILITY_EXCEEDED");
  assertEquals(await caps(["write:reports.q3"]), null);
  assertEquals(await caps(["read:codebase.github.com/org/repo"]), null);
  assertEquals(await caps(["write:reportsX"]), "CAPABILITY_EXCEEDED");

  const cons = async (c: unknown) =>
    await v(await forge(w.keys, HEADER(w.keys.kid), claims({ constraints: c })), w.discovery);
  assertEquals(await cons({ data_classification_max: "restricted" }), "CONSTRAINT_VIOLATION");
  assertEquals(await cons({ data_classification_max: "internal" }), null);
  assertEquals(await cons({ rate_limit: "2/second" }), "CONSTRAINT_VIOLATION");
  assertEquals(await cons({ rate_limit: "1/minute" }), null);
  assertEquals(await cons({ allowed_domains: ["example.com"] }), "CONSTRAINT_VIOLATION");
  assertEquals(await cons({ allowed_domains: ["api.example.com"] }), null);
});

test("agentpin: audience, delegation warning, pin mismatch after rotation, orThrow", async () => {
  const w = await world();
  const aud = (a: string) => forge(w.keys, HEADER(w.keys.kid), claims({ aud: a }));
  const store = new KeyPinStore();
  const o = { pinStore: store, audience: "me.example" };
  assertEquals(
    (await verifyCredentialOffline(await aud("me.example"), w.discovery, null, o)).valid,
    true,
  );
  assertEquals(
    (await verifyCredentialOffline(await aud("*"), w.discovery, null, o)).key_pinning?.status,
    "pinned",
  );
  assertEquals(
    (await verifyCredentialOffline(await aud("you.example"), w.discovery, null, o)).error_code,
    "AUDIENCE_MISMATCH",
  );
  assertEquals(
    (await verifyCredentialOffline(
      await forge(w.keys, HEADER(w.keys.kid), claims()),
      w.discovery,
      null,
      o,
    )).valid,
    true,
  );

  const chained = await forge(
    w.keys,
    HEADER(w.keys.kid),
    claims({
      delegation_chain: [{
        domain: "maker.com",
        role: "maker",
        agent_id: "urn:agentpin:maker.com:x",
        kid: "k",
        attestation: "AA==",
      }],
    }),
  );
  const dr = await verifyCredentialOffline(chained, w.discovery, null, o);
  assertEquals([dr.valid, dr.delegation_verified, dr.delegation_chain], [true, false, [{
    domain: "maker.com",
    role: "maker",
    verified: false,
  }]]);
  assertEquals(dr.warnings.length, 1);

  // Rotation: the issuer publishes a new key; the pinned domain rejects it until pinned explicitly.
  const rotated = await generateKeyPair();
  const discovery2 = buildDiscoveryDocument({
    entity: ISSUER,
    publicKeys: [rotated.publicKeyJwk],
    agents: w.discovery.agents,
  });
  const jwt2 = await forge(rotated, HEADER(rotated.kid), claims());
  const mismatch = await verifyCredentialOffline(jwt2, discovery2, null, { pinStore: store });
  assertEquals(mismatch.error_code, "KEY_PIN_MISMATCH");
  const error = assertThrows(() => mismatch.orThrow(), AgentPinError);
  assertEquals(error.code, "KEY_PIN_MISMATCH");
  await store.addKey(ISSUER, rotated.publicKeyJwk);
  const ok = await verifyCredentialOffline(jwt2, discovery2, null, { pinStore: store });
  assertEquals(ok.orThrow().key_pinning?.status, "pinned");
  // pinStore: null skips pinning.
  const skipped = await verifyCredentialOffline(jwt2, discovery2, null, { pinStore: null });
  assertEquals(skipped.key_pinning, { status: "unknown", first_seen: null });
});

test("agentpin: AgentPinClient mirrors the seed (issue, offline verify, pinning persists per client)", async () => {
  const agentpin = new AgentPinClient();
  const keys = await agentpin.generateKeyPair();
  const kid = await agentpin.generateKeyId(keys.publicKeyPem);
  assertEquals(kid, keys.kid);
  const jwt = await agentpin.issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid,
    issuer: "example.com",
    agentId: "data-analyzer",
    capabilities: ["read:data", "write:reports"],
    ttlSecs: 3600,
  });
  const discovery = agentpin.buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [await agentpin.pemToJwk(keys.publicKeyPem, kid)],
    agents: [{
      agent_id: "data-analyzer",
      name: "Data analyzer",
      capabilities: ["read:data", "write:reports"],
    }],
  });
  const first = await agentpin.verifyCredentialOffline(jwt, discovery);
  assertEquals([first.valid, first.agent_id, first.capabilities], [true, "data-analyzer", [
    "read:data",
    "write:reports",
  ]]);
  assertEquals(first.key_pinning?.status, "first_use");
  const second = await agentpin.verifyCredentialOffline(jwt, discovery);
  assertEquals(second.key_pinning?.status, "pinned");
  assertEquals((await agentpin.getPinnedKeys("example.com"))?.pinned_keys.length, 1);
  const bundle = agentpin.createTrustBundle();
  bundle.documents.push(discovery);
  const fromBundle = await agentpin.verifyCredentialWithBundle(
    jwt,
    agentpin.loadTrustBundle(agentpin.saveTrustBundle(bundle)),
  );
  assertEquals(fromBundle.valid, true);
  const missing = await agentpin.verifyCredentialWithBundle(jwt, agentpin.createTrustBundle());
  assertEquals(missing.error_code, "DISCOVERY_FETCH_FAILED");
  assertStringIncludes(missing.error_message ?? "", "example.com");
});
