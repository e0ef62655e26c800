/**
 * AgentPin wire types (snake_case members, exactly as on the wire and in the reference packages)
 * and their constant value sets.
 *
 * @module
 */

/**
 * An EC P-256 public key in JWK form, as published in discovery documents.
 *
 * @example A published key
 * ```ts
 * import type { AgentPinJwk } from "@symbiont/sdk/agentpin";
 * const jwk: AgentPinJwk = { kid: "k1", kty: "EC", crv: "P-256", x: "...", y: "...", use: "sig" };
 * ```
 */
export interface AgentPinJwk {
  /** Key id, at most 128 characters. */
  kid: string;
  /** Always `"EC"`. */
  kty: string;
  /** Always `"P-256"`. */
  crv: string;
  /** base64url x coordinate (32 bytes). */
  x: string;
  /** base64url y coordinate (32 bytes). */
  y: string;
  /** `"sig"`. */
  use?: string;
  /** `["verify"]`. */
  key_ops?: string[];
  /** Optional key expiry, ISO-8601 / RFC 3339. */
  exp?: string;
}

/**
 * Credential or discovery constraints.
 *
 * @example Constraints
 * ```ts
 * import type { Constraints } from "@symbiont/sdk/agentpin";
 * const c: Constraints = { rate_limit: "100/hour", data_classification_max: "internal" };
 * ```
 */
export interface Constraints {
  /** Domain patterns; `*.x` matches subdomains of `x` only. */
  allowed_domains?: string[];
  /** Never checked by verifiers. */
  denied_domains?: string[];
  /** `N/second`, `N/minute` or `N/hour`. */
  rate_limit?: string;
  /** `public` < `internal` < `confidential` < `restricted`. */
  data_classification_max?: string;
  /** CIDRs; never checked by verifiers. */
  ip_allowlist?: string[];
  /** Never checked by verifiers. */
  valid_hours?: { start: string; end: string; timezone?: string };
  /** Other members are kept. */
  [extra: string]: unknown;
}

/**
 * One entry of a credential's `delegation_chain`, also the output of `createAttestation`.
 *
 * @example An attestation
 * ```ts
 * import type { DelegationAttestation } from "@symbiont/sdk/agentpin";
 * const a: DelegationAttestation = {
 *   domain: "maker.com", role: "maker", agent_id: "urn:agentpin:maker.com:bot", kid: "k1",
 *   attestation: "MEUCIQ...",
 * };
 * ```
 */
export interface DelegationAttestation {
  /** The attesting entity's domain. */
  domain: string;
  /** `maker` or `deployer`. */
  role: string;
  /** The attested agent. */
  agent_id: string;
  /** The key that signed the attestation. */
  kid: string;
  /** DER ECDSA signature, standard base64. */
  attestation: string;
}

/**
 * The claims of an AgentPin credential.
 *
 * @example Claims
 * ```ts ignore
 * import type { CredentialClaims } from "@symbiont/sdk/agentpin";
 * const claims: CredentialClaims = decoded.payload;
 * ```
 */
export interface CredentialClaims {
  /** Issuer domain. */
  iss: string;
  /** Agent id (`urn:agentpin:{domain}:{name}`). */
  sub: string;
  /** Verifier domain or `"*"`. */
  aud?: string;
  /** Issued at (Unix seconds). */
  iat: number;
  /** Expiry (Unix seconds). */
  exp: number;
  /** Not before (Unix seconds). */
  nbf?: number;
  /** Unique id (UUIDv4). */
  jti: string;
  /** `"0.1"`. */
  agentpin_version: string;
  /** `action:resource` strings. */
  capabilities: string[];
  /** Optional constraints. */
  constraints?: Constraints;
  /** Optional delegation chain. */
  delegation_chain?: DelegationAttestation[];
  /** Optional nonce (mutual auth). */
  nonce?: string;
  /** Other claims are kept. */
  [extra: string]: unknown;
}

/**
 * The protected header of an AgentPin credential.
 *
 * @example Header
 * ```ts
 * import type { CredentialHeader } from "@symbiont/sdk/agentpin";
 * const h: CredentialHeader = { alg: "ES256", typ: "agentpin-credential+jwt", kid: "k1" };
 * ```
 */
export interface CredentialHeader {
  /** Always `"ES256"`. */
  alg: string;
  /** Always `"agentpin-credential+jwt"`. */
  typ: string;
  /** Key id in the issuer's discovery document. */
  kid: string;
  /** Other members are kept. */
  [extra: string]: unknown;
}

/**
 * An agent declared in a discovery document.
 *
 * @example A declaration
 * ```ts
 * import type { AgentDeclaration } from "@symbiont/sdk/agentpin";
 * const agent: AgentDeclaration = {
 *   agent_id: "urn:agentpin:example.com:bot", name: "Bot", capabilities: ["read:*"], status: "active",
 * };
 * ```
 */
export interface AgentDeclaration {
  /** Agent URN; equals the credential `sub`. */
  agent_id: string;
  /** The maker's URN (deployers). */
  agent_type?: string;
  /** Display name (≤128 characters). */
  name: string;
  /** ≤1024 characters. */
  description?: string;
  /** Free-form version. */
  version?: string;
  /** Declared capabilities. */
  capabilities: string[];
  /** Default constraints. */
  constraints?: Constraints;
  /** Unspecified by the spec; carried through. */
  maker_attestation?: unknown;
  /** Maximum credential lifetime for this agent, 60..86400 seconds. */
  credential_ttl_max?: number;
  /** `active`, `suspended` or `deprecated`. */
  status: string;
  /** Default true. */
  directory_listing?: boolean;
  /** Other members are kept. */
  [extra: string]: unknown;
}

/**
 * A discovery document (`/.well-known/agent-identity.json`).
 *
 * @example Minimal shape
 * ```ts ignore
 * import type { DiscoveryDocument } from "@symbiont/sdk/agentpin";
 * const doc: DiscoveryDocument = await buildDiscoveryDocument({ ... });
 * ```
 */
export interface DiscoveryDocument {
  /** `"0.1"`. */
  agentpin_version: string;
  /** The domain. */
  entity: string;
  /** `maker`, `deployer` or `both`. */
  entity_type: string;
  /** At least one key. */
  public_keys: AgentPinJwk[];
  /** Declared agents. */
  agents: AgentDeclaration[];
  /** HTTPS URL of the revocation document. */
  revocation_endpoint?: string;
  /** Policy URL. */
  policy_url?: string;
  /** SchemaPin endpoint. */
  schemapin_endpoint?: string;
  /** A2A AgentCard endpoint (agentpin 0.3). */
  a2a_endpoint?: string;
  /** 0..3. */
  max_delegation_depth: number;
  /** ISO-8601. */
  updated_at: string;
  /** Other members are kept. */
  [extra: string]: unknown;
}

/**
 * One revoked credential, agent or key.
 *
 * @example Entry
 * ```ts
 * import type { RevokedEntry } from "@symbiont/sdk/agentpin";
 * const e: RevokedEntry = { jti: "…", revoked_at: "2026-01-01T00:00:00Z", reason: "superseded" };
 * ```
 */
export interface RevokedEntry {
  /** Credential id (revoked_credentials). */
  jti?: string;
  /** Agent id (revoked_agents). */
  agent_id?: string;
  /** Key id (revoked_keys). */
  kid?: string;
  /** ISO-8601. */
  revoked_at: string;
  /** One of {@link RevocationReason}. */
  reason: string;
  /** Other members are kept. */
  [extra: string]: unknown;
}

/**
 * A revocation document (`/.well-known/agent-identity-revocations.json`).
 *
 * @example Empty document
 * ```ts
 * import { buildRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = buildRevocationDocument("example.com");
 * console.log(doc.revoked_keys.length); // 0
 * ```
 */
export interface RevocationDocument {
  /** `"0.1"`. */
  agentpin_version: string;
  /** The domain. */
  entity: string;
  /** ISO-8601. */
  updated_at: string;
  /** Revoked credential ids. */
  revoked_credentials: RevokedEntry[];
  /** Revoked agent ids. */
  revoked_agents: RevokedEntry[];
  /** Revoked key ids. */
  revoked_keys: RevokedEntry[];
}

/**
 * A trust bundle: pre-shared discovery and revocation documents (unsigned, as in AgentPin 0.1).
 *
 * @example Empty bundle
 * ```ts
 * import { createTrustBundle } from "@symbiont/sdk/agentpin";
 * const bundle = createTrustBundle();
 * console.log(bundle.agentpin_bundle_version); // "0.1"
 * ```
 */
export interface TrustBundle {
  /** `"0.1"`. */
  agentpin_bundle_version: string;
  /** ISO-8601. */
  created_at: string;
  /** Discovery documents, one per entity. */
  documents: DiscoveryDocument[];
  /** Revocation documents. */
  revocations: RevocationDocument[];
}

/**
 * Entity types of a discovery document.
 *
 * @example Using the constant
 * ```ts
 * import { EntityType } from "@symbiont/sdk/agentpin";
 * console.log(EntityType.MAKER); // "maker"
 * ```
 */
export const EntityType = { MAKER: "maker", DEPLOYER: "deployer", BOTH: "both" } as const;
/** One of the {@link EntityType} values. */
export type EntityType = typeof EntityType[keyof typeof EntityType];

/**
 * Agent status values.
 *
 * @example Using the constant
 * ```ts
 * import { AgentStatus } from "@symbiont/sdk/agentpin";
 * console.log(AgentStatus.ACTIVE); // "active"
 * ```
 */
export const AgentStatus = {
  ACTIVE: "active",
  SUSPENDED: "suspended",
  DEPRECATED: "deprecated",
} as const;
/** One of the {@link AgentStatus} values. */
export type AgentStatus = typeof AgentStatus[keyof typeof AgentStatus];

/**
 * Revocation reasons.
 *
 * @example Using the constant
 * ```ts
 * import { RevocationReason } from "@symbiont/sdk/agentpin";
 * console.log(RevocationReason.KEY_COMPROMISE); // "key_compromise"
 * ```
 */
export const RevocationReason = {
  KEY_COMPROMISE: "key_compromise",
  AFFILIATION_CHANGED: "affiliation_changed",
  SUPERSEDED: "superseded",
  CESSATION_OF_OPERATION: "cessation_of_operation",
  PRIVILEGE_WITHDRAWN: "privilege_withdrawn",
  POLICY_VIOLATION: "policy_violation",
} as const;
/** One of the {@link RevocationReason} values. */
export type RevocationReason = typeof RevocationReason[keyof typeof RevocationReason];

/**
 * Trust levels of pinned keys.
 *
 * @example Using the constant
 * ```ts
 * import { TrustLevel } from "@symbiont/sdk/agentpin";
 * console.log(TrustLevel.TOFU); // "tofu"
 * ```
 */
export const TrustLevel = { TOFU: "tofu", VERIFIED: "verified", PINNED: "pinned" } as const;
/** One of the {@link TrustLevel} values. */
export type TrustLevel = typeof TrustLevel[keyof typeof TrustLevel];

/**
 * Delegation roles.
 *
 * @example Using the constant
 * ```ts
 * import { DelegationRole } from "@symbiont/sdk/agentpin";
 * console.log(DelegationRole.DEPLOYER); // "deployer"
 * ```
 */
export const DelegationRole = { MAKER: "maker", DEPLOYER: "deployer" } as const;
/** One of the {@link DelegationRole} values. */
export type DelegationRole = typeof DelegationRole[keyof typeof DelegationRole];
