/**
 * AgentPin credential verification: the reference's 12 steps, offline (documents given), online
 * (discovery and revocation fetched over HTTPS) and from a trust bundle.
 *
 * @module
 */
import { utf8 } from "./_base64.ts";
import { derToRaw } from "./_der.ts";
import { isDomain } from "./_domain.ts";
import { fetchJson } from "./_fetch.ts";
import { capabilitiesSubset } from "./capability.ts";
import { constraintsSubsetOf } from "./constraint.ts";
import {
  decodeCredential,
  type DecodedCredential,
  DEFAULT_MAX_TOKEN_LENGTH,
  MAX_CREDENTIAL_TTL_SECS,
} from "./credential.ts";
import { discoveryUrl, type FetchDocumentOptions, validateDiscoveryDocument } from "./discovery.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import { cachedVerifyKey } from "./keys.ts";
import { KeyPinStore } from "./pinning.ts";
import { checkRevocation, validateRevocationDocument } from "./revocation.ts";
import type { Constraints, DiscoveryDocument, RevocationDocument, TrustBundle } from "./types.ts";

/**
 * Verification settings (the reference's `VerifierConfig`, camelCase).
 *
 * @example Usage
 * ```ts
 * import type { VerifyOptions } from "@symbiont/sdk/agentpin";
 * const options: VerifyOptions = { audience: "verifier.example", clockSkewSecs: 30 };
 * ```
 */
export interface VerifyOptions {
  /** The verifier's domain; checked against `aud` when the credential has one. */
  audience?: string;
  /** Allowed clock difference in seconds. Default 60. */
  clockSkewSecs?: number;
  /** Longest accepted lifetime `exp - iat`, 1..86400 seconds. Default 86400. */
  maxTtlSecs?: number;
  /**
   * The TOFU pin store. Default: one process-wide in-memory store ({@link defaultPinStore}).
   * `null` skips step 11 (`key_pinning.status` is then `unknown`).
   */
  pinStore?: KeyPinStore | null;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
  /** Longest accepted compact token. Default 16384 characters. */
  maxTokenLength?: number;
  /**
   * Also reject a lifetime over the agent's `credential_ttl_max` (the spec requires it; the
   * reference packages skip it). Default true.
   */
  enforceAgentTtlMax?: boolean;
}

/**
 * Options of online verification: {@link VerifyOptions} plus the fetch limits.
 *
 * @example Usage
 * ```ts
 * import type { OnlineVerifyOptions } from "@symbiont/sdk/agentpin";
 * const options: OnlineVerifyOptions = { timeoutMs: 5000, maxBytes: 65536 };
 * ```
 */
export interface OnlineVerifyOptions extends VerifyOptions, FetchDocumentOptions {}

/**
 * Pinning outcome in a result: `first_use`, `pinned` (matched an existing pin) or `unknown`
 * (pinning skipped).
 *
 * @example Usage
 * ```ts
 * import type { KeyPinningStatus } from "@symbiont/sdk/agentpin";
 * const s: KeyPinningStatus = { status: "pinned", first_seen: "2026-01-01T00:00:00.000Z" };
 * ```
 */
export interface KeyPinningStatus {
  /** `first_use`, `pinned` or `unknown`. */
  status: "first_use" | "pinned" | "unknown";
  /** When the key was first pinned. */
  first_seen: string | null;
}

/**
 * A delegation chain entry as reported in a result.
 *
 * @example Usage
 * ```ts
 * import type { DelegationEntryStatus } from "@symbiont/sdk/agentpin";
 * const e: DelegationEntryStatus = { domain: "maker.com", role: "maker", verified: false };
 * ```
 */
export interface DelegationEntryStatus {
  /** Attesting domain. */
  domain: string;
  /** `maker` or `deployer`. */
  role: string;
  /** Always false: chains are not verified (as in the reference). */
  verified: boolean;
}

/** The fields of a {@link VerificationResult}. */
export interface VerificationResultFields {
  /** Whether every step passed. */
  valid: boolean;
  /** `sub` of a valid credential. */
  agent_id: string | null;
  /** `iss` of a valid credential. */
  issuer: string | null;
  /** Granted capabilities. */
  capabilities: string[] | null;
  /** Credential constraints. */
  constraints: Constraints | null;
  /** `false` when a chain is present (not verified), else `null`. */
  delegation_verified: boolean | null;
  /** Chain entries, when present. */
  delegation_chain: DelegationEntryStatus[] | null;
  /** Step 11 outcome. */
  key_pinning: KeyPinningStatus | null;
  /** One of the 18 spec codes when invalid. */
  error_code: ErrorCode | null;
  /** What failed, without secrets. */
  error_message: string | null;
  /** Non-fatal notes. */
  warnings: string[];
}

/**
 * The outcome of a verification, with the reference packages' field names (snake_case, so the
 * JSON is identical) and camelCase getters: `agentId` = `agent_id`, `errorCode` = `error_code`,
 * `errorMessage` = `error_message`, `keyPinning` = `key_pinning`, `delegationVerified` =
 * `delegation_verified`, `delegationChain` = `delegation_chain`. `orThrow()` turns a failure into
 * a typed {@link AgentPinError}.
 *
 * @example Usage
 * ```ts ignore
 * const result = await verifyCredentialOffline(jwt, discovery);
 * if (result.valid) console.log(result.agentId, result.capabilities);
 * else console.log(result.errorCode, result.errorMessage);
 * ```
 */
export class VerificationResult implements VerificationResultFields {
  /** Whether every step passed. */
  valid: boolean;
  /** `sub` of a valid credential. */
  agent_id: string | null;
  /** `iss` of a valid credential. */
  issuer: string | null;
  /** Granted capabilities. */
  capabilities: string[] | null;
  /** Credential constraints. */
  constraints: Constraints | null;
  /** `false` when a chain is present (not verified), else `null`. */
  delegation_verified: boolean | null;
  /** Chain entries, when present. */
  delegation_chain: DelegationEntryStatus[] | null;
  /** Step 11 outcome. */
  key_pinning: KeyPinningStatus | null;
  /** One of the 18 spec codes when invalid. */
  error_code: ErrorCode | null;
  /** What failed, without secrets. */
  error_message: string | null;
  /** Non-fatal notes. */
  warnings: string[];

  /**
   * Wraps result fields.
   *
   * @param fields All fields.
   */
  constructor(fields: VerificationResultFields) {
    this.valid = fields.valid;
    this.agent_id = fields.agent_id;
    this.issuer = fields.issuer;
    this.capabilities = fields.capabilities;
    this.constraints = fields.constraints;
    this.delegation_verified = fields.delegation_verified;
    this.delegation_chain = fields.delegation_chain;
    this.key_pinning = fields.key_pinning;
    this.error_code = fields.error_code;
    this.error_message = fields.error_message;
    this.warnings = fields.warnings;
  }

  /** `agent_id`. */
  get agentId(): string | null {
    return this.agent_id;
  }
  /** `error_code`. */
  get errorCode(): ErrorCode | null {
    return this.error_code;
  }
  /** `error_message`. */
  get errorMessage(): string | null {
    return this.error_message;
  }
  /** `key_pinning`. */
  get keyPinning(): KeyPinningStatus | null {
    return this.key_pinning;
  }
  /** `delegation_verified`. */
  get delegationVerified(): boolean | null {
    return this.delegation_verified;
  }
  /** `delegation_chain`. */
  get delegationChain(): DelegationEntryStatus[] | null {
    return this.delegation_chain;
  }

  /**
   * Returns this result when valid, else throws.
   *
   * @returns This result.
   * @throws {AgentPinError} With the result's `error_code` and `error_message`.
   *
   * @example Usage
   * ```ts ignore
   * const { agent_id } = (await client.verifyCredential(jwt)).orThrow();
   * ```
   */
  orThrow(): this {
    if (!this.valid) {
      throw new AgentPinError(
        this.error_code ?? ErrorCode.SIGNATURE_INVALID,
        this.error_message ?? "invalid credential",
      );
    }
    return this;
  }
}

function failure(code: ErrorCode, message: string): VerificationResult {
  return new VerificationResult({
    valid: false,
    agent_id: null,
    issuer: null,
    capabilities: null,
    constraints: null,
    delegation_verified: null,
    delegation_chain: null,
    key_pinning: null,
    error_code: code,
    error_message: message,
    warnings: [],
  });
}

let sharedPinStore: KeyPinStore | undefined;

/**
 * The process-wide in-memory pin store used when a verification is given no `pinStore`.
 *
 * @returns The shared store.
 *
 * @example Usage
 * ```ts
 * import { defaultPinStore } from "@symbiont/sdk/agentpin";
 * console.log(await defaultPinStore().toJson());
 * ```
 */
export function defaultPinStore(): KeyPinStore {
  return sharedPinStore ??= new KeyPinStore();
}

function checkOptions(options: VerifyOptions): { skew: number; maxTtl: number } {
  const skew = options.clockSkewSecs ?? 60;
  const maxTtl = options.maxTtlSecs ?? MAX_CREDENTIAL_TTL_SECS;
  if (!Number.isFinite(skew) || skew < 0 || skew > 3600) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      "clockSkewSecs must be a number from 0 to 3600",
    );
  }
  if (!Number.isFinite(maxTtl) || maxTtl < 1 || maxTtl > MAX_CREDENTIAL_TTL_SECS) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      "maxTtlSecs must be a number from 1 to 86400",
    );
  }
  return { skew, maxTtl };
}

const ECDSA = { name: "ECDSA", hash: "SHA-256" } as const;

async function signatureValid(
  key: CryptoKey,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<boolean> {
  const verify = (sig: Uint8Array) =>
    crypto.subtle.verify(ECDSA, key, sig as BufferSource, data as BufferSource);
  if (signature.length === 64) {
    if (await verify(signature)) return true;
  }
  if (signature[0] === 0x30) {
    const raw = derToRaw(signature);
    if (raw) return await verify(raw);
  }
  return false;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function verifyDecoded(
  decoded: DecodedCredential,
  discovery: unknown,
  revocation: unknown,
  options: VerifyOptions,
): Promise<VerificationResult> {
  const { skew, maxTtl } = checkOptions(options);
  const { header, payload } = decoded;
  const nowMs = (options.clock ?? Date.now)();
  const now = Math.floor(nowMs / 1000);

  // Step 2: temporal validity.
  if (payload.iat > now + skew) {
    return failure(ErrorCode.CREDENTIAL_EXPIRED, "credential issued in the future");
  }
  if (payload.exp <= now - skew) {
    return failure(ErrorCode.CREDENTIAL_EXPIRED, "credential has expired");
  }
  if (payload.nbf !== undefined && payload.nbf !== null && payload.nbf > now + skew) {
    return failure(ErrorCode.CREDENTIAL_EXPIRED, "credential not yet valid (nbf)");
  }
  const lifetime = payload.exp - payload.iat;
  if (lifetime <= 0) {
    return failure(ErrorCode.CREDENTIAL_EXPIRED, "credential exp is not after iat");
  }
  if (lifetime > maxTtl) {
    return failure(
      ErrorCode.CREDENTIAL_EXPIRED,
      `credential lifetime ${lifetime} s exceeds max TTL ${maxTtl} s`,
    );
  }

  // Step 3: discovery document for the issuer.
  let doc: DiscoveryDocument;
  try {
    doc = validateDiscoveryDocument(discovery, payload.iss);
  } catch (error) {
    return failure(ErrorCode.DISCOVERY_INVALID, `discovery validation failed: ${message(error)}`);
  }

  // Step 4: the key.
  const jwk = doc.public_keys.find((k) => k.kid === header.kid);
  if (!jwk) {
    return failure(ErrorCode.KEY_NOT_FOUND, `key '${header.kid}' not found in discovery document`);
  }
  if (jwk.exp !== undefined && jwk.exp !== null) {
    const expMs = typeof jwk.exp === "string" ? Date.parse(jwk.exp) : NaN;
    if (Number.isNaN(expMs)) {
      return failure(ErrorCode.KEY_EXPIRED, `key '${header.kid}' has an unreadable exp`);
    }
    if (expMs / 1000 < now - skew) {
      return failure(ErrorCode.KEY_EXPIRED, `key '${header.kid}' has expired`);
    }
  }
  let cached: { key: CryptoKey; thumbprint: string };
  try {
    cached = await cachedVerifyKey(jwk);
  } catch (error) {
    return failure(
      ErrorCode.KEY_NOT_FOUND,
      `invalid key format for '${header.kid}': ${message(error)}`,
    );
  }

  // Step 5: signature (DER as the reference emits, or raw r||s as JOSE does).
  if (!(await signatureValid(cached.key, decoded.signature, utf8(decoded.signingInput)))) {
    return failure(
      ErrorCode.SIGNATURE_INVALID,
      `signature verification failed for kid '${header.kid}'`,
    );
  }

  // Step 6: revocation.
  if (revocation !== undefined && revocation !== null) {
    let rev: RevocationDocument;
    try {
      rev = validateRevocationDocument(revocation, payload.iss);
    } catch (error) {
      return failure(ErrorCode.DISCOVERY_INVALID, message(error));
    }
    try {
      checkRevocation(rev, payload.jti, payload.sub, header.kid);
    } catch (error) {
      return failure((error as AgentPinError).code ?? ErrorCode.CREDENTIAL_REVOKED, message(error));
    }
  }

  // Step 7: the agent.
  const agent = doc.agents.find((a) => a.agent_id === payload.sub);
  if (!agent) {
    return failure(
      ErrorCode.AGENT_NOT_FOUND,
      `agent '${payload.sub}' not found in discovery document`,
    );
  }
  if (agent.status !== "active") {
    return failure(
      ErrorCode.AGENT_INACTIVE,
      `agent '${payload.sub}' status is ${String(agent.status)}`,
    );
  }
  if (
    options.enforceAgentTtlMax !== false && typeof agent.credential_ttl_max === "number" &&
    lifetime > agent.credential_ttl_max
  ) {
    return failure(
      ErrorCode.CREDENTIAL_EXPIRED,
      `credential lifetime ${lifetime} s exceeds the agent's credential_ttl_max ${agent.credential_ttl_max} s`,
    );
  }

  // Step 8: capabilities.
  const declared = Array.isArray(agent.capabilities)
    ? agent.capabilities.filter((c) => typeof c === "string")
    : [];
  if (!capabilitiesSubset(declared, payload.capabilities)) {
    return failure(
      ErrorCode.CAPABILITY_EXCEEDED,
      "credential capabilities exceed discovery document",
    );
  }

  // Step 9: constraints.
  if (!constraintsSubsetOf(agent.constraints, payload.constraints)) {
    return failure(
      ErrorCode.CONSTRAINT_VIOLATION,
      "credential constraints are less restrictive than discovery defaults",
    );
  }

  // Step 10: delegation chain (reported, not verified, as in the reference).
  const result = new VerificationResult({
    valid: true,
    agent_id: payload.sub,
    issuer: payload.iss,
    capabilities: payload.capabilities,
    constraints: payload.constraints ?? null,
    delegation_verified: null,
    delegation_chain: null,
    key_pinning: { status: "unknown", first_seen: null },
    error_code: null,
    error_message: null,
    warnings: [],
  });
  if (Array.isArray(payload.delegation_chain)) {
    result.delegation_chain = payload.delegation_chain.map((a) => ({
      domain: String(a?.domain),
      role: String(a?.role),
      verified: false,
    }));
    result.delegation_verified = false;
    result.warnings.push("Delegation chain present but not verified in offline mode");
  }

  // Step 11: TOFU pinning by issuer domain.
  const store = options.pinStore === undefined ? defaultPinStore() : options.pinStore;
  if (store) {
    const pin = await store.checkPin(payload.iss, header.kid, cached.thumbprint);
    if (pin.result === "changed") {
      return failure(
        ErrorCode.KEY_PIN_MISMATCH,
        `key for '${payload.iss}' has changed since last pinned`,
      );
    }
    result.key_pinning = {
      status: pin.result === "first_use" ? "first_use" : "pinned",
      first_seen: pin.first_seen,
    };
  }

  // Step 12: audience, when both sides have one.
  if (options.audience && payload.aud) {
    if (payload.aud !== "*" && payload.aud !== options.audience) {
      return failure(
        ErrorCode.AUDIENCE_MISMATCH,
        `credential audience '${payload.aud}' does not match verifier '${options.audience}'`,
      );
    }
  }
  return result;
}

function decode(jwt: string, options: VerifyOptions): DecodedCredential | VerificationResult {
  try {
    return decodeCredential(jwt, options.maxTokenLength ?? DEFAULT_MAX_TOKEN_LENGTH);
  } catch (error) {
    return failure(ErrorCode.ALGORITHM_REJECTED, `JWT parse failed: ${message(error)}`);
  }
}

/**
 * Verifies a credential against documents the caller supplies (no network): the reference's 12
 * steps in its order, with its error codes. Never throws for a bad credential: the result says
 * why (`error_code`). Throws only for invalid options.
 *
 * @param jwt The compact credential.
 * @param discovery The issuer's discovery document.
 * @param revocation The issuer's revocation document, if any.
 * @param options Audience, clock skew, max TTL, pin store, clock.
 * @returns The result.
 * @throws {AgentPinError} `INVALID_ARGUMENT` for invalid options.
 *
 * @example Usage
 * ```ts
 * import {
 *   buildDiscoveryDocument, generateKeyPair, issueCredential, KeyPinStore, verifyCredentialOffline,
 * } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const agentId = "urn:agentpin:example.com:bot";
 * const discovery = buildDiscoveryDocument({
 *   entity: "example.com",
 *   publicKeys: [keys.publicKeyJwk],
 *   agents: [{ agent_id: agentId, name: "Bot", capabilities: ["read:*"] }],
 * });
 * const jwt = await issueCredential({
 *   privateKeyPem: keys.privateKeyPem, kid: keys.kid, issuer: "example.com", agentId,
 *   capabilities: ["read:data"],
 * });
 * const result = await verifyCredentialOffline(jwt, discovery, null, { pinStore: new KeyPinStore() });
 * console.log(result.valid, result.agent_id); // true urn:agentpin:example.com:bot
 * ```
 */
export async function verifyCredentialOffline(
  jwt: string,
  discovery: DiscoveryDocument | unknown,
  revocation?: RevocationDocument | null,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  checkOptions(options);
  const decoded = decode(jwt, options);
  if (decoded instanceof VerificationResult) return decoded;
  return await verifyDecoded(decoded, discovery, revocation, options);
}

/**
 * Verifies a credential online: fetches `https://{iss}/.well-known/agent-identity.json` (HTTPS
 * only, redirects refused, timeout, size limit, injectable `fetch`), then the discovery's
 * `revocation_endpoint` when it has one (fail-closed: an unreachable revocation document fails
 * the verification), then runs the offline steps.
 *
 * Any failure to fetch gives `DISCOVERY_FETCH_FAILED`; a fetched document that does not validate
 * gives `DISCOVERY_INVALID` at step 3.
 *
 * @param jwt The compact credential.
 * @param options Verification options plus fetch limits.
 * @returns The result.
 * @throws {AgentPinError} `INVALID_ARGUMENT` for invalid options.
 *
 * @example Usage
 * ```ts ignore
 * import { verifyCredential } from "@symbiont/sdk/agentpin";
 * const result = await verifyCredential(jwt, { audience: "verifier.example" });
 * if (!result.valid) console.log(result.error_code);
 * ```
 */
export async function verifyCredential(
  jwt: string,
  options: OnlineVerifyOptions = {},
): Promise<VerificationResult> {
  checkOptions(options);
  const decoded = decode(jwt, options);
  if (decoded instanceof VerificationResult) return decoded;
  const iss = decoded.payload.iss;
  if (!isDomain(iss)) {
    return failure(
      ErrorCode.DISCOVERY_FETCH_FAILED,
      "the issuer is not a domain name; nothing to fetch",
    );
  }
  let discovery: unknown;
  try {
    discovery = await fetchJson(discoveryUrl(iss), options);
  } catch (error) {
    return failure(
      ErrorCode.DISCOVERY_FETCH_FAILED,
      `failed to fetch discovery document: ${message(error)}`,
    );
  }
  let revocation: unknown = null;
  let discoveryValid = true;
  try {
    validateDiscoveryDocument(discovery, iss);
  } catch {
    discoveryValid = false; // step 3 reports it; never follow an invalid document's endpoint
  }
  const endpoint = (discovery as { revocation_endpoint?: unknown } | null)?.revocation_endpoint;
  if (discoveryValid && typeof endpoint === "string" && endpoint.length > 0) {
    try {
      revocation = await fetchJson(endpoint, { maxBytes: 1024 * 1024, ...options });
    } catch (error) {
      return failure(
        ErrorCode.DISCOVERY_FETCH_FAILED,
        `revocation endpoint unreachable (fail-closed): ${message(error)}`,
      );
    }
  }
  return await verifyDecoded(decoded, discovery, revocation, options);
}

/**
 * Verifies a credential from a trust bundle: takes the bundle's discovery document for `iss`
 * (none: `DISCOVERY_FETCH_FAILED`) and its revocation document if any, then runs the offline
 * steps.
 *
 * @param jwt The compact credential.
 * @param bundle The trust bundle.
 * @param options Verification options.
 * @returns The result.
 * @throws {AgentPinError} `INVALID_ARGUMENT` for invalid options.
 *
 * @example Usage
 * ```ts ignore
 * import { loadTrustBundle, verifyCredentialWithBundle } from "@symbiont/sdk/agentpin";
 * const result = await verifyCredentialWithBundle(jwt, loadTrustBundle(text));
 * ```
 */
export async function verifyCredentialWithBundle(
  jwt: string,
  bundle: TrustBundle,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  checkOptions(options);
  const decoded = decode(jwt, options);
  if (decoded instanceof VerificationResult) return decoded;
  const iss = decoded.payload.iss;
  const documents = Array.isArray(bundle?.documents) ? bundle.documents : [];
  const discovery = documents.find((d) => d?.entity === iss);
  if (!discovery) {
    return failure(ErrorCode.DISCOVERY_FETCH_FAILED, `domain '${iss}' not found in trust bundle`);
  }
  const revocations = Array.isArray(bundle.revocations) ? bundle.revocations : [];
  const revocation = revocations.find((r) => r?.entity === iss) ?? null;
  return await verifyDecoded(decoded, discovery, revocation, options);
}
