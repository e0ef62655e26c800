/**
 * `AgentPinClient`: the AgentPin surface of the Symbiont client (`client.agentpin`), with its own
 * pin store, nonce store, fetch and clock. Everything runs locally; no Symbiont runtime is needed.
 *
 * @module
 */
import type { StorageAdapter } from "../memory/storage.ts";
import type { FetchLike } from "./_fetch.ts";
import { createTrustBundle, loadTrustBundle, saveTrustBundle } from "./bundle.ts";
import { issueCredential, type IssueCredentialOptions } from "./credential.ts";
import {
  buildDiscoveryDocument,
  type BuildDiscoveryOptions,
  fetchDiscoveryDocument,
  validateDiscoveryDocument,
} from "./discovery.ts";
import {
  type Challenge,
  type ChallengeResponse,
  createChallenge,
  createResponse,
  InMemoryNonceStore,
  type NonceStore,
  verifyResponse,
} from "./mutual.ts";
import {
  type GeneratedKeyPair,
  generateKeyId,
  generateKeyPair,
  jwkToPem,
  pemToJwk,
  type PrivateKeyInput,
  type PublicKeyInput,
} from "./keys.ts";
import { KeyPinStore, type PinnedDomain } from "./pinning.ts";
import type { AgentPinJwk, DiscoveryDocument, RevocationDocument, TrustBundle } from "./types.ts";
import {
  type OnlineVerifyOptions,
  type VerificationResult,
  verifyCredential,
  verifyCredentialOffline,
  verifyCredentialWithBundle,
  type VerifyOptions,
} from "./verification.ts";

/**
 * Options of {@link AgentPinClient}.
 *
 * @example Usage
 * ```ts
 * import { AgentPinClient, type AgentPinClientOptions } from "@symbiont/sdk/agentpin";
 * const options: AgentPinClientOptions = { timeoutMs: 5000, clockSkewSecs: 30 };
 * const agentpin = new AgentPinClient(options);
 * ```
 */
export interface AgentPinClientOptions {
  /** `fetch` for discovery and revocation documents. Default: the global one. */
  fetch?: FetchLike;
  /** The pin store. Default: a new store, persisted to `storage` when given, else in memory. */
  pinStore?: KeyPinStore;
  /** Storage for the default pin store (`agentpin/pins.json`). */
  storage?: StorageAdapter;
  /** Nonce store for mutual auth. Default: a new in-memory store. */
  nonceStore?: NonceStore;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  /** Fetch timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest discovery document. Default 262 144 bytes. */
  maxBytes?: number;
  /** Default clock skew for verification. Default 60 s. */
  clockSkewSecs?: number;
  /** Default max lifetime for verification. Default 86400 s. */
  maxTtlSecs?: number;
}

/**
 * Issue and verify AgentPin credentials, manage pins, bundles and mutual auth. Verification
 * methods use this client's pin store, so pins persist across calls (and across processes when
 * the store has storage).
 *
 * @example Seed usage
 * ```ts ignore
 * import { AgentPinClient } from "@symbiont/sdk/agentpin";
 * const agentpin = new AgentPinClient();
 * const keys = await agentpin.generateKeyPair();
 * const kid = await agentpin.generateKeyId(keys.publicKeyPem);
 * const jwt = await agentpin.issueCredential({
 *   privateKeyPem: keys.privateKeyPem, kid, issuer: "example.com", agentId: "data-analyzer",
 *   capabilities: ["read:data", "write:reports"], ttlSecs: 3600,
 * });
 * const result = await agentpin.verifyCredential(jwt); // fetches https://example.com/.well-known/...
 * console.log(result.valid, result.agent_id, result.capabilities);
 * ```
 */
export class AgentPinClient {
  /** The pin store verification uses. */
  readonly pinStore: KeyPinStore;
  /** The nonce store mutual auth uses. */
  readonly nonceStore: NonceStore;
  #options: AgentPinClientOptions;
  #clock: () => number;

  /**
   * Creates a client with its own pin and nonce stores.
   *
   * @param options fetch, stores, clock and defaults.
   */
  constructor(options: AgentPinClientOptions = {}) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.pinStore = options.pinStore ??
      new KeyPinStore({ storage: options.storage, clock: this.#clock });
    this.nonceStore = options.nonceStore ?? new InMemoryNonceStore({ clock: this.#clock });
  }

  #verifyDefaults(): VerifyOptions {
    const o = this.#options;
    const d: VerifyOptions = { pinStore: this.pinStore, clock: this.#clock };
    if (o.clockSkewSecs !== undefined) d.clockSkewSecs = o.clockSkewSecs;
    if (o.maxTtlSecs !== undefined) d.maxTtlSecs = o.maxTtlSecs;
    return d;
  }

  #fetchDefaults(): OnlineVerifyOptions {
    const o = this.#options;
    const d: OnlineVerifyOptions = {};
    if (o.fetch) d.fetch = o.fetch;
    if (o.timeoutMs !== undefined) d.timeoutMs = o.timeoutMs;
    if (o.maxBytes !== undefined) d.maxBytes = o.maxBytes;
    return d;
  }

  /**
   * Generates an ECDSA P-256 key pair (PEM and JWK, with its kid).
   *
   * @returns The key pair.
   *
   * @example Usage
   * ```ts
   * import { AgentPinClient } from "@symbiont/sdk/agentpin";
   * const keys = await new AgentPinClient().generateKeyPair();
   * console.log(keys.kid.length); // 64
   * ```
   */
  generateKeyPair(): Promise<GeneratedKeyPair> {
    return generateKeyPair();
  }

  /**
   * Hex SHA-256 of the DER SPKI public key.
   *
   * @param publicKey SPKI PEM, JWK or CryptoKey.
   * @returns 64 hex characters.
   *
   * @example Usage
   * ```ts ignore
   * const kid = await client.agentpin.generateKeyId(keys.publicKeyPem);
   * ```
   */
  generateKeyId(publicKey: PublicKeyInput): Promise<string> {
    return generateKeyId(publicKey);
  }

  /**
   * Issues a credential (see the standalone `issueCredential`), with this client's clock.
   *
   * @param options Key, issuer, agent, capabilities, lifetime.
   * @returns The compact JWT.
   *
   * @example Usage
   * ```ts ignore
   * const jwt = await client.agentpin.issueCredential({ privateKeyPem, kid, issuer, agentId, capabilities });
   * ```
   */
  issueCredential(options: IssueCredentialOptions): Promise<string> {
    return issueCredential({ clock: this.#clock, ...options });
  }

  /**
   * Verifies a credential online: discovery and revocation fetched from the issuer's domain.
   *
   * @param jwt The compact credential.
   * @param options Audience and per-call overrides.
   * @returns The result.
   *
   * @example Usage
   * ```ts ignore
   * const result = await client.agentpin.verifyCredential(jwt, { audience: "me.example" });
   * ```
   */
  verifyCredential(jwt: string, options: OnlineVerifyOptions = {}): Promise<VerificationResult> {
    return verifyCredential(jwt, {
      ...this.#verifyDefaults(),
      ...this.#fetchDefaults(),
      ...options,
    });
  }

  /**
   * Verifies a credential against documents you supply.
   *
   * @param jwt The compact credential.
   * @param discovery The issuer's discovery document.
   * @param revocation The issuer's revocation document, if any.
   * @param options Audience and per-call overrides.
   * @returns The result.
   *
   * @example Usage
   * ```ts ignore
   * const result = await client.agentpin.verifyCredentialOffline(jwt, discovery, revocation);
   * ```
   */
  verifyCredentialOffline(
    jwt: string,
    discovery: DiscoveryDocument | unknown,
    revocation?: RevocationDocument | null,
    options: VerifyOptions = {},
  ): Promise<VerificationResult> {
    return verifyCredentialOffline(jwt, discovery, revocation, {
      ...this.#verifyDefaults(),
      ...options,
    });
  }

  /**
   * Verifies a credential from a trust bundle.
   *
   * @param jwt The compact credential.
   * @param bundle The trust bundle.
   * @param options Audience and per-call overrides.
   * @returns The result.
   *
   * @example Usage
   * ```ts ignore
   * const result = await client.agentpin.verifyCredentialWithBundle(jwt, bundle);
   * ```
   */
  verifyCredentialWithBundle(
    jwt: string,
    bundle: TrustBundle,
    options: VerifyOptions = {},
  ): Promise<VerificationResult> {
    return verifyCredentialWithBundle(jwt, bundle, { ...this.#verifyDefaults(), ...options });
  }

  /**
   * Fetches and validates a domain's discovery document with this client's fetch and limits.
   *
   * @param domain The domain.
   * @returns The document.
   *
   * @example Usage
   * ```ts ignore
   * const doc = await client.agentpin.fetchDiscoveryDocument("example.com");
   * ```
   */
  fetchDiscoveryDocument(domain: string): Promise<DiscoveryDocument> {
    return fetchDiscoveryDocument(domain, this.#fetchDefaults());
  }

  /**
   * Validates a discovery document for a domain.
   *
   * @param doc The document.
   * @param expectedEntity The domain.
   * @returns The document, typed.
   *
   * @example Usage
   * ```ts ignore
   * client.agentpin.validateDiscoveryDocument(doc, "example.com");
   * ```
   */
  validateDiscoveryDocument(doc: unknown, expectedEntity: string): DiscoveryDocument {
    return validateDiscoveryDocument(doc, expectedEntity);
  }

  /**
   * Builds a discovery document.
   *
   * @param options Entity, keys, agents.
   * @returns The document.
   *
   * @example Usage
   * ```ts ignore
   * const doc = client.agentpin.buildDiscoveryDocument({ entity, publicKeys: [jwk], agents });
   * ```
   */
  buildDiscoveryDocument(options: BuildDiscoveryOptions): DiscoveryDocument {
    return buildDiscoveryDocument(options);
  }

  /**
   * Creates an empty trust bundle.
   *
   * @returns The bundle.
   *
   * @example Usage
   * ```ts
   * import { AgentPinClient } from "@symbiont/sdk/agentpin";
   * console.log(new AgentPinClient().createTrustBundle().documents); // []
   * ```
   */
  createTrustBundle(): TrustBundle {
    return createTrustBundle(new Date(this.#clock()).toISOString());
  }

  /**
   * Parses and validates a trust bundle.
   *
   * @param json Bundle JSON text.
   * @returns The bundle.
   *
   * @example Usage
   * ```ts ignore
   * const bundle = client.agentpin.loadTrustBundle(text);
   * ```
   */
  loadTrustBundle(json: string): TrustBundle {
    return loadTrustBundle(json);
  }

  /**
   * Serialises a trust bundle.
   *
   * @param bundle The bundle.
   * @returns JSON text.
   *
   * @example Usage
   * ```ts ignore
   * const text = client.agentpin.saveTrustBundle(bundle);
   * ```
   */
  saveTrustBundle(bundle: TrustBundle): string {
    return saveTrustBundle(bundle);
  }

  /**
   * SPKI PEM to discovery JWK.
   *
   * @param publicKeyPem SPKI PEM.
   * @param kid The key id.
   * @returns The JWK.
   *
   * @example Usage
   * ```ts ignore
   * const jwk = await client.agentpin.pemToJwk(keys.publicKeyPem, kid);
   * ```
   */
  pemToJwk(publicKeyPem: string, kid: string): Promise<AgentPinJwk> {
    return pemToJwk(publicKeyPem, kid);
  }

  /**
   * JWK to SPKI PEM.
   *
   * @param jwk The JWK.
   * @returns SPKI PEM.
   *
   * @example Usage
   * ```ts ignore
   * const pem = await client.agentpin.jwkToPem(jwk);
   * ```
   */
  jwkToPem(jwk: AgentPinJwk | JsonWebKey): Promise<string> {
    return jwkToPem(jwk);
  }

  /**
   * Pins an additional key for a domain (the explicit key-rotation step).
   *
   * @param domain The issuer domain.
   * @param jwk The new key.
   * @returns Resolves once stored.
   *
   * @example Usage
   * ```ts ignore
   * await client.agentpin.pinKey("example.com", newJwk);
   * ```
   */
  pinKey(domain: string, jwk: AgentPinJwk | JsonWebKey): Promise<void> {
    return this.pinStore.addKey(domain, jwk);
  }

  /**
   * The pins of a domain.
   *
   * @param domain The issuer domain.
   * @returns Its pins or `null`.
   *
   * @example Usage
   * ```ts ignore
   * const pins = await client.agentpin.getPinnedKeys("example.com");
   * ```
   */
  getPinnedKeys(domain: string): Promise<PinnedDomain | null> {
    return this.pinStore.getDomain(domain);
  }

  /**
   * Creates a mutual-auth challenge.
   *
   * @param verifierCredential Optional credential of the verifier.
   * @returns The challenge.
   *
   * @example Usage
   * ```ts
   * import { AgentPinClient } from "@symbiont/sdk/agentpin";
   * console.log(new AgentPinClient().createChallenge().type); // "agentpin-challenge"
   * ```
   */
  createChallenge(verifierCredential?: string): Challenge {
    return createChallenge(verifierCredential, this.#clock);
  }

  /**
   * Answers a challenge.
   *
   * @param challenge The challenge.
   * @param privateKey Signing key.
   * @param kid Key id.
   * @returns The response.
   *
   * @example Usage
   * ```ts ignore
   * const response = await client.agentpin.createResponse(challenge, keys.privateKeyPem, keys.kid);
   * ```
   */
  createResponse(
    challenge: Challenge,
    privateKey: PrivateKeyInput,
    kid: string,
  ): Promise<ChallengeResponse> {
    return createResponse(challenge, privateKey, kid);
  }

  /**
   * Verifies a response; each nonce is accepted once (this client's nonce store).
   *
   * @param response The response.
   * @param challenge The challenge.
   * @param publicKey The agent's public key.
   * @returns Resolves when valid.
   *
   * @example Usage
   * ```ts ignore
   * await client.agentpin.verifyResponse(response, challenge, jwk);
   * ```
   */
  verifyResponse(
    response: ChallengeResponse,
    challenge: Challenge,
    publicKey: PublicKeyInput,
  ): Promise<void> {
    return verifyResponse(response, challenge, publicKey, {
      nonceStore: this.nonceStore,
      clock: this.#clock,
    });
  }
}
