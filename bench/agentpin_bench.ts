// AgentPin issue and offline verification against jose (baseline), in one run:
//
//   .cache/bin/deno bench -A bench/agentpin_bench.ts       # Deno.bench groups
//   .cache/bin/node bench/agentpin_bench.ts                 # same pairs, simple timer
//   .cache/bin/bun bench/agentpin_bench.ts
//
// Budget (README): no slower than jose for either operation. jose signs/verifies a standard ES256
// JWT with a pre-imported CryptoKey; we issue/verify an AgentPin credential (DER signature by
// default, which we convert to/from raw r||s) with a pre-imported signing key and, for verify,
// the module's cached verification key, running all 12 steps (discovery, revocation document,
// agent, capabilities, constraints, in-memory TOFU pin, audience).
//
// Each iteration runs BATCH operations concurrently (WebCrypto runs on worker threads; single
// operations mostly measure thread wake-up on a shared machine). time/iter / BATCH = one op.
import * as jose from "jose";
import {
  addRevokedCredential,
  buildDiscoveryDocument,
  buildRevocationDocument,
  generateKeyPair,
  importPrivateKey,
  issueCredential,
  KeyPinStore,
  verifyCredentialOffline,
} from "../agentpin/mod.ts";

const BATCH = 32;
const ISSUER = "example.com";
const AGENT = "urn:agentpin:example.com:data-analyzer";
const CAPS = ["read:data", "write:reports"];

const keys = await generateKeyPair();
const signingKey = await importPrivateKey(keys.privateKeyPem);
const joseSigningKey = await jose.importPKCS8(keys.privateKeyPem, "ES256");
const joseVerifyKey = await jose.importJWK({ ...keys.publicKeyJwk }, "ES256");
const discovery = buildDiscoveryDocument({
  entity: ISSUER,
  publicKeys: [keys.publicKeyJwk],
  agents: [{ agent_id: AGENT, name: "Data analyzer", capabilities: ["read:*", "write:reports"] }],
});
const revocation = buildRevocationDocument(ISSUER);
addRevokedCredential(revocation, "00000000-0000-4000-8000-000000000000", "superseded");
const pinStore = new KeyPinStore();

const ours = (signatureFormat: "der" | "raw") => () =>
  issueCredential({
    privateKey: signingKey,
    kid: keys.kid,
    issuer: ISSUER,
    agentId: AGENT,
    capabilities: CAPS,
    ttlSecs: 3600,
    audience: "verifier.example",
    signatureFormat,
  });
const joseIssue = () =>
  new jose.SignJWT({ jti: crypto.randomUUID(), agentpin_version: "0.1", capabilities: CAPS })
    .setProtectedHeader({ alg: "ES256", typ: "agentpin-credential+jwt", kid: keys.kid })
    .setIssuer(ISSUER)
    .setSubject(AGENT)
    .setAudience("verifier.example")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(joseSigningKey);

const derToken = await ours("der")();
const rawToken = await ours("raw")();
const joseToken = await joseIssue();
const opts = { pinStore, audience: "verifier.example" };
const verifyOurs = (jwt: string) => async () => {
  const r = await verifyCredentialOffline(jwt, discovery, revocation, opts);
  if (!r.valid) throw new Error(r.error_message ?? "invalid");
};
const verifyJose = async () => {
  await jose.jwtVerify(joseToken, joseVerifyKey, {
    typ: "agentpin-credential+jwt",
    issuer: ISSUER,
    audience: "verifier.example",
    clockTolerance: 60,
  });
};
await verifyOurs(derToken)(); // warms the key cache and pins the key
await verifyOurs(rawToken)();
await verifyJose();

function batch(fn: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    const runs: Promise<unknown>[] = [];
    for (let i = 0; i < BATCH; i++) runs.push(fn());
    await Promise.all(runs);
  };
}

const cases: { name: string; group: string; baseline?: boolean; fn: () => Promise<void> }[] = [
  { name: `jose SignJWT ES256 (x${BATCH})`, group: "issue", baseline: true, fn: batch(joseIssue) },
  { name: `agentpin issueCredential, DER (x${BATCH})`, group: "issue", fn: batch(ours("der")) },
  { name: `agentpin issueCredential, raw (x${BATCH})`, group: "issue", fn: batch(ours("raw")) },
  {
    name: `jose jwtVerify ES256, CryptoKey (x${BATCH})`,
    group: "verify-offline",
    baseline: true,
    fn: batch(verifyJose),
  },
  {
    name: `agentpin verifyCredentialOffline, DER (x${BATCH})`,
    group: "verify-offline",
    fn: batch(verifyOurs(derToken)),
  },
  {
    name: `agentpin verifyCredentialOffline, raw (x${BATCH})`,
    group: "verify-offline",
    fn: batch(verifyOurs(rawToken)),
  },
];

const g = globalThis as {
  Deno?: {
    bench(
      options: { name: string; group: string; baseline?: boolean; fn: () => Promise<void> },
    ): void;
  };
};
if (g.Deno) {
  for (const c of cases) {
    g.Deno.bench({ name: c.name, group: c.group, baseline: c.baseline ?? false, fn: c.fn });
  }
} else {
  // Node / Bun: alternate the cases in rounds and report the median time per operation.
  const rounds = 15;
  const itersPerRound = 20;
  const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (const c of cases) for (let i = 0; i < 5; i++) await c.fn(); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const c of cases) {
      const start = performance.now();
      for (let i = 0; i < itersPerRound; i++) await c.fn();
      samples.get(c.name)!.push(((performance.now() - start) * 1000) / (itersPerRound * BATCH));
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  let base = 0;
  for (const c of cases) {
    const us = median(samples.get(c.name)!);
    if (c.baseline) base = us;
    // deno-lint-ignore no-console
    console.log(
      `${c.group.padEnd(15)} ${c.name.padEnd(48)} ${us.toFixed(1).padStart(7)} µs/op  ${
        c.baseline ? "baseline" : `${(us / base).toFixed(2)}x jose`
      }`,
    );
  }
}
