/**
 * Constant-time comparison of byte strings.
 *
 * @module
 */

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ.
 * Arrays of different lengths are unequal (lengths are not secret: signatures have fixed sizes).
 *
 * @param a First byte array.
 * @param b Second byte array.
 * @returns `true` when both hold the same bytes.
 *
 * @example Comparing two MACs
 * ```ts
 * import { timingSafeEqual } from "@symbiont/sdk/webhooks";
 * console.log(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))); // true
 * console.log(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))); // false
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
