/**
 * `symbiont agentpin ...`: keys, key ids, discovery documents, credentials (issue, verify offline,
 * online and from a bundle) and trust bundles. Private keys are written to files with mode 0600 and
 * never printed.
 *
 * @module
 */
import {
  addDiscoveryToBundle,
  addRevocationToBundle,
  buildDiscoveryDocument,
  createTrustBundle,
  decodeCredential,
  type DiscoveryDocument,
  generateKeyId,
  generateKeyPair,
  issueCredential,
  KeyPinStore,
  loadTrustBundle,
  pemToJwk,
  type RevocationDocument,
  saveTrustBundle,
  validateDiscoveryDocument,
  validateRevocationDocument,
  type VerificationResult,
  verifyCredential,
  verifyCredentialOffline,
  verifyCredentialWithBundle,
} from "../agentpin/mod.ts";
import { FsStorage } from "../memory/fs_storage.ts";
import { CliError, type CommandContext, type CommandGroup, UsageError } from "./_framework.ts";
import {
  arg,
  jsonFile,
  list,
  noExtra,
  numberFlag,
  readText,
  required,
  textArg,
  writeText,
} from "./_input.ts";

const PERMS_FILES = "--allow-read --allow-write";

async function credentialArg(ctx: CommandContext): Promise<string> {
  const raw = (await textArg(ctx, arg(ctx, 0, "credential|@file|-"))).trim();
  if (raw.split(".").length !== 3) {
    throw new UsageError(
      "the credential must be a compact JWT (header.payload.signature), @file or -",
    );
  }
  return raw;
}

function outcome(result: VerificationResult): VerificationResult {
  if (!result.valid) {
    throw new CliError(
      `credential rejected: ${result.error_message ?? "invalid"}`,
      result.error_code ?? "INVALID",
      result,
    );
  }
  return result;
}

function renderResult(value: unknown): string {
  const r = value as VerificationResult;
  return [
    `valid: ${r.valid}`,
    `agent: ${r.agent_id}`,
    `issuer: ${r.issuer}`,
    `capabilities: ${(r.capabilities ?? []).join(", ")}`,
    `key pinning: ${r.key_pinning?.status ?? "-"}`,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join("\n");
}

function pinStore(ctx: CommandContext): KeyPinStore {
  const dir = ctx.flags.pins as string | undefined;
  return dir ? new KeyPinStore({ storage: new FsStorage(dir) }) : new KeyPinStore();
}

const VERIFY_FLAGS = {
  audience: { type: "string", description: "your domain; checked against the credential's aud" },
  pins: { type: "string", description: "folder keeping TOFU key pins between runs" },
} as const;

/** The `agentpin` command group. */
export const agentpinCommands: CommandGroup = {
  summary:
    "AgentPin identity: keygen, kid, discovery, issue, verify (offline, online, bundle), bundle",
  commands: {
    keygen: {
      summary:
        "generate an ECDSA P-256 key pair: PREFIX.private.pem (0600), PREFIX.public.pem, PREFIX.jwk.json",
      usage: "--out PREFIX",
      flags: { out: { type: "string", description: "path prefix of the three files" } },
      examples: ["symbiont agentpin keygen --out keys/issuer"],
      permissions: PERMS_FILES,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const prefix = required(ctx.flags, "out");
        const keys = await generateKeyPair();
        await writeText(`${prefix}.private.pem`, keys.privateKeyPem, 0o600);
        await writeText(`${prefix}.public.pem`, keys.publicKeyPem);
        await writeText(`${prefix}.jwk.json`, JSON.stringify(keys.publicKeyJwk, null, 2) + "\n");
        return {
          kid: keys.kid,
          privateKey: `${prefix}.private.pem`,
          publicKey: `${prefix}.public.pem`,
          jwk: `${prefix}.jwk.json`,
        };
      },
    },
    kid: {
      summary: "print the key id (hex SHA-256 of the DER public key) of a public key PEM",
      usage: "<public.pem>",
      examples: ["symbiont agentpin kid keys/issuer.public.pem"],
      permissions: "--allow-read",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const pem = await readText(arg(ctx, 0, "public.pem"), "public key");
        return { kid: await generateKeyId(pem) };
      },
      human: (v) => (v as { kid: string }).kid,
    },
    discovery: {
      summary: "build a discovery document (.well-known/agent-identity.json) for one agent",
      usage: "--entity DOMAIN --public-key PEM --agent-id URN --capability C ... [--out FILE]",
      flags: {
        entity: { type: "string", description: "the issuer's domain" },
        "public-key": { type: "string", description: "public key PEM file" },
        "agent-id": { type: "string", description: "urn:agentpin:<domain>:<name>" },
        name: { type: "string", description: "the agent's display name (default: from the id)" },
        capability: { type: "string", multiple: true, description: "a declared capability" },
        out: { type: "string", description: "write the document here instead of stdout" },
      },
      examples: [
        "symbiont agentpin discovery --entity example.com --public-key keys/issuer.public.pem --agent-id urn:agentpin:example.com:analyzer --capability 'read:*' --out agent-identity.json",
      ],
      permissions: PERMS_FILES,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const pem = await readText(required(ctx.flags, "public-key"), "public key");
        const agentId = required(ctx.flags, "agent-id");
        const capabilities = list(ctx.flags.capability);
        if (!capabilities.length) throw new UsageError("--capability is required (at least one)");
        const jwk = await pemToJwk(pem, await generateKeyId(pem));
        const doc = buildDiscoveryDocument({
          entity: required(ctx.flags, "entity"),
          publicKeys: [jwk],
          agents: [{
            agent_id: agentId,
            name: (ctx.flags.name as string | undefined) ?? agentId.split(":").pop() ?? agentId,
            capabilities,
          }],
        });
        if (ctx.flags.out) {
          await writeText(ctx.flags.out as string, JSON.stringify(doc, null, 2) + "\n");
          return { written: ctx.flags.out, entity: doc.entity, agents: doc.agents.length };
        }
        return doc;
      },
    },
    issue: {
      summary: "issue a credential (compact ES256 JWT) signed with a private key",
      usage:
        "--key PRIVATE.pem --kid KID --issuer DOMAIN --agent-id URN --capability C ... [--ttl S]",
      flags: {
        key: { type: "string", description: "private key PEM file" },
        kid: { type: "string", description: "key id (default: computed from --public-key)" },
        "public-key": { type: "string", description: "public key PEM file, to compute the kid" },
        issuer: { type: "string", description: "issuer domain (iss)" },
        "agent-id": { type: "string", description: "agent id (sub)" },
        capability: { type: "string", multiple: true, description: "a granted capability" },
        ttl: { type: "string", description: "lifetime in seconds (default 3600, at most 86400)" },
        audience: { type: "string", description: "verifier domain (aud)" },
        out: { type: "string", description: "write the credential here instead of stdout" },
      },
      examples: [
        "symbiont agentpin issue --key keys/issuer.private.pem --public-key keys/issuer.public.pem --issuer example.com --agent-id urn:agentpin:example.com:analyzer --capability read:data --ttl 600 --out cred.jwt",
      ],
      permissions: PERMS_FILES,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const privateKeyPem = await readText(required(ctx.flags, "key"), "private key");
        let kid = ctx.flags.kid as string | undefined;
        if (!kid) {
          if (!ctx.flags["public-key"]) throw new UsageError("give --kid or --public-key");
          kid = await generateKeyId(
            await readText(ctx.flags["public-key"] as string, "public key"),
          );
        }
        const capabilities = list(ctx.flags.capability);
        if (!capabilities.length) throw new UsageError("--capability is required (at least one)");
        const jwt = await issueCredential({
          privateKeyPem,
          kid,
          issuer: required(ctx.flags, "issuer"),
          agentId: required(ctx.flags, "agent-id"),
          capabilities,
          ttlSecs: numberFlag(ctx.flags, "ttl", 3600, true),
          ...(ctx.flags.audience ? { audience: ctx.flags.audience as string } : {}),
        });
        const { payload } = decodeCredential(jwt);
        if (ctx.flags.out) {
          await writeText(ctx.flags.out as string, jwt + "\n", 0o600);
          return { written: ctx.flags.out, jti: payload.jti, exp: payload.exp };
        }
        return ctx.json ? { credential: jwt, jti: payload.jti, exp: payload.exp } : jwt;
      },
      human: (
        v,
      ) => (typeof v === "string"
        ? v
        : `credential written to ${(v as { written: string }).written}`),
    },
    verify: {
      summary:
        "verify a credential: offline (--discovery FILE), from a trust bundle (--bundle FILE), or online (fetches https://<issuer>/.well-known/agent-identity.json)",
      usage: "<credential|@file|-> [--discovery FILE [--revocation FILE] | --bundle FILE]",
      flags: {
        discovery: { type: "string", description: "the issuer's discovery document (offline)" },
        revocation: { type: "string", description: "the issuer's revocation document (offline)" },
        bundle: { type: "string", description: "a trust bundle file" },
        ...VERIFY_FLAGS,
      },
      examples: [
        "symbiont agentpin verify @cred.jwt --discovery agent-identity.json",
        "symbiont agentpin verify @cred.jwt --bundle trust-bundle.json --json",
        "symbiont agentpin verify @cred.jwt --pins ~/.symbiont/pins",
      ],
      permissions: "--allow-read (--allow-net for online, --allow-write with --pins)",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const jwt = await credentialArg(ctx);
        const options = {
          pinStore: pinStore(ctx),
          ...(ctx.flags.audience ? { audience: ctx.flags.audience as string } : {}),
        };
        if (ctx.flags.bundle && ctx.flags.discovery) {
          throw new UsageError("give --discovery or --bundle, not both");
        }
        if (ctx.flags.revocation && !ctx.flags.discovery) {
          throw new UsageError("--revocation goes with --discovery");
        }
        if (ctx.flags.bundle) {
          const bundle = loadTrustBundle(
            await readText(ctx.flags.bundle as string, "trust bundle"),
          );
          return outcome(await verifyCredentialWithBundle(jwt, bundle, options));
        }
        if (ctx.flags.discovery) {
          const discovery = await jsonFile(ctx.flags.discovery as string, "discovery document");
          const revocation = ctx.flags.revocation
            ? validateRevocationDocument(
              await jsonFile(ctx.flags.revocation as string, "revocation document"),
            )
            : null;
          return outcome(await verifyCredentialOffline(jwt, discovery, revocation, options));
        }
        return outcome(await verifyCredential(jwt, options));
      },
      human: renderResult,
    },
    bundle: {
      summary: "build a trust bundle from discovery (and revocation) documents",
      usage: "--discovery FILE ... [--revocation FILE ...] --out FILE",
      flags: {
        discovery: { type: "string", multiple: true, description: "a discovery document" },
        revocation: { type: "string", multiple: true, description: "a revocation document" },
        out: { type: "string", description: "the bundle file to write" },
      },
      examples: [
        "symbiont agentpin bundle --discovery example.com.json --discovery partner.io.json --out trust-bundle.json",
      ],
      permissions: PERMS_FILES,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const out = required(ctx.flags, "out");
        const discoveries = list(ctx.flags.discovery);
        if (!discoveries.length) throw new UsageError("--discovery is required (at least one)");
        const bundle = createTrustBundle();
        const domains: string[] = [];
        for (const file of discoveries) {
          const raw = await jsonFile(file, "discovery document") as { entity?: unknown };
          const doc: DiscoveryDocument = validateDiscoveryDocument(raw, String(raw?.entity ?? ""));
          addDiscoveryToBundle(bundle, doc);
          domains.push(doc.entity);
        }
        for (const file of list(ctx.flags.revocation)) {
          const doc: RevocationDocument = validateRevocationDocument(
            await jsonFile(file, "revocation document"),
          );
          addRevocationToBundle(bundle, doc);
        }
        await writeText(out, saveTrustBundle(bundle) + "\n");
        return { written: out, domains, revocations: list(ctx.flags.revocation).length };
      },
    },
  },
};
