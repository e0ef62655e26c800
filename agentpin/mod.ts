/**
 * AgentPin: domain-anchored identity for AI agents, entirely on the client with WebCrypto (Deno,
 * Node, Bun, Cloudflare Workers). Keys and key ids, credential issue and verification (offline,
 * online over HTTPS, from trust bundles) in the reference packages' 12 steps and error codes, TOFU
 * key pinning with a persistent store, discovery and revocation documents, trust bundles,
 * delegation attestations and mutual-auth challenge/response.
 *
 * Interoperable with the reference `agentpin` packages: credentials carry a DER ECDSA signature
 * as they emit (raw JOSE r||s on request), and both forms verify. Verification results keep the
 * reference's snake_case fields (`agent_id`, `error_code`, ...) with camelCase getters.
 *
 * ```ts
 * import {
 *   buildDiscoveryDocument, generateKeyPair, issueCredential, KeyPinStore, verifyCredentialOffline,
 * } from "@symbiont/sdk/agentpin";
 *
 * const keys = await generateKeyPair();
 * const agentId = "urn:agentpin:example.com:data-analyzer";
 * const discovery = buildDiscoveryDocument({
 *   entity: "example.com",
 *   publicKeys: [keys.publicKeyJwk],
 *   agents: [{ agent_id: agentId, name: "Data analyzer", capabilities: ["read:*", "write:reports"] }],
 * });
 * const jwt = await issueCredential({
 *   privateKeyPem: keys.privateKeyPem, kid: keys.kid, issuer: "example.com", agentId,
 *   capabilities: ["read:data", "write:reports"], ttlSecs: 3600,
 * });
 * const result = await verifyCredentialOffline(jwt, discovery, null, { pinStore: new KeyPinStore() });
 * console.log(result.valid, result.agent_id, result.capabilities);
 * ```
 *
 * @module
 */
export { AgentPinError, ErrorCode } from "./errors.ts";
export { AgentStatus, DelegationRole, EntityType, RevocationReason, TrustLevel } from "./types.ts";
export type {
  AgentDeclaration,
  AgentPinJwk,
  Constraints,
  CredentialClaims,
  CredentialHeader,
  DelegationAttestation,
  DiscoveryDocument,
  RevocationDocument,
  RevokedEntry,
  TrustBundle,
} from "./types.ts";
export {
  generateKeyId,
  generateKeyPair,
  importPrivateKey,
  importPublicKey,
  jwkThumbprint,
  jwkThumbprintBase64url,
  jwkToPem,
  pemToJwk,
} from "./keys.ts";
export type { GeneratedKeyPair, PrivateKeyInput, PublicKeyInput } from "./keys.ts";
export {
  capabilitiesHash,
  capabilitiesSubset,
  capabilityMatches,
  CORE_ACTIONS,
  parseCapability,
  validateCapability,
} from "./capability.ts";
export { constraintsSubsetOf, domainPatternMatches, parseRateLimit } from "./constraint.ts";
export {
  CREDENTIAL_TYP,
  decodeCredential,
  DEFAULT_MAX_TOKEN_LENGTH,
  issueCredential,
  MAX_CREDENTIAL_TTL_SECS,
} from "./credential.ts";
export type { DecodedCredential, IssueCredentialOptions, SignatureFormat } from "./credential.ts";
export {
  buildDiscoveryDocument,
  discoveryUrl,
  fetchDiscoveryDocument,
  findAgentById,
  findKeyByKid,
  revocationUrl,
  validateDiscoveryDocument,
} from "./discovery.ts";
export type { BuildDiscoveryOptions, FetchDocumentOptions } from "./discovery.ts";
export type { FetchLike } from "./_fetch.ts";
export type { StorageAdapter } from "../memory/storage.ts";
export {
  addRevokedAgent,
  addRevokedCredential,
  addRevokedKey,
  buildRevocationDocument,
  checkRevocation,
  fetchRevocationDocument,
  validateRevocationDocument,
} from "./revocation.ts";
export { KeyPinStore } from "./pinning.ts";
export type {
  KeyPinStoreOptions,
  PinCheck,
  PinnedDomain,
  PinnedKey,
  PinningResult,
} from "./pinning.ts";
export {
  defaultPinStore,
  VerificationResult,
  verifyCredential,
  verifyCredentialOffline,
  verifyCredentialWithBundle,
} from "./verification.ts";
export type {
  DelegationEntryStatus,
  KeyPinningStatus,
  OnlineVerifyOptions,
  VerificationResultFields,
  VerifyOptions,
} from "./verification.ts";
export {
  addDiscoveryToBundle,
  addRevocationToBundle,
  createTrustBundle,
  findBundleDiscovery,
  findBundleRevocation,
  loadTrustBundle,
  loadTrustBundleFrom,
  saveTrustBundle,
  saveTrustBundleTo,
  validateTrustBundle,
} from "./bundle.ts";
export {
  canonicalAttestationInput,
  createAttestation,
  verifyAttestation,
  verifyChainDepth,
} from "./delegation.ts";
export type { CreateAttestationOptions } from "./delegation.ts";
export {
  createChallenge,
  createResponse,
  InMemoryNonceStore,
  NONCE_EXPIRY_SECS,
  verifyResponse,
} from "./mutual.ts";
export type { Challenge, ChallengeResponse, NonceStore, VerifyResponseOptions } from "./mutual.ts";
export { AgentPinClient } from "./client.ts";
export type { AgentPinClientOptions } from "./client.ts";
