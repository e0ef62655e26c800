/**
 * AgentPin revocation documents: build, add entries, check, validate and fetch.
 *
 * @module
 */
import { fetchJson } from "./_fetch.ts";
import { isDomain } from "./_domain.ts";
import type { FetchDocumentOptions } from "./discovery.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import type { RevocationDocument } from "./types.ts";

const REASONS = [
  "key_compromise",
  "affiliation_changed",
  "superseded",
  "cessation_of_operation",
  "privilege_withdrawn",
  "policy_violation",
];

/**
 * Builds an empty revocation document for a domain.
 *
 * @param entity The domain.
 * @param updatedAt ISO-8601; default now.
 * @returns The document.
 * @throws {AgentPinError} `INVALID_ARGUMENT` for a bad domain.
 *
 * @example Usage
 * ```ts
 * import { addRevokedKey, buildRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = buildRevocationDocument("example.com");
 * addRevokedKey(doc, "old-kid", "superseded");
 * console.log(doc.revoked_keys[0].kid); // "old-kid"
 * ```
 */
export function buildRevocationDocument(entity: string, updatedAt?: string): RevocationDocument {
  if (!isDomain(entity)) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, "entity must be a lowercase domain name");
  }
  return {
    agentpin_version: "0.1",
    entity,
    updated_at: updatedAt ?? new Date().toISOString(),
    revoked_credentials: [],
    revoked_agents: [],
    revoked_keys: [],
  };
}

function add(
  doc: RevocationDocument,
  list: "revoked_credentials" | "revoked_agents" | "revoked_keys",
  field: "jti" | "agent_id" | "kid",
  value: string,
  reason: string,
): void {
  if (typeof value !== "string" || value.length === 0) {
    throw new AgentPinError(ErrorCode.INVALID_ARGUMENT, `${field} must be a non-empty string`);
  }
  if (!REASONS.includes(reason)) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      `reason must be one of ${REASONS.join(", ")}`,
    );
  }
  const now = new Date().toISOString();
  doc[list].push({ [field]: value, revoked_at: now, reason });
  doc.updated_at = now;
}

/**
 * Adds a revoked credential (`jti`).
 *
 * @param doc The revocation document (modified).
 * @param jti The credential id.
 * @param reason One of the `RevocationReason` values.
 * @throws {AgentPinError} `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { addRevokedCredential, buildRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = buildRevocationDocument("example.com");
 * addRevokedCredential(doc, "1b4e…", "policy_violation");
 * ```
 */
export function addRevokedCredential(doc: RevocationDocument, jti: string, reason: string): void {
  add(doc, "revoked_credentials", "jti", jti, reason);
}

/**
 * Adds a revoked agent.
 *
 * @param doc The revocation document (modified).
 * @param agentId The agent id.
 * @param reason One of the `RevocationReason` values.
 * @throws {AgentPinError} `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { addRevokedAgent, buildRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = buildRevocationDocument("example.com");
 * addRevokedAgent(doc, "urn:agentpin:example.com:bot", "privilege_withdrawn");
 * ```
 */
export function addRevokedAgent(doc: RevocationDocument, agentId: string, reason: string): void {
  add(doc, "revoked_agents", "agent_id", agentId, reason);
}

/**
 * Adds a revoked key.
 *
 * @param doc The revocation document (modified).
 * @param kid The key id.
 * @param reason One of the `RevocationReason` values.
 * @throws {AgentPinError} `INVALID_ARGUMENT`.
 *
 * @example Usage
 * ```ts
 * import { addRevokedKey, buildRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = buildRevocationDocument("example.com");
 * addRevokedKey(doc, "example-2025-01", "key_compromise");
 * ```
 */
export function addRevokedKey(doc: RevocationDocument, kid: string, reason: string): void {
  add(doc, "revoked_keys", "kid", kid, reason);
}

/**
 * Validates a revocation document's shape (version `"0.1"`, a string `entity`, three arrays of
 * objects) and, when given, that it belongs to `expectedEntity`.
 *
 * @param doc The parsed document.
 * @param expectedEntity The domain it must describe, if known.
 * @returns The document, typed.
 * @throws {AgentPinError} `REVOCATION_INVALID` or `DOMAIN_MISMATCH`.
 *
 * @example Usage
 * ```ts
 * import { buildRevocationDocument, validateRevocationDocument } from "@symbiont/sdk/agentpin";
 * validateRevocationDocument(buildRevocationDocument("example.com"), "example.com");
 * ```
 */
export function validateRevocationDocument(
  doc: unknown,
  expectedEntity?: string,
): RevocationDocument {
  const bad = (why: string) =>
    new AgentPinError(ErrorCode.REVOCATION_INVALID, `revocation document: ${why}`);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw bad("must be a JSON object");
  }
  const d = doc as Record<string, unknown>;
  if (d.agentpin_version !== "0.1") throw bad('agentpin_version must be "0.1"');
  if (typeof d.entity !== "string") throw bad("entity must be a string");
  for (const list of ["revoked_credentials", "revoked_agents", "revoked_keys"]) {
    const v = d[list];
    if (!Array.isArray(v) || !v.every((e) => typeof e === "object" && e !== null)) {
      throw bad(`${list} must be an array of objects`);
    }
  }
  if (expectedEntity !== undefined && d.entity !== expectedEntity) {
    throw new AgentPinError(
      ErrorCode.DOMAIN_MISMATCH,
      `revocation entity ${JSON.stringify(d.entity).slice(0, 100)} does not match expected ${
        JSON.stringify(expectedEntity)
      }`,
    );
  }
  return doc as RevocationDocument;
}

/**
 * Checks a credential against a revocation document, in the reference order: `jti`, then agent,
 * then key.
 *
 * @param doc The revocation document.
 * @param jti The credential id.
 * @param agentId The agent id (`sub`).
 * @param kid The header `kid`.
 * @throws {AgentPinError} `CREDENTIAL_REVOKED`, `AGENT_INACTIVE` (revoked agent) or `KEY_REVOKED`.
 *
 * @example Usage
 * ```ts
 * import { buildRevocationDocument, checkRevocation } from "@symbiont/sdk/agentpin";
 * checkRevocation(buildRevocationDocument("example.com"), "jti", "agent", "kid"); // passes
 * ```
 */
export function checkRevocation(
  doc: RevocationDocument,
  jti: string,
  agentId: string,
  kid: string,
): void {
  const rc = doc.revoked_credentials.find((r) => r.jti === jti);
  if (rc) {
    throw new AgentPinError(
      ErrorCode.CREDENTIAL_REVOKED,
      `credential ${jti} revoked: ${String(rc.reason)}`,
    );
  }
  const ra = doc.revoked_agents.find((r) => r.agent_id === agentId);
  if (ra) {
    throw new AgentPinError(
      ErrorCode.AGENT_INACTIVE,
      `agent ${agentId} revoked: ${String(ra.reason)}`,
    );
  }
  const rk = doc.revoked_keys.find((r) => r.kid === kid);
  if (rk) {
    throw new AgentPinError(ErrorCode.KEY_REVOKED, `key ${kid} revoked: ${String(rk.reason)}`);
  }
}

/**
 * Fetches and validates a revocation document (HTTPS only, no redirects, time and size limits).
 *
 * @param url The HTTPS URL (normally the discovery `revocation_endpoint`).
 * @param options fetch, timeout, size limit, signal; `expectedEntity` to check `entity`.
 * @returns The validated document.
 * @throws {AgentPinError} `DISCOVERY_FETCH_FAILED`, `REVOCATION_INVALID` or `DOMAIN_MISMATCH`.
 *
 * @example Usage
 * ```ts ignore
 * import { fetchRevocationDocument } from "@symbiont/sdk/agentpin";
 * const doc = await fetchRevocationDocument(discovery.revocation_endpoint!);
 * ```
 */
export async function fetchRevocationDocument(
  url: string,
  options: FetchDocumentOptions & { expectedEntity?: string } = {},
): Promise<RevocationDocument> {
  return validateRevocationDocument(
    await fetchJson(url, { maxBytes: 1024 * 1024, ...options }),
    options.expectedEntity,
  );
}
