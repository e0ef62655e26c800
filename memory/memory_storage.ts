/**
 * The in-memory storage adapter: a `Map`, for tests, caches and short-lived processes.
 *
 * @module
 */
import type { StorageAdapter } from "./storage.ts";
import { checkKey, checkPrefix, compareKeys } from "./_keys.ts";
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/**
 * A {@link StorageAdapter} over a `Map` held in this process. Nothing survives the process.
 *
 * It enforces the same key rules as every other adapter (so code tested against it behaves the
 * same on disk or KV) and each `put` replaces the value in one step, so it is atomic.
 *
 * @example A pin store kept in memory
 * ```ts
 * import { MemoryStorage } from "@symbiont/sdk/memory";
 * const storage = new MemoryStorage();
 * await storage.put("pins/example.com.json", '{"kid":"k1"}');
 * console.log(await storage.get("pins/example.com.json")); // {"kid":"k1"}
 * console.log(await storage.list("pins/")); // ["pins/example.com.json"]
 * ```
 */
export class MemoryStorage implements StorageAdapter {
  #entries = new Map<string, string>();

  /**
   * Reads a value.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @returns The value, or `undefined` when the key is absent.
   * @example Reading a missing key
   * ```ts
   * import { MemoryStorage } from "@symbiont/sdk/memory";
   * console.log(await new MemoryStorage().get("a/b.md")); // undefined
   * ```
   */
  get(key: string): Promise<string | undefined> {
    try {
      checkKey(key);
      return Promise.resolve(this.#entries.get(key));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Writes a value, replacing any previous one in a single step.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @param value The text to store.
   * @returns Resolves once stored.
   * @example Writing
   * ```ts
   * import { MemoryStorage } from "@symbiont/sdk/memory";
   * await new MemoryStorage().put("a/b.md", "hello");
   * ```
   */
  put(key: string, value: string): Promise<void> {
    try {
      checkKey(key);
      if (typeof value !== "string") {
        throw new MemoryError(MemoryErrorCode.InvalidValue, `value of "${key}" must be a string`);
      }
      this.#entries.set(key, value);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Removes a key; absent keys are fine.
   *
   * @param key The key to remove.
   * @returns Resolves once removed.
   * @example Deleting
   * ```ts
   * import { MemoryStorage } from "@symbiont/sdk/memory";
   * await new MemoryStorage().delete("a/b.md");
   * ```
   */
  delete(key: string): Promise<void> {
    try {
      checkKey(key);
      this.#entries.delete(key);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Lists keys by prefix.
   *
   * @param prefix A plain string prefix (`""` for every key, `"agent-1/"` for one folder).
   * @returns Every key starting with `prefix`, sorted by code point.
   * @example Listing
   * ```ts
   * import { MemoryStorage } from "@symbiont/sdk/memory";
   * const storage = new MemoryStorage();
   * await storage.put("b/x.md", "");
   * await storage.put("a/x.md", "");
   * console.log(await storage.list("")); // ["a/x.md", "b/x.md"]
   * ```
   */
  list(prefix: string): Promise<string[]> {
    try {
      checkPrefix(prefix);
      const keys: string[] = [];
      for (const key of this.#entries.keys()) if (key.startsWith(prefix)) keys.push(key);
      return Promise.resolve(keys.sort(compareKeys));
    } catch (error) {
      return Promise.reject(error);
    }
  }
}
