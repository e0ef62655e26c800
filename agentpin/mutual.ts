/**
 * AgentPin mutual authentication: a verifier sends a challenge with a fresh 128-bit nonce, the
 * agent signs the nonce, the verifier checks the signature, the challenge's age and that the nonce
 * is used only once.
 *
 * @module
 */
import { b64urlEncode, utf8 } from "./_base64.ts";
import { signB64Der, verifyB64 } from "./_sign.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import {
  checkKid,
  importPublicKey,
  type PrivateKeyInput,
  type PublicKeyInput,
  toSigningKey,
} from "./keys.ts";

/** How long a challenge stays answerable, in seconds (the reference's 60). */
export const NONCE_EXPIRY_SECS = 60;

/**
 * A challenge (`type: "agentpin-challenge"`).
 *
 * @example Usage
 * ```ts
 * import { createChallenge } from "@symbiont/sdk/agentpin";
 * const challenge = createChallenge();
 * console.log(challenge.type); // "agentpin-challenge"
 * ```
 */
export interface Challenge {
  /** `"agentpin-challenge"`. */
  type: string;
  /** 16 random bytes, base64url without padding. */
  nonce: string;
  /** ISO-8601 creation time. */
  timestamp: string;
  /** The verifier's own credential, optional. */
  verifier_credential?: string;
}

/**
 * A response (`type: "agentpin-response"`).
 *
 * @example Usage
 * ```ts ignore
 * const response: ChallengeResponse = await createResponse(challenge, privateKey, kid);
 * ```
 */
export interface ChallengeResponse {
  /** `"agentpin-response"`. */
  type: string;
  /** The challenge's nonce. */
  nonce: string;
  /** DER ECDSA over the UTF-8 nonce, standard base64. */
  signature: string;
  /** The signing key's id. */
  kid: string;
}

/**
 * Remembers used nonces so each is accepted once.
 *
 * @example A custom store
 * ```ts
 * import type { NonceStore } from "@symbiont/sdk/agentpin";
 * const seen = new Set<string>();
 * const store: NonceStore = { checkAndRecord: (n) => !seen.has(n) && !!seen.add(n) };
 * ```
 */
export interface NonceStore {
  /** `true` when the nonce is fresh (and records it), `false` when already used. */
  checkAndRecord(nonce: string, ttlMs: number): boolean | Promise<boolean>;
}

/**
 * An in-memory {@link NonceStore}; entries expire after their TTL.
 *
 * @example Usage
 * ```ts
 * import { InMemoryNonceStore } from "@symbiont/sdk/agentpin";
 * const store = new InMemoryNonceStore();
 * console.log(store.checkAndRecord("n1", 60_000), store.checkAndRecord("n1", 60_000)); // true false
 * ```
 */
export class InMemoryNonceStore implements NonceStore {
  #entries = new Map<string, number>();
  #clock: () => number;
  #max: number;

  /**
   * Creates an empty store.
   *
   * @param options `clock` (ms since the epoch) and `maxEntries` (default 100 000; beyond it new
   *   nonces are refused until old ones expire, so memory stays bounded).
   */
  constructor(options: { clock?: () => number; maxEntries?: number } = {}) {
    this.#clock = options.clock ?? Date.now;
    this.#max = options.maxEntries ?? 100_000;
  }

  /**
   * Records a nonce if it is fresh.
   *
   * @param nonce The nonce.
   * @param ttlMs How long to remember it.
   * @returns Whether it was fresh.
   *
   * @example Usage
   * ```ts
   * import { InMemoryNonceStore } from "@symbiont/sdk/agentpin";
   * console.log(new InMemoryNonceStore().checkAndRecord("n", 1000)); // true
   * ```
   */
  checkAndRecord(nonce: string, ttlMs: number): boolean {
    const now = this.#clock();
    for (const [key, expiry] of this.#entries) {
      if (expiry <= now) this.#entries.delete(key);
      else break; // insertion order ~ expiry order
    }
    const expiry = this.#entries.get(nonce);
    if (expiry !== undefined && expiry > now) return false;
    if (this.#entries.size >= this.#max) return false;
    this.#entries.set(nonce, now + ttlMs);
    return true;
  }
}

let sharedNonces: InMemoryNonceStore | undefined;

/**
 * Creates a challenge with a 128-bit random nonce.
 *
 * @param verifierCredential Optional credential of the verifier, for mutual verification.
 * @param clock Milliseconds since the epoch; default `Date.now`.
 * @returns The challenge.
 *
 * @example Usage
 * ```ts
 * import { createChallenge } from "@symbiont/sdk/agentpin";
 * console.log(createChallenge().nonce.length); // 22
 * ```
 */
export function createChallenge(
  verifierCredential?: string | null,
  clock: () => number = Date.now,
): Challenge {
  const challenge: Challenge = {
    type: "agentpin-challenge",
    nonce: b64urlEncode(crypto.getRandomValues(new Uint8Array(16))),
    timestamp: new Date(clock()).toISOString(),
  };
  if (verifierCredential) challenge.verifier_credential = verifierCredential;
  return challenge;
}

/**
 * Answers a challenge by signing its nonce.
 *
 * @param challenge The challenge.
 * @param privateKey The agent's signing key (CryptoKey or PKCS#8 PEM).
 * @param kid The key id.
 * @returns The response.
 * @throws {AgentPinError} `CHALLENGE_INVALID`, `INVALID_KEY` or `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { createChallenge, createResponse, generateKeyPair } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const response = await createResponse(createChallenge(), keys.privateKeyPem, keys.kid);
 * console.log(response.type); // "agentpin-response"
 * ```
 */
export async function createResponse(
  challenge: Challenge,
  privateKey: PrivateKeyInput,
  kid: string,
): Promise<ChallengeResponse> {
  if (
    challenge?.type !== "agentpin-challenge" || typeof challenge.nonce !== "string" ||
    !challenge.nonce
  ) {
    throw new AgentPinError(ErrorCode.CHALLENGE_INVALID, "not an agentpin-challenge with a nonce");
  }
  checkKid(kid);
  const key = await toSigningKey(privateKey);
  return {
    type: "agentpin-response",
    nonce: challenge.nonce,
    signature: await signB64Der(key, utf8(challenge.nonce)),
    kid,
  };
}

/**
 * Options of {@link verifyResponse}.
 *
 * @example Usage
 * ```ts
 * import { InMemoryNonceStore, type VerifyResponseOptions } from "@symbiont/sdk/agentpin";
 * const options: VerifyResponseOptions = { nonceStore: new InMemoryNonceStore() };
 * ```
 */
export interface VerifyResponseOptions {
  /** Where used nonces are recorded. Default: a process-wide in-memory store. */
  nonceStore?: NonceStore;
  /** Maximum challenge age in seconds. Default 60. */
  maxAgeSecs?: number;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
}

/**
 * Verifies a response to a challenge: same nonce, challenge not older than 60 s (nor from the
 * future), a valid signature over the nonce (DER or raw, standard base64 or base64url), and the
 * nonce not used before. The nonce is recorded only after the signature verifies, so a forged
 * response cannot burn a legitimate one.
 *
 * @param response The agent's response.
 * @param challenge The challenge it answers.
 * @param publicKey The agent's key (SPKI PEM, JWK or CryptoKey).
 * @param options Nonce store, max age, clock.
 * @returns Resolves when valid.
 * @throws {AgentPinError} `CHALLENGE_INVALID`, `NONCE_EXPIRED`, `SIGNATURE_INVALID`, `NONCE_REPLAYED`.
 *
 * @example Usage
 * ```ts
 * import { createChallenge, createResponse, generateKeyPair, verifyResponse } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const challenge = createChallenge();
 * const response = await createResponse(challenge, keys.privateKeyPem, keys.kid);
 * await verifyResponse(response, challenge, keys.publicKeyPem); // resolves
 * ```
 */
export async function verifyResponse(
  response: ChallengeResponse,
  challenge: Challenge,
  publicKey: PublicKeyInput,
  options: VerifyResponseOptions = {},
): Promise<void> {
  if (response?.type !== "agentpin-response" || typeof response.nonce !== "string") {
    throw new AgentPinError(ErrorCode.CHALLENGE_INVALID, "not an agentpin-response");
  }
  if (challenge?.type !== "agentpin-challenge" || response.nonce !== challenge.nonce) {
    throw new AgentPinError(ErrorCode.CHALLENGE_INVALID, "the response answers another challenge");
  }
  const maxAge = options.maxAgeSecs ?? NONCE_EXPIRY_SECS;
  const issued = Date.parse(challenge.timestamp);
  const elapsed = ((options.clock ?? Date.now)() - issued) / 1000;
  if (Number.isNaN(issued) || elapsed < -60) {
    throw new AgentPinError(
      ErrorCode.CHALLENGE_INVALID,
      "the challenge timestamp is unreadable or in the future",
    );
  }
  if (elapsed > maxAge) {
    throw new AgentPinError(
      ErrorCode.NONCE_EXPIRED,
      `challenge nonce expired (${Math.floor(elapsed)} seconds old, max ${maxAge})`,
    );
  }
  const key = await importPublicKey(publicKey);
  if (!(await verifyB64(key, utf8(challenge.nonce), response.signature))) {
    throw new AgentPinError(ErrorCode.SIGNATURE_INVALID, "the response signature does not verify");
  }
  const store = options.nonceStore ?? (sharedNonces ??= new InMemoryNonceStore());
  if (!(await store.checkAndRecord(challenge.nonce, maxAge * 1000 + 60_000))) {
    throw new AgentPinError(ErrorCode.NONCE_REPLAYED, "the challenge nonce was already used");
  }
}
