/** Key rules shared by every storage adapter, and the one sort order they all use. */
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/** Longest key, in UTF-8 bytes, that an adapter accepts. */
export const MAX_KEY_BYTES = 1024;
/** Longest single `/`-separated segment, in UTF-8 bytes (a file name on most filesystems). */
export const MAX_SEGMENT_BYTES = 255;

const encoder = new TextEncoder();

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function describeKey(key: string): string {
  const shown = key.length > 60 ? `${key.slice(0, 60)}...` : key;
  return JSON.stringify(shown);
}

/** The reason a segment breaks the rules, or `undefined` when it is fine. */
function segmentProblem(segment: string): string | undefined {
  if (segment === "") return "has an empty segment (leading, trailing or doubled '/')";
  if (segment === "." || segment === "..") return `has a '${segment}' segment`;
  if (segment.startsWith(".")) return "has a segment starting with '.'";
  if (segment.includes("\\")) return "contains a backslash";
  if (CONTROL.test(segment)) return "contains NUL or another control character";
  if (encoder.encode(segment).length > MAX_SEGMENT_BYTES) {
    return `has a segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  }
  return undefined;
}

/**
 * Throws `MEMORY_INVALID_KEY` unless `key` is a relative `/`-separated path whose segments are
 * non-empty, not `.`/`..`, do not start with `.`, hold no backslash or control character and are
 * at most 255 bytes, the whole at most 1024 bytes.
 */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string") {
    throw new MemoryError(
      MemoryErrorCode.InvalidKey,
      `storage key must be a string, got ${typeof key}`,
    );
  }
  if (encoder.encode(key).length > MAX_KEY_BYTES) {
    throw new MemoryError(
      MemoryErrorCode.InvalidKey,
      `storage key ${describeKey(key)} is longer than ${MAX_KEY_BYTES} bytes`,
    );
  }
  for (const segment of key.split("/")) {
    const problem = segmentProblem(segment);
    if (problem) {
      throw new MemoryError(
        MemoryErrorCode.InvalidKey,
        `storage key ${describeKey(key)} ${problem}`,
      );
    }
  }
}

/**
 * Throws `MEMORY_INVALID_KEY` unless `prefix` is `""` or a start of some valid key: every complete
 * segment (before the last `/`) follows the key rules, and the last, partial one holds no
 * backslash or control character.
 */
export function checkPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== "string") {
    throw new MemoryError(
      MemoryErrorCode.InvalidKey,
      `storage prefix must be a string, got ${typeof prefix}`,
    );
  }
  if (prefix === "") return;
  if (encoder.encode(prefix).length > MAX_KEY_BYTES) {
    throw new MemoryError(
      MemoryErrorCode.InvalidKey,
      `storage prefix ${describeKey(prefix)} is longer than ${MAX_KEY_BYTES} bytes`,
    );
  }
  const segments = prefix.split("/");
  const partial = segments.pop() ?? "";
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) {
      throw new MemoryError(
        MemoryErrorCode.InvalidKey,
        `storage prefix ${describeKey(prefix)} ${problem}`,
      );
    }
  }
  if (partial.includes("\\") || CONTROL.test(partial)) {
    throw new MemoryError(
      MemoryErrorCode.InvalidKey,
      `storage prefix ${describeKey(prefix)} contains a backslash or control character`,
    );
  }
}

/**
 * Orders keys by Unicode code point (the same order as their UTF-8 bytes, which is how Deno KV and
 * Workers KV sort), so every adapter lists in one order.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
