/**
 * The error class every part of agent memory throws, with its stable codes.
 *
 * @module
 */

/**
 * The stable codes of {@link MemoryError}, for `switch (error.code)`.
 *
 * - `MEMORY_INVALID_AGENT_ID`: an agent id that is empty, too long, or could escape the storage
 *   root (separators, `..`, NUL or other control characters, a drive colon, a leading dot).
 * - `MEMORY_INVALID_KEY`: a storage key or prefix that breaks the key rules of {@link StorageAdapter}.
 * - `MEMORY_INVALID_VALUE`: a value given to an adapter that is not a string.
 * - `MEMORY_INVALID_CONTEXT`: a context that is not an `AgentMemoryContext` (wrong types, an
 *   agent id that differs from the one it is saved under, metadata that is not JSON).
 * - `MEMORY_INVALID_OPTION`: a bad constructor or call option (`retentionDays`, a date, ...).
 * - `MEMORY_CORRUPT`: stored data that cannot be read back (for example a metadata block that
 *   is not valid JSON, or a Deno KV value with missing chunks).
 * - `MEMORY_VALUE_TOO_LARGE`: a value the backing store cannot hold.
 * - `MEMORY_STORAGE_FAILED`: the backing store failed (disk full, permission denied, KV error).
 *
 * @example Switching on a code
 * ```ts
 * import { MemoryError, MemoryErrorCode } from "@symbiont/sdk/memory";
 * const error = new MemoryError(MemoryErrorCode.InvalidAgentId, "agent id is empty");
 * if (error.code === "MEMORY_INVALID_AGENT_ID") console.log("refused");
 * ```
 */
export const MemoryErrorCode = {
  InvalidAgentId: "MEMORY_INVALID_AGENT_ID",
  InvalidKey: "MEMORY_INVALID_KEY",
  InvalidValue: "MEMORY_INVALID_VALUE",
  InvalidContext: "MEMORY_INVALID_CONTEXT",
  InvalidOption: "MEMORY_INVALID_OPTION",
  Corrupt: "MEMORY_CORRUPT",
  ValueTooLarge: "MEMORY_VALUE_TOO_LARGE",
  StorageFailed: "MEMORY_STORAGE_FAILED",
} as const;

/**
 * One of the {@link MemoryErrorCode} values.
 *
 * @example Narrowing
 * ```ts
 * import type { MemoryErrorCodeValue } from "@symbiont/sdk/memory";
 * const code: MemoryErrorCodeValue = "MEMORY_INVALID_KEY";
 * ```
 */
export type MemoryErrorCodeValue = typeof MemoryErrorCode[keyof typeof MemoryErrorCode];

/**
 * Thrown by memory stores and storage adapters. `code` is stable; `message` says what was wrong
 * and where; `cause` carries the underlying error of a failed storage operation.
 *
 * @example Catching a refused agent id
 * ```ts
 * import { MarkdownMemoryStore, MemoryError, MemoryStorage } from "@symbiont/sdk/memory";
 * const store = new MarkdownMemoryStore(new MemoryStorage());
 * try {
 *   await store.loadContext("../etc");
 * } catch (error) {
 *   if (error instanceof MemoryError) console.log(error.code); // MEMORY_INVALID_AGENT_ID
 * }
 * ```
 */
export class MemoryError extends Error {
  /** The stable code, one of {@link MemoryErrorCode}. */
  readonly code: MemoryErrorCodeValue;

  /**
   * Creates the error.
   *
   * @param code The stable code.
   * @param message What was wrong and where.
   * @param options `cause`: the underlying error, if any.
   */
  constructor(code: MemoryErrorCodeValue, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MemoryError";
    this.code = code;
  }
}
