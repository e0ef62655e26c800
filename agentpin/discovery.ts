/**
 * AgentPin discovery documents: build, validate, look up, and fetch from
 * `https://{domain}/.well-known/agent-identity.json`.
 *
 * @module
 */
import { isDomain } from "./_domain.ts";
import { fetchJson, type FetchLike } from "./_fetch.ts";
import { validateCapability } from "./capability.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import { checkJwk, checkKid } from "./keys.ts";
import type { AgentDeclaration, AgentPinJwk, DiscoveryDocument } from "./types.ts";

/**
 * Limits and transport of an online fetch.
 *
 * @example Usage
 * ```ts
 * import type { FetchDocumentOptions } from "@symbiont/sdk/agentpin";
 * const options: FetchDocumentOptions = { timeoutMs: 5000, maxBytes: 65536 };
 * ```
 */
export interface FetchDocumentOptions {
  /** The `fetch` to use (default: the global one). Tests and proxies inject their own. */
  fetch?: FetchLike;
  /** Timeout for the whole request, headers and body. Default 10 000 ms. */
  timeoutMs?: number;
  /** Largest accepted body. Default 262 144 bytes. */
  maxBytes?: number;
  /** Caller's abort signal. */
  signal?: AbortSignal;
}

/**
 * The discovery URL of a domain: `https://{domain}/.well-known/agent-identity.json`.
 *
 * @param domain A lowercase DNS name (no scheme, port or path).
 * @returns The HTTPS URL.
 * @throws {AgentPinError} `INVALID_ARGUMENT` for anything but a domain name.
 *
 * @example Usage
 * ```ts
 * import { discoveryUrl } from "@symbiont/sdk/agentpin";
 * console.log(discoveryUrl("example.com")); // https://example.com/.well-known/agent-identity.json
 * ```
 */
export function discoveryUrl(domain: string): string {
  if (!isDomain(domain)) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      `not a domain name: ${JSON.stringify(String(domain)).slice(0, 100)}`,
    );
  }
  return `https://${domain}/.well-known/agent-identity.json`;
}

/**
 * The default revocation URL of a domain:
 * `https://{domain}/.well-known/agent-identity-revocations.json`.
 *
 * @param domain A lowercase DNS name.
 * @returns The HTTPS URL.
 * @throws {AgentPinError} `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { revocationUrl } from "@symbiont/sdk/agentpin";
 * console.log(revocationUrl("example.com"));
 * ```
 */
export function revocationUrl(domain: string): string {
  return discoveryUrl(domain).replace(/agent-identity\.json$/, "agent-identity-revocations.json");
}

const invalidDoc = (message: string) => new AgentPinError(ErrorCode.DISCOVERY_INVALID, message);

/**
 * Validates a discovery document for a domain, as the reference does (version `"0.1"`, `entity`
 * equals the domain, at least one key, `max_delegation_depth` ≤ 3) and a little more, so that
 * later steps cannot trip on a malformed document: keys are objects with a string `kid`, `agents`
 * is an array of objects with a string `agent_id`, depth is an integer 0–3, `entity_type` (when
 * present) is maker, deployer or both.
 *
 * @param doc The parsed document.
 * @param expectedEntity The domain it must describe.
 * @returns The document, typed.
 * @throws {AgentPinError} `DISCOVERY_INVALID`, or `DOMAIN_MISMATCH` for another entity.
 *
 * @example Usage
 * ```ts ignore
 * import { validateDiscoveryDocument } from "@symbiont/sdk/agentpin";
 * const doc = validateDiscoveryDocument(JSON.parse(text), "example.com");
 * ```
 */
export function validateDiscoveryDocument(doc: unknown, expectedEntity: string): DiscoveryDocument {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw invalidDoc("a discovery document must be a JSON object");
  }
  const d = doc as Record<string, unknown>;
  if (d.agentpin_version !== "0.1") {
    throw invalidDoc(
      `unsupported agentpin_version ${JSON.stringify(d.agentpin_version)}`.slice(0, 120),
    );
  }
  if (d.entity !== expectedEntity) {
    throw new AgentPinError(
      ErrorCode.DOMAIN_MISMATCH,
      `discovery entity ${JSON.stringify(d.entity)} does not match expected ${
        JSON.stringify(expectedEntity)
      }`.slice(0, 300),
    );
  }
  if (!Array.isArray(d.public_keys) || d.public_keys.length === 0) {
    throw invalidDoc("a discovery document must have at least one public key");
  }
  if (d.max_delegation_depth !== undefined) {
    const depth = d.max_delegation_depth;
    if (typeof depth !== "number" || !Number.isInteger(depth) || depth < 0 || depth > 3) {
      throw invalidDoc("max_delegation_depth must be an integer from 0 to 3");
    }
  }
  for (const key of d.public_keys) {
    if (
      typeof key !== "object" || key === null || typeof (key as { kid?: unknown }).kid !== "string"
    ) {
      throw invalidDoc("every public key must be a JWK object with a string kid");
    }
  }
  if (!Array.isArray(d.agents)) throw invalidDoc("agents must be an array");
  for (const agent of d.agents) {
    if (
      typeof agent !== "object" || agent === null ||
      typeof (agent as { agent_id?: unknown }).agent_id !== "string"
    ) {
      throw invalidDoc("every agent must be an object with a string agent_id");
    }
  }
  if (
    d.entity_type !== undefined && !["maker", "deployer", "both"].includes(d.entity_type as string)
  ) {
    throw invalidDoc("entity_type must be maker, deployer or both");
  }
  if (
    d.revocation_endpoint !== undefined && d.revocation_endpoint !== null &&
    typeof d.revocation_endpoint !== "string"
  ) {
    throw invalidDoc("revocation_endpoint must be a string");
  }
  return doc as DiscoveryDocument;
}

/**
 * Options of {@link buildDiscoveryDocument}.
 *
 * @example Usage
 * ```ts ignore
 * const options: BuildDiscoveryOptions = { entity: "example.com", publicKeys: [jwk], agents: [] };
 * ```
 */
export interface BuildDiscoveryOptions {
  /** The domain. */
  entity: string;
  /** `maker`, `deployer` or `both`. Default `maker`. */
  entityType?: string;
  /** Public JWKs, each with a `kid`. */
  publicKeys: readonly AgentPinJwk[];
  /** Agent declarations; `status` defaults to `active`. */
  agents: readonly (Omit<AgentDeclaration, "status"> & { status?: string })[];
  /** 0–3. Default 0 (no delegation). */
  maxDelegationDepth?: number;
  /** ISO-8601. Default now. */
  updatedAt?: string;
  /** Default `https://{entity}/.well-known/agent-identity-revocations.json`; `null` omits it. */
  revocationEndpoint?: string | null;
  /** Optional policy URL. */
  policyUrl?: string;
  /** Optional SchemaPin endpoint. */
  schemapinEndpoint?: string;
  /** Optional A2A AgentCard endpoint. */
  a2aEndpoint?: string;
}

function checkAgent(agent: Record<string, unknown>): AgentDeclaration {
  const bad = (why: string) =>
    new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      `agent ${JSON.stringify(String(agent?.agent_id)).slice(0, 100)}: ${why}`,
    );
  if (typeof agent !== "object" || agent === null) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "each agent must be an object");
  }
  if (typeof agent.agent_id !== "string" || agent.agent_id.length === 0) {
    throw bad("agent_id must be a non-empty string");
  }
  if (typeof agent.name !== "string" || agent.name.length === 0 || agent.name.length > 128) {
    throw bad("name must be a string of 1 to 128 characters");
  }
  if (
    agent.description !== undefined &&
    (typeof agent.description !== "string" || agent.description.length > 1024)
  ) {
    throw bad("description must be a string of at most 1024 characters");
  }
  if (!Array.isArray(agent.capabilities)) throw bad("capabilities must be an array");
  for (const c of agent.capabilities) validateCapability(c);
  const status = agent.status ?? "active";
  if (!["active", "suspended", "deprecated"].includes(status as string)) {
    throw bad("status must be active, suspended or deprecated");
  }
  const ttl = agent.credential_ttl_max;
  if (
    ttl !== undefined &&
    (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl < 60 || ttl > 86400)
  ) {
    throw bad("credential_ttl_max must be an integer from 60 to 86400");
  }
  return { ...agent, status } as AgentDeclaration;
}

/**
 * Builds and validates a discovery document (`agentpin_version` 0.1, with `updated_at` and a
 * default revocation endpoint), checking every key and agent declaration.
 *
 * @param options Entity, keys, agents and optional endpoints.
 * @returns The document, ready to serve as JSON.
 * @throws {AgentPinError} `INVALID_ARGUMENT`, `INVALID_KEY`, `INVALID_CAPABILITY` or `DISCOVERY_INVALID`.
 *
 * @example Usage
 * ```ts
 * import { buildDiscoveryDocument, generateKeyPair } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const doc = buildDiscoveryDocument({
 *   entity: "example.com",
 *   publicKeys: [keys.publicKeyJwk],
 *   agents: [{ agent_id: "urn:agentpin:example.com:bot", name: "Bot", capabilities: ["read:*"] }],
 * });
 * console.log(doc.revocation_endpoint);
 * ```
 */
export function buildDiscoveryDocument(options: BuildDiscoveryOptions): DiscoveryDocument {
  if (!isDomain(options?.entity)) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "entity must be a lowercase domain name");
  }
  const entityType = options.entityType ?? "maker";
  if (!["maker", "deployer", "both"].includes(entityType)) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      "entityType must be maker, deployer or both",
    );
  }
  if (!Array.isArray(options.publicKeys) || options.publicKeys.length === 0) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "publicKeys must hold at least one JWK");
  }
  const keys = options.publicKeys.map((k) => {
    checkJwk(k);
    checkKid(k.kid);
    return { ...k };
  });
  if (!Array.isArray(options.agents)) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "agents must be an array");
  }
  const agents = options.agents.map((a) => checkAgent(a as Record<string, unknown>));
  const depth = options.maxDelegationDepth ?? 0;
  const doc: DiscoveryDocument = {
    agentpin_version: "0.1",
    entity: options.entity,
    entity_type: entityType,
    public_keys: keys,
    agents,
    max_delegation_depth: depth,
    updated_at: options.updatedAt ?? new Date().toISOString(),
  };
  if (options.revocationEndpoint !== null) {
    const endpoint = options.revocationEndpoint ?? revocationUrl(options.entity);
    if (!endpoint.startsWith("https://")) {
      throw new AgentPinError(
        ErrorCode.INVALID_ARGUMENT,
        "revocationEndpoint must be an https:// URL",
      );
    }
    doc.revocation_endpoint = endpoint;
  }
  if (options.policyUrl !== undefined) doc.policy_url = options.policyUrl;
  if (options.schemapinEndpoint !== undefined) doc.schemapin_endpoint = options.schemapinEndpoint;
  if (options.a2aEndpoint !== undefined) doc.a2a_endpoint = options.a2aEndpoint;
  return validateDiscoveryDocument(doc, options.entity);
}

/**
 * Finds a public key by `kid`.
 *
 * @param doc The discovery document.
 * @param kid The key id.
 * @returns The JWK, or `null`.
 *
 * @example Usage
 * ```ts ignore
 * const jwk = findKeyByKid(doc, header.kid);
 * ```
 */
export function findKeyByKid(doc: DiscoveryDocument, kid: string): AgentPinJwk | null {
  return doc.public_keys.find((k) => k.kid === kid) ?? null;
}

/**
 * Finds an agent declaration by `agent_id`.
 *
 * @param doc The discovery document.
 * @param agentId The agent id (credential `sub`).
 * @returns The declaration, or `null`.
 *
 * @example Usage
 * ```ts ignore
 * const agent = findAgentById(doc, "urn:agentpin:example.com:bot");
 * ```
 */
export function findAgentById(doc: DiscoveryDocument, agentId: string): AgentDeclaration | null {
  return doc.agents.find((a) => a.agent_id === agentId) ?? null;
}

/**
 * Fetches and validates a domain's discovery document: HTTPS only, redirects refused, time and
 * size limits, `entity` must equal the domain.
 *
 * @param domain The issuer domain.
 * @param options fetch, timeout, size limit, signal.
 * @returns The validated document.
 * @throws {AgentPinError} `DISCOVERY_FETCH_FAILED`, `DISCOVERY_INVALID` or `DOMAIN_MISMATCH`.
 *
 * @example Usage
 * ```ts ignore
 * import { fetchDiscoveryDocument } from "@symbiont/sdk/agentpin";
 * const doc = await fetchDiscoveryDocument("example.com", { timeoutMs: 5000 });
 * ```
 */
export async function fetchDiscoveryDocument(
  domain: string,
  options: FetchDocumentOptions = {},
): Promise<DiscoveryDocument> {
  if (!isDomain(domain)) {
    throw new AgentPinError(
      ErrorCode.DISCOVERY_FETCH_FAILED,
      `not a domain name: ${JSON.stringify(String(domain)).slice(0, 100)}`,
    );
  }
  return validateDiscoveryDocument(await fetchJson(discoveryUrl(domain), options), domain);
}
