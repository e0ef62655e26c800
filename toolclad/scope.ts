/**
 * Pre-flight scope math (the runtime enforces `scope/scope.toml` itself): IP-in-CIDR for IPv4 and
 * IPv6, hostname wildcard patterns, and URL host allow-lists, matching ToolClad's
 * `tests/scope_vectors.json`.
 *
 * @module
 */
import { parseIpv4, parseIpv6 } from "./validators.ts";

function toBits(ip: string): { bits: bigint; width: number } | null {
  const v4 = parseIpv4(ip);
  if (v4) return { bits: v4.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n), width: 32 };
  const v6 = parseIpv6(ip);
  if (v6) return { bits: v6.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n), width: 128 };
  return null;
}

/**
 * Whether `ip` lies inside `cidr` (same family; network and broadcast addresses included).
 *
 * @param ip An IPv4 or IPv6 address.
 * @param cidr A network such as `10.0.1.0/24` or `2001:db8::/32`.
 * @returns `true` when inside; `false` when outside, of another family, or malformed.
 *
 * @example
 * ```ts
 * import { ipInCidr } from "@symbiont/sdk/toolclad";
 *
 * ipInCidr("10.0.1.5", "10.0.1.0/24"); // true
 * ```
 */
export function ipInCidr(ip: string, cidr: string): boolean {
  const slash = cidr.lastIndexOf("/");
  if (slash < 0) return false;
  const prefixText = cidr.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return false;
  const net = toBits(cidr.slice(0, slash));
  const addr = toBits(ip);
  const prefix = Number(prefixText);
  if (!net || !addr || net.width !== addr.width || prefix > net.width) return false;
  const shift = BigInt(net.width - prefix);
  return (net.bits >> shift) === (addr.bits >> shift);
}

/**
 * Whether a hostname matches a scope pattern: exact (case-insensitive), or `*.domain`, which
 * matches any subdomain at any depth but not the apex and not look-alike suffixes.
 *
 * @param hostname The host.
 * @param pattern `example.com` or `*.example.com`.
 * @returns Whether it matches.
 *
 * @example
 * ```ts
 * import { hostMatchesPattern } from "@symbiont/sdk/toolclad";
 *
 * hostMatchesPattern("evil-example.com", "*.example.com"); // false
 * ```
 */
export function hostMatchesPattern(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  const pat = pattern.toLowerCase().replace(/\.$/, "");
  if (pat.startsWith("*.")) {
    const suffix = pat.slice(1);
    return host.length > suffix.length && host.endsWith(suffix);
  }
  return host === pat;
}

/**
 * Whether a URL's host is one of the allowed host patterns (see {@link hostMatchesPattern}).
 *
 * @param url The URL.
 * @param allowedHosts Allowed host names or `*.` patterns.
 * @returns `false` also when the URL does not parse.
 *
 * @example
 * ```ts
 * import { urlHostAllowed } from "@symbiont/sdk/toolclad";
 *
 * urlHostAllowed("https://api.example.com.evil.com/v1", ["api.example.com"]); // false
 * ```
 */
export function urlHostAllowed(url: string, allowedHosts: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return allowedHosts.some((pattern) => hostMatchesPattern(host, pattern));
}
