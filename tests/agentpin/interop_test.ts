// Interop with the reference `agentpin` npm package (node:crypto; not available in workerd) and
// with `jose`. Credentials go both ways; pin files, attestations and mutual-auth messages too.
import * as ref from "agentpin";
import * as jose from "jose";
import { test } from "../_harness.ts";
import { assert, assertEquals } from "../_assert.ts";
import {
  capabilitiesHash,
  createAttestation,
  createChallenge,
  createResponse,
  decodeCredential,
  generateKeyId,
  generateKeyPair,
  InMemoryNonceStore,
  issueCredential,
  jwkThumbprint,
  jwkThumbprintBase64url,
  KeyPinStore,
  pemToJwk,
  verifyAttestation,
  verifyCredentialOffline,
  verifyResponse,
} from "../../agentpin/mod.ts";
import type { DiscoveryDocument } from "../../agentpin/mod.ts";

const ISSUER = "example.com";
const AGENT = "urn:agentpin:example.com:data-analyzer";
const R = ref as unknown as Record<string, (...args: unknown[]) => unknown> & {
  KeyPinStore: { new (): RefPinStore; fromJson(json: string): RefPinStore };
  Capability: new (value: string) => unknown;
};
interface RefPinStore {
  checkAndPin(domain: string, jwk: unknown): string;
  toJson(): string;
}

function discoveryFor(jwk: unknown): DiscoveryDocument {
  return {
    agentpin_version: "0.1",
    entity: ISSUER,
    entity_type: "maker",
    public_keys: [jwk as DiscoveryDocument["public_keys"][number]],
    agents: [{
      agent_id: AGENT,
      name: "Data analyzer",
      capabilities: ["read:*", "write:reports"],
      status: "active",
    }],
    max_delegation_depth: 2,
    updated_at: new Date().toISOString(),
  };
}

test("agentpin: interop: keys, kid and thumbprints equal the reference and jose", async () => {
  const refKeys = R.generateKeyPair() as { privateKeyPem: string; publicKeyPem: string };
  const kid = await generateKeyId(refKeys.publicKeyPem);
  assertEquals(kid, R.generateKeyId(refKeys.publicKeyPem));
  const ours = await pemToJwk(refKeys.publicKeyPem, kid);
  assertEquals(ours, R.pemToJwk(refKeys.publicKeyPem, kid));
  assertEquals(await jwkThumbprint(ours), R.jwkThumbprint(ours));
  assertEquals(
    await jwkThumbprintBase64url(ours),
    await jose.calculateJwkThumbprint(ours as jose.JWK, "sha256"),
  );
  const mine = await generateKeyPair();
  assertEquals(mine.kid, R.generateKeyId(mine.publicKeyPem));
  assertEquals(R.jwkToPem(mine.publicKeyJwk), mine.publicKeyPem);
  assertEquals(
    await capabilitiesHash(["write:reports", "read:data"]),
    R.capabilitiesHash([new R.Capability("write:reports"), new R.Capability("read:data")]),
  );
});

test("agentpin: interop: our DER credentials verify with the reference verifier", async () => {
  const keys = await generateKeyPair();
  const discovery = discoveryFor(keys.publicKeyJwk);
  const jwt = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: ["read:data", "write:reports"],
    audience: "verifier.example",
    constraints: { data_classification_max: "internal" },
  });
  const theirs = R.verifyCredentialOffline(
    jwt,
    discovery,
    null,
    new R.KeyPinStore(),
    "verifier.example",
    null,
  ) as Record<string, unknown>;
  assertEquals(theirs.valid, true, String(theirs.error_message));
  const ours = await verifyCredentialOffline(jwt, discovery, null, {
    pinStore: new KeyPinStore(),
    audience: "verifier.example",
  });
  for (
    const field of [
      "valid",
      "agent_id",
      "issuer",
      "capabilities",
      "constraints",
      "delegation_verified",
      "delegation_chain",
      "error_code",
      "warnings",
    ]
  ) {
    assertEquals((ours as unknown as Record<string, unknown>)[field], theirs[field], field);
  }
  assertEquals(ours.key_pinning?.status, (theirs.key_pinning as { status: string }).status);
  // The reference decoder accepts our exact header and claims.
  const decoded = R.decodeJwtUnverified(jwt) as { header: Record<string, unknown> };
  assertEquals(decoded.header, { alg: "ES256", typ: "agentpin-credential+jwt", kid: keys.kid });
});

test("agentpin: interop: reference-issued credentials verify with ours", async () => {
  const refKeys = R.generateKeyPair() as { privateKeyPem: string; publicKeyPem: string };
  const kid = R.generateKeyId(refKeys.publicKeyPem) as string;
  const jwk = R.pemToJwk(refKeys.publicKeyPem, kid);
  const discovery = R.buildDiscoveryDocument(
    ISSUER,
    "maker",
    [jwk],
    discoveryFor(jwk).agents,
    2,
    new Date().toISOString(),
  ) as DiscoveryDocument;
  const jwt = R.issueCredential(
    refKeys.privateKeyPem,
    kid,
    ISSUER,
    AGENT,
    "*",
    ["read:data"],
    null,
    null,
    3600,
  ) as string;
  const sig = decodeCredential(jwt).signature;
  assert(sig[0] === 0x30 && sig.length > 64, "the reference emits DER");
  const store = new KeyPinStore();
  const result = await verifyCredentialOffline(jwt, discovery, null, {
    pinStore: store,
    audience: "anyone.example",
  });
  assertEquals([result.valid, result.agent_id, result.capabilities], [true, AGENT, ["read:data"]]);
  // Escalated capabilities from the reference issuer are refused by both.
  const greedy = R.issueCredential(
    refKeys.privateKeyPem,
    kid,
    ISSUER,
    AGENT,
    null,
    ["admin:everything"],
    null,
    null,
    3600,
  ) as string;
  assertEquals(
    (await verifyCredentialOffline(greedy, discovery, null, { pinStore: store })).error_code,
    "CAPABILITY_EXCEEDED",
  );
  assertEquals(
    (R.verifyCredentialOffline(greedy, discovery, null, new R.KeyPinStore(), null, null) as {
      error_code: string;
    }).error_code,
    "CAPABILITY_EXCEEDED",
  );
});

test("agentpin: interop: raw JOSE tokens (jose) verify with ours; the reference rejects raw", async () => {
  const keys = await generateKeyPair();
  const discovery = discoveryFor(keys.publicKeyJwk);
  const privateKey = await jose.importPKCS8(keys.privateKeyPem, "ES256");
  const jwt = await new jose.SignJWT({
    jti: crypto.randomUUID(),
    agentpin_version: "0.1",
    capabilities: ["read:data"],
  })
    .setProtectedHeader({ alg: "ES256", typ: "agentpin-credential+jwt", kid: keys.kid })
    .setIssuer(ISSUER)
    .setSubject(AGENT)
    .setIssuedAt()
    .setExpirationTime("10m")
    .sign(privateKey);
  assertEquals(decodeCredential(jwt).signature.length, 64);
  const result = await verifyCredentialOffline(jwt, discovery, null, {
    pinStore: new KeyPinStore(),
  });
  assertEquals(result.valid, true, result.error_message ?? "");
  const theirs = R.verifyCredentialOffline(
    jwt,
    discovery,
    null,
    new R.KeyPinStore(),
    null,
    null,
  ) as { error_code: string };
  assertEquals(theirs.error_code, "SIGNATURE_INVALID");
  // And jose verifies our raw-format tokens.
  const ours = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: ["read:data"],
    signatureFormat: "raw",
  });
  const verified = await jose.jwtVerify(
    ours,
    await jose.importJWK(keys.publicKeyJwk as jose.JWK, "ES256"),
    { typ: "agentpin-credential+jwt", issuer: ISSUER },
  );
  assertEquals(verified.payload.sub, AGENT);
});

test("agentpin: interop: the same hostile scenarios give the reference's error codes", async () => {
  const refKeys = R.generateKeyPair() as { privateKeyPem: string; publicKeyPem: string };
  const kid = R.generateKeyId(refKeys.publicKeyPem) as string;
  const jwk = R.pemToJwk(refKeys.publicKeyPem, kid);
  const discovery = discoveryFor(jwk);
  const issue = (caps: string[], aud: string | null = null, ttl = 3600) =>
    R.issueCredential(
      refKeys.privateKeyPem,
      kid,
      ISSUER,
      AGENT,
      aud,
      caps,
      null,
      null,
      ttl,
    ) as string;
  const good = issue(["read:data"]);
  const payload = decodeCredential(good).payload;
  const revoked = R.buildRevocationDocument(ISSUER) as Record<string, unknown>;
  R.addRevokedCredential(revoked, payload.jti, "key_compromise");
  const revokedAgent = R.buildRevocationDocument(ISSUER) as Record<string, unknown>;
  R.addRevokedAgent(revokedAgent, AGENT, "policy_violation");
  const revokedKey = R.buildRevocationDocument(ISSUER) as Record<string, unknown>;
  R.addRevokedKey(revokedKey, kid, "superseded");
  const scenarios: [string, string, unknown, unknown, string | null][] = [
    ["ok", good, discovery, null, null],
    ["revoked jti", good, discovery, revoked, null],
    ["revoked agent", good, discovery, revokedAgent, null],
    ["revoked key", good, discovery, revokedKey, null],
    ["escalation", issue(["write:data"]), discovery, null, null],
    ["audience", issue(["read:data"], "a.example"), discovery, null, "b.example"],
    ["over 24h", issue(["read:data"], null, 90000), discovery, null, null],
    [
      "unknown kid",
      good,
      { ...discovery, public_keys: [{ ...(jwk as object), kid: "other" }] },
      null,
      null,
    ],
    ["wrong entity", good, { ...discovery, entity: "evil.com" }, null, null],
    [
      "suspended",
      good,
      { ...discovery, agents: [{ ...discovery.agents[0], status: "suspended" }] },
      null,
      null,
    ],
    ["garbage", "x.y.z", discovery, null, null],
  ];
  for (const [name, jwt, doc, rev, aud] of scenarios) {
    const theirs = R.verifyCredentialOffline(jwt, doc, rev, new R.KeyPinStore(), aud, null) as {
      error_code: string | null;
    };
    const ours = await verifyCredentialOffline(jwt, doc, rev as never, {
      pinStore: new KeyPinStore(),
      audience: aud ?? undefined,
    });
    assertEquals([name, ours.error_code], [name, theirs.error_code]);
  }
});

test("agentpin: interop: pin store JSON moves both ways", async () => {
  const keys = await generateKeyPair();
  const refStore = new R.KeyPinStore();
  assertEquals(refStore.checkAndPin(ISSUER, keys.publicKeyJwk), "first_use");
  const ours = KeyPinStore.fromJson(refStore.toJson());
  assertEquals(await ours.checkAndPin(ISSUER, keys.publicKeyJwk), "matched");
  const other = await generateKeyPair();
  assertEquals(await ours.checkAndPin(ISSUER, other.publicKeyJwk), "changed");
  await ours.addKey("second.example", other.publicKeyJwk);
  const back = R.KeyPinStore.fromJson(await ours.toJson());
  assertEquals(back.checkAndPin("second.example", other.publicKeyJwk), "matched");
  assertEquals(back.checkAndPin(ISSUER, keys.publicKeyJwk), "matched");
  assertEquals(back.checkAndPin(ISSUER, other.publicKeyJwk), "changed");
});

test("agentpin: interop: delegation attestations and mutual auth both ways", async () => {
  const caps = ["read:data", "write:reports"];
  const refCaps = caps.map((c) => new R.Capability(c));
  const mine = await generateKeyPair();
  const att = await createAttestation({
    privateKey: mine.privateKeyPem,
    kid: mine.kid,
    domain: "maker.com",
    role: "maker",
    agentId: "urn:agentpin:maker.com:a",
    delegateeDomain: "deployer.com",
    delegateeAgentId: "urn:agentpin:deployer.com:b",
    capabilities: caps,
  });
  assert(/^[A-Za-z0-9+/]+=*$/.test(att.attestation), "standard base64");
  R.verifyAttestation(
    att,
    mine.publicKeyPem,
    "deployer.com",
    "urn:agentpin:deployer.com:b",
    refCaps,
  ); // throws if invalid
  const refKeys = R.generateKeyPair() as { privateKeyPem: string; publicKeyPem: string };
  const theirs = R.createAttestation(
    refKeys.privateKeyPem,
    "k1",
    "maker.com",
    "maker",
    "urn:agentpin:maker.com:a",
    "deployer.com",
    "urn:agentpin:deployer.com:b",
    refCaps,
  ) as never;
  await verifyAttestation(
    theirs,
    refKeys.publicKeyPem,
    "deployer.com",
    "urn:agentpin:deployer.com:b",
    caps,
  );

  const challenge = createChallenge();
  const response = await createResponse(challenge, mine.privateKeyPem, mine.kid);
  assertEquals(R.verifyResponse(response, challenge, mine.publicKeyPem), true);
  const refChallenge = R.createChallenge() as never;
  const refResponse = R.createResponse(refChallenge, refKeys.privateKeyPem, "k1") as never;
  await verifyResponse(refResponse, refChallenge, refKeys.publicKeyPem, {
    nonceStore: new InMemoryNonceStore(),
  });
});
