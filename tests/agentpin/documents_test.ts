import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { MemoryStorage } from "../../memory/memory_storage.ts";
import { FsStorage } from "../../memory/fs_storage.ts";
import {
  addDiscoveryToBundle,
  addRevocationToBundle,
  addRevokedKey,
  AgentPinError,
  buildDiscoveryDocument,
  buildRevocationDocument,
  createAttestation,
  createChallenge,
  createResponse,
  createTrustBundle,
  generateKeyId,
  generateKeyPair,
  importPrivateKey,
  InMemoryNonceStore,
  issueCredential,
  jwkThumbprint,
  jwkToPem,
  KeyPinStore,
  loadTrustBundle,
  loadTrustBundleFrom,
  pemToJwk,
  saveTrustBundle,
  saveTrustBundleTo,
  validateDiscoveryDocument,
  verifyAttestation,
  verifyChainDepth,
  verifyCredentialWithBundle,
  verifyResponse,
} from "../../agentpin/mod.ts";
import type { StorageAdapter } from "../../agentpin/mod.ts";

const AGENT = "urn:agentpin:example.com:bot";

function hexToB64url(hex: string): string {
  const bytes = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}

test("agentpin: fixed-key vector (RFC 6979 A.2.5 scalar): kid, JWK and pin hash", async () => {
  const x = "YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y";
  const y = "eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk";
  const d = hexToB64url("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
  const pair = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x, y, d, ext: true },
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign"],
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair));
  const pem = `-----BEGIN PRIVATE KEY-----\n${
    btoa(String.fromCharCode(...pkcs8))
  }\n-----END PRIVATE KEY-----\n`;
  await importPrivateKey(pem);
  const jwk = { kid: "k", kty: "EC", crv: "P-256", x, y };
  assertEquals(
    await generateKeyId(jwk),
    "5a7a78cca4a0f420d9bc62bb669c3c2759e39f723d3ae10dcbe0f0815a07ecd4",
  );
  assertEquals(
    await jwkThumbprint(jwk),
    "0cebf1bc9880748a95588905b79843b42ba75cb174055e3e246bf87fe00b4a6d",
  );
  const pub = await jwkToPem(jwk);
  assertEquals(await pemToJwk(pub, "k"), {
    kid: "k",
    kty: "EC",
    crv: "P-256",
    x,
    y,
    use: "sig",
    key_ops: ["verify"],
  });
});

test("agentpin: key inputs are checked with INVALID_KEY and messages carry no key material", async () => {
  const keys = await generateKeyPair();
  const body = keys.privateKeyPem.split("\n")[1];
  const cases: [string, () => Promise<unknown>][] = [
    ["public as private", () => importPrivateKey(keys.publicKeyPem)],
    ["sec1", () => importPrivateKey(keys.privateKeyPem.replace(/PRIVATE KEY/g, "EC PRIVATE KEY"))],
    [
      "garbage body",
      () => importPrivateKey("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----"),
    ],
    [
      "truncated",
      () => importPrivateKey(keys.privateKeyPem.slice(0, 60) + "\n-----END PRIVATE KEY-----"),
    ],
    ["private jwk", () => jwkToPem({ ...keys.publicKeyJwk, d: "x" } as never)],
    ["short x", () => jwkThumbprint({ ...keys.publicKeyJwk, x: "AAAA" })],
    ["P-384", () => jwkToPem({ ...keys.publicKeyJwk, crv: "P-384" })],
    ["not on curve", () => jwkToPem({ ...keys.publicKeyJwk, y: keys.publicKeyJwk.x })],
  ];
  for (const [name, fn] of cases) {
    const e = await assertRejects(fn, AgentPinError);
    assertEquals([name, e.code], [name, "INVALID_KEY"]);
    assert(!e.message.includes(body.slice(0, 20)), name);
  }
  const sec1 = await assertRejects(
    () => importPrivateKey("-----BEGIN EC PRIVATE KEY-----\nAA==\n-----END EC PRIVATE KEY-----"),
    AgentPinError,
  );
  assert(sec1.message.includes("PKCS#8"));
});

function sharedStorage(): StorageAdapter {
  return new MemoryStorage();
}

async function pinStoreScenario(storage: StorageAdapter) {
  const a = await generateKeyPair();
  const b = await generateKeyPair();
  const s1 = new KeyPinStore({ storage });
  assertEquals(await s1.checkAndPin("example.com", a.publicKeyJwk), "first_use");
  // Another store (another process) on the same storage sees the pin.
  const s2 = new KeyPinStore({ storage });
  assertEquals(await s2.checkAndPin("example.com", a.publicKeyJwk), "matched");
  assertEquals(await s2.checkAndPin("example.com", b.publicKeyJwk), "changed");
  // Rotation only through an explicit call; persisted for everyone.
  await s2.addKey("example.com", b.publicKeyJwk);
  assertEquals(
    await new KeyPinStore({ storage }).checkAndPin("example.com", b.publicKeyJwk),
    "matched",
  );
  const saved = JSON.parse((await storage.get("agentpin/pins.json"))!);
  assertEquals(saved[0].domain, "example.com");
  assertEquals(saved[0].pinned_keys.map((k: { kid: string }) => k.kid), [a.kid, b.kid]);
  assertEquals(saved[0].pinned_keys[0].trust_level, "tofu");
  assertEquals(saved[0].pinned_keys[1].trust_level, "verified");
  assertEquals(await s1.removeKey("example.com", a.kid), true);
  assertEquals(
    await new KeyPinStore({ storage }).checkAndPin("example.com", a.publicKeyJwk),
    "changed",
  );
  assertEquals(await s1.removeDomain("example.com"), true);
  assertEquals(
    await new KeyPinStore({ storage }).checkAndPin("example.com", a.publicKeyJwk),
    "first_use",
  );
}

test("agentpin: pin store persists through the in-memory storage adapter", async () => {
  await pinStoreScenario(sharedStorage());
  const corrupt = new MemoryStorage();
  await corrupt.put("agentpin/pins.json", "{not json");
  const keys = await generateKeyPair();
  const e = await assertRejects(
    () => new KeyPinStore({ storage: corrupt }).checkAndPin("example.com", keys.publicKeyJwk),
    AgentPinError,
  );
  assertEquals(e.code, "INVALID_ARGUMENT");
  assertEquals(await corrupt.get("agentpin/pins.json"), "{not json"); // never overwritten
});

test("agentpin: pin store persists in a real folder (FsStorage)", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "agentpin-pins-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  await pinStoreScenario(new FsStorage(dir));
}, { runtimes: ["deno", "node", "bun"] });

test("agentpin: concurrent first uses of one domain pin exactly one key", async () => {
  const storage = new MemoryStorage();
  const store = new KeyPinStore({ storage });
  const keys = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
  const results = await Promise.all(
    keys.map((k) => store.checkAndPin("race.example", k.publicKeyJwk)),
  );
  assertEquals(results.filter((r) => r === "first_use").length, 1);
  assertEquals(results.filter((r) => r === "changed").length, 2);
});

test("agentpin: discovery builder and validator", async () => {
  const keys = await generateKeyPair();
  const doc = buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [keys.publicKeyJwk],
    agents: [{ agent_id: AGENT, name: "Bot", capabilities: ["read:*"], credential_ttl_max: 3600 }],
  });
  assertEquals(
    doc.revocation_endpoint,
    "https://example.com/.well-known/agent-identity-revocations.json",
  );
  assertEquals([
    doc.agentpin_version,
    doc.entity_type,
    doc.max_delegation_depth,
    doc.agents[0].status,
  ], ["0.1", "maker", 0, "active"]);
  assert(!Number.isNaN(Date.parse(doc.updated_at)));
  const bad: [string, () => unknown, string][] = [
    [
      "entity",
      () => buildDiscoveryDocument({ ...base(), entity: "https://x" }),
      "INVALID_ARGUMENT",
    ],
    ["no keys", () => buildDiscoveryDocument({ ...base(), publicKeys: [] }), "INVALID_ARGUMENT"],
    [
      "bad cap",
      () =>
        buildDiscoveryDocument({
          ...base(),
          agents: [{ agent_id: AGENT, name: "B", capabilities: ["nope"] }],
        }),
      "INVALID_CAPABILITY",
    ],
    [
      "ttl",
      () =>
        buildDiscoveryDocument({
          ...base(),
          agents: [{ agent_id: AGENT, name: "B", capabilities: [], credential_ttl_max: 10 }],
        }),
      "INVALID_ARGUMENT",
    ],
    [
      "depth",
      () => buildDiscoveryDocument({ ...base(), maxDelegationDepth: 4 }),
      "DISCOVERY_INVALID",
    ],
    [
      "http revocation",
      () => buildDiscoveryDocument({ ...base(), revocationEndpoint: "http://example.com/r.json" }),
      "INVALID_ARGUMENT",
    ],
    ["mismatch", () => validateDiscoveryDocument(doc, "other.com"), "DOMAIN_MISMATCH"],
    [
      "version",
      () => validateDiscoveryDocument({ ...doc, agentpin_version: "0.3" }, "example.com"),
      "DISCOVERY_INVALID",
    ],
    [
      "agents",
      () => validateDiscoveryDocument({ ...doc, agents: {} }, "example.com"),
      "DISCOVERY_INVALID",
    ],
  ];
  function base() {
    return { entity: "example.com", publicKeys: [keys.publicKeyJwk], agents: [] };
  }
  for (const [name, fn, code] of bad) {
    const e = assertThrows(() => fn(), AgentPinError);
    assertEquals([name, e.code], [name, code]);
  }
});

test("agentpin: trust bundles: create, save, load (text and storage), verify, reject invalid", async () => {
  const keys = await generateKeyPair();
  const doc = buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [keys.publicKeyJwk],
    agents: [{ agent_id: AGENT, name: "Bot", capabilities: ["read:*"] }],
  });
  const bundle = createTrustBundle();
  addDiscoveryToBundle(bundle, doc);
  const rev = buildRevocationDocument("example.com");
  addRevocationToBundle(bundle, rev);
  const storage = new MemoryStorage();
  await saveTrustBundleTo(storage, "agentpin/bundle.json", bundle);
  const loaded = await loadTrustBundleFrom(storage, "agentpin/bundle.json");
  const jwt = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  assertEquals(
    (await verifyCredentialWithBundle(jwt, loaded, { pinStore: new KeyPinStore() })).valid,
    true,
  );
  addRevokedKey(rev, keys.kid, "key_compromise");
  addRevocationToBundle(loaded, rev);
  assertEquals(
    (await verifyCredentialWithBundle(jwt, loadTrustBundle(saveTrustBundle(loaded)), {
      pinStore: new KeyPinStore(),
    })).error_code,
    "KEY_REVOKED",
  );
  for (
    const text of [
      "nope",
      "[]",
      '{"agentpin_bundle_version":"0.2","created_at":"x","documents":[]}',
      JSON.stringify({ ...bundle, documents: [{ ...doc, public_keys: [] }] }),
      JSON.stringify({ ...bundle, documents: [doc, doc] }),
    ]
  ) {
    assertEquals(
      assertThrows(() => loadTrustBundle(text), AgentPinError).code,
      "BUNDLE_INVALID",
    );
  }
  assertEquals(
    (await assertRejects(() => loadTrustBundleFrom(storage, "missing.json"), AgentPinError)).code,
    "BUNDLE_INVALID",
  );
});

test("agentpin: delegation attestations verify and detect tampering; chain depth", async () => {
  const maker = await generateKeyPair();
  const att = await createAttestation({
    privateKey: maker.privateKeyPem,
    kid: maker.kid,
    domain: "maker.com",
    role: "maker",
    agentId: "urn:agentpin:maker.com:a",
    delegateeDomain: "deployer.com",
    delegateeAgentId: "urn:agentpin:deployer.com:b",
    capabilities: ["read:data"],
  });
  await verifyAttestation(att, maker.publicKeyJwk, "deployer.com", "urn:agentpin:deployer.com:b", [
    "read:data",
  ]);
  const wrong = [
    () =>
      verifyAttestation(att, maker.publicKeyJwk, "deployer.com", "urn:agentpin:deployer.com:b", [
        "read:data",
        "write:x",
      ]),
    () =>
      verifyAttestation(att, maker.publicKeyJwk, "evil.com", "urn:agentpin:deployer.com:b", [
        "read:data",
      ]),
    () =>
      verifyAttestation(
        { ...att, role: "deployer" },
        maker.publicKeyJwk,
        "deployer.com",
        "urn:agentpin:deployer.com:b",
        ["read:data"],
      ),
    () =>
      verifyAttestation(
        { ...att, attestation: "not base64!" },
        maker.publicKeyJwk,
        "deployer.com",
        "urn:agentpin:deployer.com:b",
        ["read:data"],
      ),
  ];
  for (const fn of wrong) {
    assertEquals((await assertRejects(fn, AgentPinError)).code, "DELEGATION_INVALID");
  }
  verifyChainDepth(2, [2, 3]);
  assertEquals(
    assertThrows(() => verifyChainDepth(3, [2, 3]), AgentPinError).code,
    "DELEGATION_DEPTH_EXCEEDED",
  );
});

test("agentpin: mutual auth: single-use nonces, expiry, mismatch, bad signatures do not burn nonces", async () => {
  const keys = await generateKeyPair();
  const nonces = new InMemoryNonceStore();
  const challenge = createChallenge("verifier-jwt");
  assertEquals(challenge.verifier_credential, "verifier-jwt");
  assertEquals(challenge.nonce.length, 22);
  assert(createChallenge().nonce !== challenge.nonce);
  const response = await createResponse(challenge, keys.privateKeyPem, keys.kid);
  const forged = {
    ...response,
    signature: (await createResponse(createChallenge(), keys.privateKeyPem, keys.kid)).signature,
  };
  assertEquals(
    (await assertRejects(
      () => verifyResponse(forged, challenge, keys.publicKeyPem, { nonceStore: nonces }),
      AgentPinError,
    ))
      .code,
    "SIGNATURE_INVALID",
  );
  await verifyResponse(response, challenge, keys.publicKeyPem, { nonceStore: nonces });
  assertEquals(
    (await assertRejects(
      () => verifyResponse(response, challenge, keys.publicKeyPem, { nonceStore: nonces }),
      AgentPinError,
    )).code,
    "NONCE_REPLAYED",
  );
  const other = createChallenge();
  assertEquals(
    (await assertRejects(
      () => verifyResponse(response, other, keys.publicKeyPem, { nonceStore: nonces }),
      AgentPinError,
    ))
      .code,
    "CHALLENGE_INVALID",
  );
  const old = createChallenge(null, () => Date.now() - 61_000);
  const oldResponse = await createResponse(old, keys.privateKeyPem, keys.kid);
  assertEquals(
    (await assertRejects(
      () => verifyResponse(oldResponse, old, keys.publicKeyPem, { nonceStore: nonces }),
      AgentPinError,
    ))
      .code,
    "NONCE_EXPIRED",
  );
  const imposter = await generateKeyPair();
  const c2 = createChallenge();
  const r2 = await createResponse(c2, imposter.privateKeyPem, imposter.kid);
  assertEquals(
    (await assertRejects(
      () => verifyResponse(r2, c2, keys.publicKeyJwk, { nonceStore: nonces }),
      AgentPinError,
    )).code,
    "SIGNATURE_INVALID",
  );
});
