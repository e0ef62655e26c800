/**
 * The storage interface behind agent memory (and the AgentPin and SchemaPin pin stores): a small
 * text key-value contract that a folder, a map in memory, Deno KV or a Workers KV namespace can
 * each fulfil. Keys are `/`-separated relative paths such as `agent-1/context.md`.
 *
 * @module
 */

/**
 * A text key-value store.
 *
 * Contract every adapter keeps:
 * - `put` is atomic: a reader sees the old value or the new one, never a mix, and a failed `put`
 *   leaves the old value in place.
 * - `get` of a missing key resolves to `undefined`; `delete` of a missing key is not an error.
 * - `list(prefix)` resolves to every key that starts with `prefix`, sorted.
 *
 * @example Usage
 * ```ts ignore
 * import type { StorageAdapter } from "@symbiont/sdk/memory";
 * async function copy(from: StorageAdapter, to: StorageAdapter, key: string) {
 *   const value = await from.get(key);
 *   if (value !== undefined) await to.put(key, value);
 * }
 * ```
 */
export interface StorageAdapter {
  /** Reads a value; `undefined` when the key is absent. */
  get(key: string): Promise<string | undefined>;
  /** Writes a value atomically. */
  put(key: string, value: string): Promise<void>;
  /** Removes a key; absent keys are fine. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>;
}
