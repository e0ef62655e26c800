// Online verification over real loopback HTTP. Public DNS and TLS are out of reach, so an injected
// fetch routes https://{domain}/... to the loopback server; everything else is real.
import { test } from "../_harness.ts";
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "../_assert.ts";
import { serve } from "../../testing/serve.ts";
import {
  addRevokedCredential,
  AgentPinClient,
  AgentPinError,
  buildDiscoveryDocument,
  buildRevocationDocument,
  decodeCredential,
  discoveryUrl,
  fetchDiscoveryDocument,
  generateKeyPair,
  issueCredential,
  KeyPinStore,
  verifyCredential,
} from "../../agentpin/mod.ts";
import type { FetchLike } from "../../agentpin/mod.ts";

const AGENT = "urn:agentpin:example.com:bot";

async function setup(
  t: { defer(fn: () => unknown): void },
  routes: Record<string, () => Response | Promise<Response>>,
) {
  const requests: string[] = [];
  const server = await serve((req) => {
    const path = new URL(req.url).pathname;
    requests.push(path);
    const route = routes[path];
    return route ? route() : new Response("not found", { status: 404 });
  });
  t.defer(() => server.close());
  const seen: { url: string; redirect?: string }[] = [];
  // Routes https://example.com/... (and only it) to the loopback server.
  const fetchVia: FetchLike = (input, init) => {
    const url = new URL(String(input));
    seen.push({ url: url.href, redirect: init?.redirect });
    if (url.hostname !== "example.com") {
      return Promise.reject(new TypeError(`no route to ${url.hostname}`));
    }
    return fetch(server.url + url.pathname, init);
  };
  return { server, requests, seen, fetch: fetchVia };
}

async function keysAndDoc(revocationEndpoint?: string | null) {
  const keys = await generateKeyPair();
  const discovery = buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [keys.publicKeyJwk],
    agents: [{ agent_id: AGENT, name: "Bot", capabilities: ["read:*"] }],
    revocationEndpoint,
  });
  const jwt = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  return { keys, discovery, jwt };
}

test("agentpin: online verification fetches discovery and revocation over HTTPS URLs, refusing redirects", async (t) => {
  const { discovery, jwt } = await keysAndDoc();
  const revocation = buildRevocationDocument("example.com");
  const env = await setup(t, {
    "/.well-known/agent-identity.json": () =>
      Response.json(discovery, { headers: { "cache-control": "public, max-age=3600" } }),
    "/.well-known/agent-identity-revocations.json": () => Response.json(revocation),
  });
  const store = new KeyPinStore();
  const result = await verifyCredential(jwt, { fetch: env.fetch, pinStore: store });
  assertEquals(result.valid, true, result.error_message ?? "");
  assertEquals(env.seen.map((s) => s.url), [
    "https://example.com/.well-known/agent-identity.json",
    "https://example.com/.well-known/agent-identity-revocations.json",
  ]);
  assertEquals(env.seen.every((s) => s.redirect === "manual"), true);
  assertEquals(env.requests.length, 2);

  // Revoked on the server: now refused.
  addRevokedCredential(revocation, decodeCredential(jwt).payload.jti, "policy_violation");
  assertEquals(
    (await verifyCredential(jwt, { fetch: env.fetch, pinStore: store })).error_code,
    "CREDENTIAL_REVOKED",
  );
});

test("agentpin: online verification fails closed (revocation unreachable, redirects, http, size, timeout)", async (t) => {
  const { discovery, jwt } = await keysAndDoc();
  let mode = "ok";
  const env = await setup(t, {
    "/.well-known/agent-identity.json": () => {
      if (mode === "redirect") {
        return new Response(null, {
          status: 302,
          headers: { location: "https://evil.example/x.json" },
        });
      }
      if (mode === "big") return Response.json({ ...discovery, padding: "x".repeat(300_000) });
      if (mode === "slow") {
        return new Promise((r) => setTimeout(() => r(Response.json(discovery)), 1500));
      }
      if (mode === "notjson") {
        return new Response("<html>", { headers: { "content-type": "text/html" } });
      }
      if (mode === "invalid") return Response.json({ ...discovery, entity: "evil.com" });
      if (mode === "httpRevocation") {
        return Response.json({
          ...discovery,
          revocation_endpoint: "http://example.com/.well-known/agent-identity-revocations.json",
        });
      }
      return Response.json(discovery);
    },
    "/.well-known/agent-identity-revocations.json": () => new Response("down", { status: 503 }),
  });
  const v = (extra = {}) =>
    verifyCredential(jwt, { fetch: env.fetch, pinStore: new KeyPinStore(), ...extra });
  const r1 = await v();
  assertEquals(r1.error_code, "DISCOVERY_FETCH_FAILED");
  assertStringIncludes(r1.error_message ?? "", "fail-closed");
  mode = "redirect";
  assertStringIncludes((await v()).error_message ?? "", "redirect");
  mode = "big";
  assertStringIncludes((await v()).error_message ?? "", "limit");
  mode = "slow";
  const slow = await v({ timeoutMs: 200 });
  assertEquals(slow.error_code, "DISCOVERY_FETCH_FAILED");
  assertStringIncludes(slow.error_message ?? "", "timed out");
  mode = "notjson";
  assertEquals((await v()).error_code, "DISCOVERY_FETCH_FAILED");
  mode = "invalid";
  assertEquals((await v()).error_code, "DISCOVERY_INVALID");
  mode = "httpRevocation";
  const http = await v();
  assertEquals(http.error_code, "DISCOVERY_FETCH_FAILED");
  assertStringIncludes(http.error_message ?? "", "HTTPS only");
  // Slow bodies are cut by the same timeout (let the slow handler finish before clean-up).
  await new Promise((r) => setTimeout(r, 1400));
});

test("agentpin: online verification with no revocation endpoint, and bad issuers never reach fetch", async (t) => {
  const { discovery, jwt, keys } = await keysAndDoc(null);
  const env = await setup(t, {
    "/.well-known/agent-identity.json": () => Response.json(discovery),
  });
  assertEquals(
    (await verifyCredential(jwt, { fetch: env.fetch, pinStore: new KeyPinStore() })).valid,
    true,
  );
  const evil = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "example.com",
    agentId: AGENT,
    capabilities: ["read:data"],
  })
    .then((j) => j); // a well-formed token for another check below
  const before = env.seen.length;
  // An issuer that is not a domain name (here smuggling a path) is refused before any fetch.
  const [h, , s] = evil.split(".");
  const payload = { ...decodeCredential(evil).payload, iss: "example.com/evil?x=" };
  const b64 = btoa(JSON.stringify(payload)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
  const r = await verifyCredential(`${h}.${b64}.${s}`, { fetch: env.fetch });
  assertEquals(r.error_code, "DISCOVERY_FETCH_FAILED");
  assertEquals(env.seen.length, before);
  // Unreachable host (the injected fetch rejects) -> DISCOVERY_FETCH_FAILED.
  const other = await issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid: keys.kid,
    issuer: "other.example",
    agentId: AGENT,
    capabilities: ["read:data"],
  });
  assertEquals(
    (await verifyCredential(other, { fetch: env.fetch })).error_code,
    "DISCOVERY_FETCH_FAILED",
  );
});

test("agentpin: discovery URL builder and fetchDiscoveryDocument refuse non-domains; client uses its fetch", async (t) => {
  assertEquals(discoveryUrl("example.com"), "https://example.com/.well-known/agent-identity.json");
  for (
    const bad of [
      "http://example.com",
      "example.com:8080",
      "user@example.com",
      "Example.COM",
      "a/b",
      "",
    ]
  ) {
    const e = assertThrows(() => discoveryUrl(bad), AgentPinError);
    assertEquals(e.code, "INVALID_ARGUMENT");
    assertEquals(
      (await assertRejects(() => fetchDiscoveryDocument(bad), AgentPinError)).code,
      "DISCOVERY_FETCH_FAILED",
    );
  }
  const { discovery, jwt } = await keysAndDoc(null);
  const env = await setup(t, {
    "/.well-known/agent-identity.json": () => Response.json(discovery),
  });
  const client = new AgentPinClient({ fetch: env.fetch });
  assertEquals((await client.fetchDiscoveryDocument("example.com")).entity, "example.com");
  const first = await client.verifyCredential(jwt);
  const second = await client.verifyCredential(jwt);
  assertEquals([first.valid, first.key_pinning?.status, second.key_pinning?.status], [
    true,
    "first_use",
    "pinned",
  ]);
});
