/**
 * AgentPin capabilities (`action:resource`): grammar, matching and hashing.
 *
 * @module
 */
import { sha256, toHex } from "./_base64.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";

/**
 * The core actions of the AgentPin taxonomy.
 *
 * @example Usage
 * ```ts
 * import { CORE_ACTIONS } from "@symbiont/sdk/agentpin";
 * console.log(CORE_ACTIONS.includes("read")); // true
 * ```
 */
export const CORE_ACTIONS: readonly string[] = [
  "read",
  "write",
  "delete",
  "execute",
  "delegate",
  "admin",
];

/**
 * Splits a capability at its first `:`.
 *
 * @param capability An `action:resource` string.
 * @returns `[action, resource]`, or `null` without a `:`.
 *
 * @example Usage
 * ```ts
 * import { parseCapability } from "@symbiont/sdk/agentpin";
 * console.log(parseCapability("read:codebase.github.com/org")); // ["read", "codebase.github.com/org"]
 * ```
 */
export function parseCapability(capability: string): [string, string] | null {
  const i = capability.indexOf(":");
  return i < 0 ? null : [capability.slice(0, i), capability.slice(i + 1)];
}

/**
 * Whether a declared capability (from a discovery document) covers a requested one: same action,
 * and the declared resource is `*`, equal, or a `.`-separated prefix (`read:codebase` covers
 * `read:codebase.github.com/org/repo`).
 *
 * @param declared The declared capability.
 * @param requested The requested capability.
 * @returns Whether it is covered.
 *
 * @example Usage
 * ```ts
 * import { capabilityMatches } from "@symbiont/sdk/agentpin";
 * console.log(capabilityMatches("read:*", "read:data")); // true
 * console.log(capabilityMatches("read:data", "write:data")); // false
 * ```
 */
export function capabilityMatches(declared: string, requested: string): boolean {
  const d = parseCapability(declared);
  const r = parseCapability(requested);
  if (!d || !r || d[0] !== r[0]) return false;
  const [, dr] = d;
  const [, rr] = r;
  if (dr === "*" || dr === rr) return true;
  return rr.length > dr.length && rr.startsWith(dr) && rr.charCodeAt(dr.length) === 46; // "."
}

/**
 * Whether every requested capability is covered by some declared one.
 *
 * @param declared Declared capabilities.
 * @param requested Requested capabilities.
 * @returns Whether the request is a subset.
 *
 * @example Usage
 * ```ts
 * import { capabilitiesSubset } from "@symbiont/sdk/agentpin";
 * console.log(capabilitiesSubset(["read:*"], ["read:a", "write:b"])); // false
 * ```
 */
export function capabilitiesSubset(
  declared: readonly string[],
  requested: readonly string[],
): boolean {
  return requested.every((r) => declared.some((d) => capabilityMatches(d, r)));
}

const ACTION = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$/;
// Printable ASCII without spaces; `/` allowed (scoped resources), `*` only alone.
const RESOURCE = /^[\x21-\x7e]+$/;

/**
 * Checks one capability against the grammar this SDK issues: `action:resource`, a lowercase action
 * (a core action, or a custom one such as `com.example.scan`), a non-empty printable resource
 * without spaces, `*` only as the whole resource, and never `admin:*` (admin is never granted by
 * wildcard).
 *
 * @param capability The capability string.
 * @throws {AgentPinError} `INVALID_CAPABILITY` with the offending value.
 *
 * @example Usage
 * ```ts
 * import { validateCapability } from "@symbiont/sdk/agentpin";
 * validateCapability("read:data"); // ok
 * try { validateCapability("admin:*"); } catch (e) { console.log((e as Error).message); }
 * ```
 */
export function validateCapability(capability: unknown): void {
  const fail = (why: string) =>
    new AgentPinError(
      ErrorCode.INVALID_CAPABILITY,
      `invalid capability ${JSON.stringify(String(capability)).slice(0, 140)}: ${why}`,
    );
  if (typeof capability !== "string") throw fail("must be a string");
  if (capability.length > 256) throw fail("longer than 256 characters");
  const parts = parseCapability(capability);
  if (!parts) throw fail("missing ':' between action and resource");
  const [action, resource] = parts;
  if (!ACTION.test(action)) {
    throw fail("the action must be lowercase letters, digits, '-', '_' or '.'");
  }
  if (!RESOURCE.test(resource)) {
    throw fail("the resource must be non-empty printable ASCII without spaces");
  }
  if (resource.includes("*") && resource !== "*") {
    throw fail("'*' is only allowed as the whole resource");
  }
  if (action === "admin" && resource === "*") {
    throw fail("admin capabilities must be scoped explicitly, never 'admin:*'");
  }
}

/**
 * The delegation `capabilities_hash`: lowercase hex SHA-256 of compact `JSON.stringify` of the
 * sorted capability strings.
 *
 * @param capabilities Capability strings.
 * @returns 64 hex characters.
 *
 * @example Usage
 * ```ts
 * import { capabilitiesHash } from "@symbiont/sdk/agentpin";
 * console.log(await capabilitiesHash(["write:reports", "read:data"]));
 * // bd57ad3d0ffa51ff49bc9d486bbdabaadcd04660c3aa8a8474759fbbd9cfbd6c
 * ```
 */
export async function capabilitiesHash(capabilities: readonly string[]): Promise<string> {
  const sorted = [...capabilities].sort();
  return toHex(await sha256(JSON.stringify(sorted)));
}
