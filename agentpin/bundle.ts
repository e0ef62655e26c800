/**
 * AgentPin trust bundles: pre-shared discovery and revocation documents for verification without
 * `.well-known` fetches. Create, validate, load, save (as text or through a `StorageAdapter`).
 * Bundles are unsigned in AgentPin 0.1: only load them from a source you trust.
 *
 * @module
 */
import type { StorageAdapter } from "../memory/storage.ts";
import { validateDiscoveryDocument } from "./discovery.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import { validateRevocationDocument } from "./revocation.ts";
import type { DiscoveryDocument, RevocationDocument, TrustBundle } from "./types.ts";

/**
 * Creates an empty trust bundle (`agentpin_bundle_version` 0.1).
 *
 * @param createdAt ISO-8601; default now.
 * @returns The bundle.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle } from "@symbiont/sdk/agentpin";
 * console.log(createTrustBundle().documents.length); // 0
 * ```
 */
export function createTrustBundle(createdAt?: string): TrustBundle {
  return {
    agentpin_bundle_version: "0.1",
    created_at: createdAt ?? new Date().toISOString(),
    documents: [],
    revocations: [],
  };
}

/**
 * Adds (or replaces, by `entity`) a discovery document after validating it.
 *
 * @param bundle The bundle (modified).
 * @param doc The discovery document.
 * @throws {AgentPinError} `DISCOVERY_INVALID`.
 *
 * @example Usage
 * ```ts ignore
 * addDiscoveryToBundle(bundle, discovery);
 * ```
 */
export function addDiscoveryToBundle(bundle: TrustBundle, doc: DiscoveryDocument): void {
  validateDiscoveryDocument(doc, (doc as { entity?: string })?.entity as string);
  bundle.documents = bundle.documents.filter((d) => d.entity !== doc.entity);
  bundle.documents.push(doc);
}

/**
 * Adds (or replaces, by `entity`) a revocation document after validating it.
 *
 * @param bundle The bundle (modified).
 * @param doc The revocation document.
 * @throws {AgentPinError} `REVOCATION_INVALID`.
 *
 * @example Usage
 * ```ts ignore
 * addRevocationToBundle(bundle, revocation);
 * ```
 */
export function addRevocationToBundle(bundle: TrustBundle, doc: RevocationDocument): void {
  validateRevocationDocument(doc);
  bundle.revocations = bundle.revocations.filter((r) => r.entity !== doc.entity);
  bundle.revocations.push(doc);
}

/**
 * The bundle's discovery document for a domain.
 *
 * @param bundle The bundle.
 * @param domain The domain.
 * @returns The document or `null`.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle, findBundleDiscovery } from "@symbiont/sdk/agentpin";
 * console.log(findBundleDiscovery(createTrustBundle(), "example.com")); // null
 * ```
 */
export function findBundleDiscovery(bundle: TrustBundle, domain: string): DiscoveryDocument | null {
  return bundle.documents.find((d) => d.entity === domain) ?? null;
}

/**
 * The bundle's revocation document for a domain.
 *
 * @param bundle The bundle.
 * @param domain The domain.
 * @returns The document or `null`.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle, findBundleRevocation } from "@symbiont/sdk/agentpin";
 * console.log(findBundleRevocation(createTrustBundle(), "example.com")); // null
 * ```
 */
export function findBundleRevocation(
  bundle: TrustBundle,
  domain: string,
): RevocationDocument | null {
  return (bundle.revocations ?? []).find((r) => r.entity === domain) ?? null;
}

/**
 * Validates a parsed trust bundle: version 0.1, a `created_at` string, valid discovery and
 * revocation documents, one document per entity.
 *
 * @param value The parsed bundle.
 * @returns The bundle, typed.
 * @throws {AgentPinError} `BUNDLE_INVALID` naming the faulty document.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle, validateTrustBundle } from "@symbiont/sdk/agentpin";
 * validateTrustBundle(createTrustBundle());
 * ```
 */
export function validateTrustBundle(value: unknown): TrustBundle {
  const bad = (why: string, cause?: unknown) =>
    new AgentPinError(
      ErrorCode.BUNDLE_INVALID,
      `trust bundle: ${why}`,
      cause ? { cause } : undefined,
    );
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw bad("must be a JSON object");
  }
  const b = value as Record<string, unknown>;
  if (b.agentpin_bundle_version !== "0.1") throw bad('agentpin_bundle_version must be "0.1"');
  if (typeof b.created_at !== "string") throw bad("created_at must be a string");
  if (!Array.isArray(b.documents)) throw bad("documents must be an array");
  if (b.revocations !== undefined && !Array.isArray(b.revocations)) {
    throw bad("revocations must be an array");
  }
  const seen = new Set<string>();
  b.documents.forEach((doc, i) => {
    const entity = (doc as { entity?: unknown })?.entity;
    try {
      validateDiscoveryDocument(doc, entity as string);
    } catch (error) {
      throw bad(`documents[${i}]: ${(error as Error).message}`, error);
    }
    if (seen.has(entity as string)) throw bad(`two discovery documents for ${String(entity)}`);
    seen.add(entity as string);
  });
  const revSeen = new Set<string>();
  ((b.revocations ?? []) as unknown[]).forEach((doc, i) => {
    try {
      validateRevocationDocument(doc);
    } catch (error) {
      throw bad(`revocations[${i}]: ${(error as Error).message}`, error);
    }
    const entity = (doc as { entity: string }).entity;
    if (revSeen.has(entity)) throw bad(`two revocation documents for ${entity}`);
    revSeen.add(entity);
  });
  if (b.revocations === undefined) b.revocations = [];
  return value as TrustBundle;
}

/**
 * Parses and validates a trust bundle from JSON text.
 *
 * @param json The bundle JSON.
 * @returns The bundle.
 * @throws {AgentPinError} `BUNDLE_INVALID`.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle, loadTrustBundle, saveTrustBundle } from "@symbiont/sdk/agentpin";
 * const copy = loadTrustBundle(saveTrustBundle(createTrustBundle()));
 * console.log(copy.agentpin_bundle_version); // "0.1"
 * ```
 */
export function loadTrustBundle(json: string): TrustBundle {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AgentPinError(ErrorCode.BUNDLE_INVALID, "trust bundle: not JSON");
  }
  return validateTrustBundle(value);
}

/**
 * Serialises a trust bundle as JSON text (indented by 2), after validating it.
 *
 * @param bundle The bundle.
 * @returns JSON text.
 * @throws {AgentPinError} `BUNDLE_INVALID`.
 *
 * @example Usage
 * ```ts
 * import { createTrustBundle, saveTrustBundle } from "@symbiont/sdk/agentpin";
 * console.log(saveTrustBundle(createTrustBundle()).includes("agentpin_bundle_version")); // true
 * ```
 */
export function saveTrustBundle(bundle: TrustBundle): string {
  validateTrustBundle(bundle);
  return JSON.stringify(bundle, null, 2);
}

/**
 * Loads a trust bundle from a storage adapter (filesystem, KV, memory).
 *
 * @param storage The storage.
 * @param key The storage key.
 * @returns The bundle.
 * @throws {AgentPinError} `BUNDLE_INVALID`, also when the key is absent.
 *
 * @example Usage
 * ```ts ignore
 * const bundle = await loadTrustBundleFrom(storage, "agentpin/bundle.json");
 * ```
 */
export async function loadTrustBundleFrom(
  storage: StorageAdapter,
  key: string,
): Promise<TrustBundle> {
  const text = await storage.get(key);
  if (text === undefined) {
    throw new AgentPinError(ErrorCode.BUNDLE_INVALID, `trust bundle: no value at '${key}'`);
  }
  return loadTrustBundle(text);
}

/**
 * Saves a trust bundle through a storage adapter.
 *
 * @param storage The storage.
 * @param key The storage key.
 * @param bundle The bundle.
 * @returns Resolves once written.
 * @throws {AgentPinError} `BUNDLE_INVALID`.
 *
 * @example Usage
 * ```ts ignore
 * await saveTrustBundleTo(storage, "agentpin/bundle.json", bundle);
 * ```
 */
export async function saveTrustBundleTo(
  storage: StorageAdapter,
  key: string,
  bundle: TrustBundle,
): Promise<void> {
  await storage.put(key, saveTrustBundle(bundle));
}
