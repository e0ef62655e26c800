/**
 * AgentPin delegation attestations: a maker or deployer signs
 * `{domain}|{role}|{agent_id}|{delegatee_domain}|{delegatee_agent_id}|{capabilities_hash}`
 * (DER ECDSA, standard base64, as the reference packages).
 *
 * @module
 */
import { utf8 } from "./_base64.ts";
import { signB64Der, verifyB64 } from "./_sign.ts";
import { capabilitiesHash } from "./capability.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import {
  checkKid,
  importPublicKey,
  type PrivateKeyInput,
  type PublicKeyInput,
  toSigningKey,
} from "./keys.ts";
import type { DelegationAttestation } from "./types.ts";

/**
 * Options of {@link createAttestation}.
 *
 * @example Usage
 * ```ts ignore
 * const options: CreateAttestationOptions = {
 *   privateKey, kid, domain: "maker.com", role: "maker", agentId: "urn:agentpin:maker.com:bot",
 *   delegateeDomain: "deployer.com", delegateeAgentId: "urn:agentpin:deployer.com:bot",
 *   capabilities: ["read:data"],
 * };
 * ```
 */
export interface CreateAttestationOptions {
  /** The attesting entity's signing key (CryptoKey or PKCS#8 PEM). */
  privateKey: PrivateKeyInput;
  /** Its key id. */
  kid: string;
  /** The attesting entity's domain. */
  domain: string;
  /** `maker` or `deployer`. */
  role: string;
  /** The attested agent. */
  agentId: string;
  /** The delegatee's domain. */
  delegateeDomain: string;
  /** The delegatee's agent id. */
  delegateeAgentId: string;
  /** The delegated capabilities. */
  capabilities: readonly string[];
}

/**
 * The exact string an attestation signs.
 *
 * @param domain Attesting domain.
 * @param role `maker` or `deployer`.
 * @param agentId Attested agent.
 * @param delegateeDomain Delegatee domain.
 * @param delegateeAgentId Delegatee agent.
 * @param capabilities Delegated capabilities.
 * @returns The canonical input.
 *
 * @example Usage
 * ```ts
 * import { canonicalAttestationInput } from "@symbiont/sdk/agentpin";
 * console.log(await canonicalAttestationInput("m.com", "maker", "a", "d.com", "b", ["read:x"]));
 * ```
 */
export async function canonicalAttestationInput(
  domain: string,
  role: string,
  agentId: string,
  delegateeDomain: string,
  delegateeAgentId: string,
  capabilities: readonly string[],
): Promise<string> {
  const fields = [domain, role, agentId, delegateeDomain, delegateeAgentId];
  if (fields.some((f) => typeof f !== "string" || f.includes("|"))) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      "attestation fields must be strings without '|'",
    );
  }
  return `${fields.join("|")}|${await capabilitiesHash(capabilities)}`;
}

/**
 * Creates a signed delegation attestation (a `delegation_chain` entry).
 *
 * @param options Key, attesting side, delegatee and capabilities.
 * @returns `{domain, role, agent_id, kid, attestation}`.
 * @throws {AgentPinError} `INVALID_KEY` or `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { createAttestation, generateKeyPair } from "@symbiont/sdk/agentpin";
 * const maker = await generateKeyPair();
 * const attestation = await createAttestation({
 *   privateKey: maker.privateKeyPem, kid: maker.kid, domain: "maker.com", role: "maker",
 *   agentId: "urn:agentpin:maker.com:bot", delegateeDomain: "deployer.com",
 *   delegateeAgentId: "urn:agentpin:deployer.com:bot", capabilities: ["read:data"],
 * });
 * console.log(attestation.role); // "maker"
 * ```
 */
export async function createAttestation(
  options: CreateAttestationOptions,
): Promise<DelegationAttestation> {
  checkKid(options.kid);
  if (options.role !== "maker" && options.role !== "deployer") {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "role must be maker or deployer");
  }
  const input = await canonicalAttestationInput(
    options.domain,
    options.role,
    options.agentId,
    options.delegateeDomain,
    options.delegateeAgentId,
    options.capabilities,
  );
  const key = await toSigningKey(options.privateKey);
  return {
    domain: options.domain,
    role: options.role,
    agent_id: options.agentId,
    kid: options.kid,
    attestation: await signB64Der(key, utf8(input)),
  };
}

/**
 * Verifies a delegation attestation's signature for a delegatee and capability list.
 *
 * @param attestation The attestation.
 * @param publicKey The attesting entity's key (SPKI PEM, JWK or CryptoKey).
 * @param delegateeDomain The delegatee's domain.
 * @param delegateeAgentId The delegatee's agent id.
 * @param capabilities The delegated capabilities.
 * @returns Resolves when valid.
 * @throws {AgentPinError} `DELEGATION_INVALID`, or `INVALID_KEY`.
 *
 * @example Usage
 * ```ts ignore
 * await verifyAttestation(attestation, maker.publicKeyJwk, "deployer.com", agentId, ["read:data"]);
 * ```
 */
export async function verifyAttestation(
  attestation: DelegationAttestation,
  publicKey: PublicKeyInput,
  delegateeDomain: string,
  delegateeAgentId: string,
  capabilities: readonly string[],
): Promise<void> {
  const key = await importPublicKey(publicKey);
  let input: string;
  try {
    input = await canonicalAttestationInput(
      attestation?.domain,
      attestation?.role,
      attestation?.agent_id,
      delegateeDomain,
      delegateeAgentId,
      capabilities,
    );
  } catch {
    throw new AgentPinError(ErrorCode.DELEGATION_INVALID, "malformed delegation attestation");
  }
  if (!(await verifyB64(key, utf8(input), attestation.attestation))) {
    throw new AgentPinError(
      ErrorCode.DELEGATION_INVALID,
      `delegation attestation from ${attestation.domain} failed signature verification`,
    );
  }
}

/**
 * Checks a chain length against the smallest `max_delegation_depth` of the entities involved.
 *
 * @param chainLength Number of attestations.
 * @param maxDepths Each entity's `max_delegation_depth`.
 * @throws {AgentPinError} `DELEGATION_DEPTH_EXCEEDED`.
 *
 * @example Usage
 * ```ts
 * import { verifyChainDepth } from "@symbiont/sdk/agentpin";
 * verifyChainDepth(1, [2, 3]); // ok
 * ```
 */
export function verifyChainDepth(chainLength: number, maxDepths: readonly number[]): void {
  const min = maxDepths.length ? Math.min(...maxDepths) : 0;
  if (chainLength > min) {
    throw new AgentPinError(
      ErrorCode.DELEGATION_DEPTH_EXCEEDED,
      `delegation chain depth ${chainLength} exceeds minimum max_delegation_depth ${min}`,
    );
  }
}
