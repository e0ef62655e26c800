/**
 * AgentPin credentials: compact ES256 JWTs with the reference header and claims, signed on
 * WebCrypto. The signature is DER by default (what the reference packages emit and accept); raw
 * JOSE r||s on request.
 *
 * @module
 */
import { b64urlDecode, b64urlEncode, utf8 } from "./_base64.ts";
import { rawToDer } from "./_der.ts";
import { isDomain } from "./_domain.ts";
import { validateCapability } from "./capability.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import { checkKid, type PrivateKeyInput, toSigningKey } from "./keys.ts";
import type {
  Constraints,
  CredentialClaims,
  CredentialHeader,
  DelegationAttestation,
} from "./types.ts";

/** The only `typ` AgentPin accepts. */
export const CREDENTIAL_TYP = "agentpin-credential+jwt";
/** The longest credential lifetime the protocol allows: 24 hours. */
export const MAX_CREDENTIAL_TTL_SECS = 86400;
/** Default limit on the length of a compact credential accepted for decoding. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16384;

/**
 * How the third JWT segment encodes the ECDSA signature: `der` (ASN.1, 70–72 bytes, what the
 * reference AgentPin packages emit and require) or `raw` (64-byte r||s, RFC 7518 / JOSE).
 *
 * @example Usage
 * ```ts
 * import type { SignatureFormat } from "@symbiont/sdk/agentpin";
 * const format: SignatureFormat = "raw";
 * ```
 */
export type SignatureFormat = "der" | "raw";

/**
 * Options of {@link issueCredential}.
 *
 * @example Usage
 * ```ts ignore
 * const options: IssueCredentialOptions = {
 *   privateKeyPem, kid, issuer: "example.com", agentId: "urn:agentpin:example.com:bot",
 *   capabilities: ["read:data"], ttlSecs: 3600,
 * };
 * ```
 */
export interface IssueCredentialOptions {
  /** The signing key: a CryptoKey (fastest: import once) or PKCS#8 PEM. */
  privateKey?: PrivateKeyInput;
  /** PKCS#8 PEM, as in the seed; used when `privateKey` is not given. */
  privateKeyPem?: string;
  /** Key id published in the issuer's discovery document (≤128 characters). */
  kid: string;
  /** Issuer domain (`iss`), e.g. `example.com`. */
  issuer: string;
  /** Agent id (`sub`), normally `urn:agentpin:{domain}:{name}`. Used as given. */
  agentId: string;
  /** `action:resource` capabilities; each is checked by `validateCapability`. */
  capabilities: readonly string[];
  /** Lifetime in seconds, an integer from 1 to 86400. Default 3600. */
  ttlSecs?: number;
  /** Verifier domain or `"*"` (`aud`). */
  audience?: string;
  /** Constraints (must be a subset of the agent's discovery defaults to verify). */
  constraints?: Constraints;
  /** Delegation chain entries. */
  delegationChain?: readonly DelegationAttestation[];
  /** `nbf` in Unix seconds. */
  notBefore?: number;
  /** `nonce` claim (mutual auth). */
  nonce?: string;
  /** `jti`; default a random UUIDv4. */
  jti?: string;
  /** Signature encoding. Default `der` (interoperable with the reference verifiers). */
  signatureFormat?: SignatureFormat;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
}

/**
 * A decoded, structurally checked credential (signature not verified).
 *
 * @example Usage
 * ```ts ignore
 * const { header, payload } = decodeCredential(jwt);
 * console.log(header.kid, payload.sub);
 * ```
 */
export interface DecodedCredential {
  /** The protected header. */
  header: CredentialHeader;
  /** The claims. */
  payload: CredentialClaims;
  /** `header.payload` exactly as received: the bytes the signature covers. */
  signingInput: string;
  /** The decoded third segment (DER or raw). */
  signature: Uint8Array;
}

const reject = (message: string) => new AgentPinError(ErrorCode.ALGORITHM_REJECTED, message);
const invalid = (message: string) => new AgentPinError(ErrorCode.INVALID_ARGUMENT, message);
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function jsonSegment(segment: string, name: string): Record<string, unknown> {
  const bytes = b64urlDecode(segment);
  if (!bytes || bytes.length === 0) throw reject(`the ${name} segment is not valid base64url`);
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw reject(`the ${name} segment is not UTF-8 JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw reject(`the ${name} segment is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

function isInt(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value);
}

function checkClaims(p: Record<string, unknown>): CredentialClaims {
  for (const claim of ["iss", "sub", "jti"] as const) {
    if (typeof p[claim] !== "string" || (p[claim] as string).length === 0) {
      throw reject(`claim '${claim}' must be a non-empty string`);
    }
  }
  for (const claim of ["iat", "exp"] as const) {
    if (!isInt(p[claim])) throw reject(`claim '${claim}' must be an integer (Unix seconds)`);
  }
  if (p.nbf !== undefined && p.nbf !== null && !isInt(p.nbf)) {
    throw reject("claim 'nbf' must be an integer (Unix seconds)");
  }
  if (p.agentpin_version !== "0.1") throw reject("claim 'agentpin_version' must be \"0.1\"");
  if (!Array.isArray(p.capabilities) || !p.capabilities.every((c) => typeof c === "string")) {
    throw reject("claim 'capabilities' must be an array of strings");
  }
  if (p.aud !== undefined && p.aud !== null && typeof p.aud !== "string") {
    throw reject("claim 'aud' must be a string");
  }
  const c = p.constraints;
  if (c !== undefined && c !== null && (typeof c !== "object" || Array.isArray(c))) {
    throw reject("claim 'constraints' must be an object");
  }
  const d = p.delegation_chain;
  if (d !== undefined && d !== null && !Array.isArray(d)) {
    throw reject("claim 'delegation_chain' must be an array");
  }
  return p as CredentialClaims;
}

/**
 * Decodes a compact credential and checks its structure without verifying the signature: three
 * base64url segments, JSON objects, `alg` ES256, `typ` agentpin-credential+jwt, a `kid`, no
 * `crit`, and well-typed claims (`iss`, `sub`, `jti`, integer `iat`/`exp`/`nbf`,
 * `agentpin_version` "0.1", string `capabilities`).
 *
 * @param jwt The compact credential.
 * @param maxLength Longest accepted token, default 16384 characters.
 * @returns The decoded credential.
 * @throws {AgentPinError} `ALGORITHM_REJECTED` for any parse failure, as the reference does.
 *
 * @example Usage
 * ```ts ignore
 * import { decodeCredential } from "@symbiont/sdk/agentpin";
 * const { header, payload } = decodeCredential(jwt);
 * ```
 */
export function decodeCredential(
  jwt: string,
  maxLength: number = DEFAULT_MAX_TOKEN_LENGTH,
): DecodedCredential {
  if (typeof jwt !== "string") throw reject("the credential must be a string");
  if (jwt.length > maxLength) {
    throw reject(`the credential is ${jwt.length} characters, over the limit of ${maxLength}`);
  }
  const first = jwt.indexOf(".");
  const second = first < 0 ? -1 : jwt.indexOf(".", first + 1);
  if (first < 0 || second < 0 || jwt.indexOf(".", second + 1) >= 0) {
    throw reject("a credential has exactly 3 '.'-separated segments");
  }
  const header = jsonSegment(jwt.slice(0, first), "header");
  if (header.alg !== "ES256") {
    throw reject(
      `algorithm ${JSON.stringify(String(header.alg)).slice(0, 40)} rejected, must be ES256`,
    );
  }
  if (header.typ !== CREDENTIAL_TYP) {
    throw reject(
      `token type ${
        JSON.stringify(String(header.typ)).slice(0, 60)
      } rejected, must be ${CREDENTIAL_TYP}`,
    );
  }
  if (typeof header.kid !== "string" || header.kid.length === 0 || header.kid.length > 128) {
    throw reject("header 'kid' must be a string of 1 to 128 characters");
  }
  if ("crit" in header) throw reject("header 'crit' is not supported");
  const payload = checkClaims(jsonSegment(jwt.slice(first + 1, second), "payload"));
  const signature = b64urlDecode(jwt.slice(second + 1));
  if (!signature || signature.length === 0) {
    throw reject("the signature segment is not valid base64url");
  }
  return {
    header: header as CredentialHeader,
    payload,
    signingInput: jwt.slice(0, second),
    signature,
  };
}

function checkIssueOptions(o: IssueCredentialOptions): number {
  if (typeof o !== "object" || o === null) throw invalid("issueCredential needs an options object");
  checkKid(o.kid);
  if (!isDomain(o.issuer)) {
    throw invalid("issuer must be a lowercase domain name such as example.com");
  }
  if (typeof o.agentId !== "string" || o.agentId.length === 0 || o.agentId.length > 512) {
    throw invalid("agentId must be a non-empty string of at most 512 characters");
  }
  if (!Array.isArray(o.capabilities)) throw invalid("capabilities must be an array of strings");
  for (const c of o.capabilities) validateCapability(c);
  const ttl = o.ttlSecs ?? 3600;
  if (!isInt(ttl) || ttl < 1 || ttl > MAX_CREDENTIAL_TTL_SECS) {
    throw new AgentPinError(
      ErrorCode.INVALID_TTL,
      `ttlSecs must be an integer from 1 to ${MAX_CREDENTIAL_TTL_SECS}, got ${String(ttl)}`,
    );
  }
  if (o.audience !== undefined && (typeof o.audience !== "string" || o.audience.length === 0)) {
    throw invalid('audience must be a non-empty string (a domain or "*")');
  }
  if (
    o.constraints !== undefined &&
    (typeof o.constraints !== "object" || o.constraints === null || Array.isArray(o.constraints))
  ) {
    throw invalid("constraints must be an object");
  }
  if (o.delegationChain !== undefined) {
    if (!Array.isArray(o.delegationChain)) throw invalid("delegationChain must be an array");
    for (const entry of o.delegationChain) {
      const e = entry as unknown as Record<string, unknown>;
      if (
        !["domain", "role", "agent_id", "kid", "attestation"].every((k) =>
          typeof e?.[k] === "string"
        )
      ) {
        throw invalid(
          "each delegationChain entry needs string domain, role, agent_id, kid and attestation",
        );
      }
    }
  }
  if (o.notBefore !== undefined && !isInt(o.notBefore)) {
    throw invalid("notBefore must be Unix seconds");
  }
  if (o.nonce !== undefined && typeof o.nonce !== "string") throw invalid("nonce must be a string");
  if (o.jti !== undefined && (typeof o.jti !== "string" || o.jti.length === 0)) {
    throw invalid("jti must be a non-empty string");
  }
  if (
    o.signatureFormat !== undefined && o.signatureFormat !== "der" && o.signatureFormat !== "raw"
  ) {
    throw invalid("signatureFormat must be 'der' or 'raw'");
  }
  return ttl;
}

/**
 * Issues an AgentPin credential: header exactly `{"alg":"ES256","typ":"agentpin-credential+jwt",
 * "kid":…}`, claims in the reference order (`iss, sub, iat, exp, jti, agentpin_version,
 * capabilities`, then `aud`, `constraints`, `delegation_chain`, `nbf`, `nonce` when given), compact
 * JSON, base64url without padding, and a DER ECDSA signature unless `signatureFormat: "raw"`.
 *
 * @param options Key, issuer, agent, capabilities, lifetime and optional claims.
 * @returns The compact JWT.
 * @throws {AgentPinError} `INVALID_KEY`, `INVALID_CAPABILITY`, `INVALID_TTL` or `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, issueCredential } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const jwt = await issueCredential({
 *   privateKeyPem: keys.privateKeyPem,
 *   kid: keys.kid,
 *   issuer: "example.com",
 *   agentId: "urn:agentpin:example.com:data-analyzer",
 *   capabilities: ["read:data", "write:reports"],
 *   ttlSecs: 3600,
 * });
 * console.log(jwt.split(".").length); // 3
 * ```
 */
export async function issueCredential(options: IssueCredentialOptions): Promise<string> {
  const ttl = checkIssueOptions(options);
  const keyInput = options.privateKey ?? options.privateKeyPem;
  if (keyInput === undefined) throw invalid("issueCredential needs privateKey or privateKeyPem");
  const key = await toSigningKey(keyInput);
  const now = Math.floor((options.clock ?? Date.now)() / 1000);
  const header = `{"alg":"ES256","typ":"${CREDENTIAL_TYP}","kid":${JSON.stringify(options.kid)}}`;
  const payload: Record<string, unknown> = {
    iss: options.issuer,
    sub: options.agentId,
    iat: now,
    exp: now + ttl,
    jti: options.jti ?? crypto.randomUUID(),
    agentpin_version: "0.1",
    capabilities: [...options.capabilities],
  };
  if (options.audience !== undefined) payload.aud = options.audience;
  if (options.constraints !== undefined) payload.constraints = options.constraints;
  if (options.delegationChain !== undefined) payload.delegation_chain = options.delegationChain;
  if (options.notBefore !== undefined) payload.nbf = options.notBefore;
  if (options.nonce !== undefined) payload.nonce = options.nonce;
  const signingInput = b64urlEncode(utf8(header)) + "." +
    b64urlEncode(utf8(JSON.stringify(payload)));
  const raw = new Uint8Array(
    await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      key,
      utf8(signingInput) as BufferSource,
    ),
  );
  const signature = options.signatureFormat === "raw" ? raw : rawToDer(raw);
  return signingInput + "." + b64urlEncode(signature);
}
