/**
 * AgentPin constraint checks: a credential's constraints must be no looser than the discovery
 * defaults of its agent.
 *
 * @module
 */
import type { Constraints } from "./types.ts";

const CLASSIFICATION: Record<string, number> = {
  public: 0,
  internal: 1,
  confidential: 2,
  restricted: 3,
};

/**
 * Parses a rate limit (`N/second`, `N/minute`, `N/hour`) into requests per hour.
 *
 * @param rate The rate limit string.
 * @returns Requests per hour, or `null` when it does not parse.
 *
 * @example Usage
 * ```ts
 * import { parseRateLimit } from "@symbiont/sdk/agentpin";
 * console.log(parseRateLimit("2/minute")); // 120
 * ```
 */
export function parseRateLimit(rate: string): number | null {
  const m = /^(\d{1,12})\/(second|minute|hour)$/.exec(rate);
  if (!m) return null;
  const n = Number(m[1]);
  return m[2] === "second" ? n * 3600 : m[2] === "minute" ? n * 60 : n;
}

/**
 * Whether a domain pattern covers a domain: exact match, or `*.x` for subdomains of `x` (never `x`
 * itself).
 *
 * @param pattern The pattern.
 * @param domain The domain (or a narrower pattern).
 * @returns Whether it is covered.
 *
 * @example Usage
 * ```ts
 * import { domainPatternMatches } from "@symbiont/sdk/agentpin";
 * console.log(domainPatternMatches("*.example.com", "api.example.com")); // true
 * console.log(domainPatternMatches("*.example.com", "example.com")); // false
 * ```
 */
export function domainPatternMatches(pattern: string, domain: string): boolean {
  if (pattern === domain) return true;
  if (!pattern.startsWith("*.")) return false;
  const suffix = pattern.slice(1); // ".example.com"
  return domain.length > suffix.length && domain.endsWith(suffix);
}

/**
 * Whether credential constraints are equal to or stricter than the discovery defaults: data
 * classification no higher, rate limit no higher (normalised per hour), allowed domains covered.
 * A side without constraints passes, as in the reference. `denied_domains`, `ip_allowlist` and
 * `valid_hours` are not compared.
 *
 * A value that cannot be compared (an unknown classification, an unparsable rate) on the
 * credential side fails closed here, whereas the reference skips it.
 *
 * @param discovery The agent's discovery constraints.
 * @param credential The credential's constraints.
 * @returns Whether the credential is within the defaults.
 *
 * @example Usage
 * ```ts
 * import { constraintsSubsetOf } from "@symbiont/sdk/agentpin";
 * console.log(constraintsSubsetOf({ rate_limit: "100/hour" }, { rate_limit: "1/second" })); // false
 * ```
 */
export function constraintsSubsetOf(
  discovery: Constraints | null | undefined,
  credential: Constraints | null | undefined,
): boolean {
  if (!discovery || !credential) return true;
  if (discovery.data_classification_max && credential.data_classification_max !== undefined) {
    const d = CLASSIFICATION[discovery.data_classification_max];
    const c = CLASSIFICATION[String(credential.data_classification_max)];
    if (d !== undefined && (c === undefined || c > d)) return false;
  }
  if (discovery.rate_limit && credential.rate_limit !== undefined) {
    const d = parseRateLimit(discovery.rate_limit);
    const c = parseRateLimit(String(credential.rate_limit));
    if (d !== null && (c === null || c > d)) return false;
  }
  if (Array.isArray(discovery.allowed_domains) && credential.allowed_domains !== undefined) {
    const allowed = discovery.allowed_domains;
    if (!Array.isArray(credential.allowed_domains)) return false;
    for (const wanted of credential.allowed_domains) {
      if (typeof wanted !== "string") return false;
      if (!allowed.some((p) => typeof p === "string" && domainPatternMatches(p, wanted))) {
        return false;
      }
    }
  }
  return true;
}
