// AgentPin inside workerd (no nodejs_compat): WebCrypto keys, DER and raw credentials, offline and
// bundle verification, pins persisted in Workers KV, and online verification through an injected
// fetch (workerd's own fetch, pointed at a Response built in the worker).
import { test } from "../_harness.ts";
import { assertEquals } from "../_assert.ts";
import { WorkersKvStorage } from "../../memory/mod.ts";
import { workerEnv } from "./_env.ts";
import {
  AgentPinClient,
  buildDiscoveryDocument,
  createChallenge,
  createResponse,
  createTrustBundle,
  generateKeyPair,
  InMemoryNonceStore,
  issueCredential,
  jwkToPem,
  KeyPinStore,
  verifyCredential,
  verifyCredentialOffline,
  verifyCredentialWithBundle,
  verifyResponse,
} from "../../agentpin/mod.ts";

const AGENT = "urn:agentpin:example.com:edge-bot";

async function setup() {
  const keys = await generateKeyPair();
  const discovery = buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [keys.publicKeyJwk],
    agents: [{ agent_id: AGENT, name: "Edge bot", capabilities: ["read:*"] }],
    revocationEndpoint: null,
  });
  return { keys, discovery };
}

test("agentpin: workerd issues (DER and raw) and verifies offline and from a bundle", async () => {
  const { keys, discovery } = await setup();
  assertEquals(await jwkToPem(keys.publicKeyJwk), keys.publicKeyPem);
  for (const signatureFormat of ["der", "raw"] as const) {
    const jwt = await issueCredential({
      privateKeyPem: keys.privateKeyPem,
      kid: keys.kid,
      issuer: "example.com",
      agentId: AGENT,
      capabilities: ["read:data"],
      signatureFormat,
    });
    const result = await verifyCredentialOffline(jwt, discovery, null, {
      pinStore: new KeyPinStore(),
    });
    assertEquals([result.valid, result.agent_id, result.error_code], [true, AGENT, null]);
    const bundle = createTrustBundle();
    bundle.documents.push(discovery);
    assertEquals(
      (await verifyCredentialWithBundle(jwt, bundle, { pinStore: new KeyPinStore() })).valid,
      true,
    );
  }
  const greedy = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["write:data"],
  });
  assertEquals(
    (await verifyCredentialOffline(greedy, discovery, null, { pinStore: null })).error_code,
    "CAPABILITY_EXCEEDED",
  );
});

test("agentpin: workerd pins in Workers KV and rejects a rotated key until pinned", async () => {
  const storage = new WorkersKvStorage(workerEnv().KV, { prefix: `agentpin-${Date.now()}/` });
  const { keys, discovery } = await setup();
  const client = new AgentPinClient({ storage });
  const jwt = await client.issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  assertEquals(
    (await client.verifyCredentialOffline(jwt, discovery)).key_pinning?.status,
    "first_use",
  );
  const rotated = await generateKeyPair();
  const discovery2 = { ...discovery, public_keys: [rotated.publicKeyJwk] };
  const jwt2 = await issueCredential({
    privateKeyPem: rotated.privateKeyPem,
    kid: rotated.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  // A fresh client on the same KV namespace sees the persisted pin.
  const other = new AgentPinClient({ storage });
  assertEquals(
    (await other.verifyCredentialOffline(jwt2, discovery2)).error_code,
    "KEY_PIN_MISMATCH",
  );
  await other.pinKey("example.com", rotated.publicKeyJwk);
  assertEquals((await client.verifyCredentialOffline(jwt2, discovery2)).valid, true);
});

test("agentpin: workerd online verification through an injected fetch; mutual auth", async () => {
  const { keys, discovery } = await setup();
  const urls: string[] = [];
  const fetch = (input: string | URL | Request) => {
    urls.push(String(input));
    return Promise.resolve(Response.json(discovery));
  };
  const jwt = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  assertEquals((await verifyCredential(jwt, { fetch, pinStore: new KeyPinStore() })).valid, true);
  assertEquals(urls, ["https://example.com/.well-known/agent-identity.json"]);
  const challenge = createChallenge();
  const response = await createResponse(challenge, keys.privateKeyPem, keys.kid);
  await verifyResponse(response, challenge, keys.publicKeyJwk, {
    nonceStore: new InMemoryNonceStore(),
  });
});
