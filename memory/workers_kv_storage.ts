/**
 * The Cloudflare Workers KV storage adapter. It takes a KV namespace binding (structurally typed),
 * so it needs no Workers types and bundles anywhere.
 *
 * @module
 */
import type { StorageAdapter } from "./storage.ts";
import { checkKey, checkPrefix, compareKeys } from "./_keys.ts";
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/**
 * The part of a Workers KV namespace binding (`env.MY_KV`) this adapter uses.
 *
 * @example Type only
 * ```ts ignore
 * const namespace: KvNamespaceLike = env.MEMORY;
 * ```
 */
export interface KvNamespaceLike {
  /** Reads a value as text; `null` when absent. */
  get(key: string, type: "text"): Promise<string | null>;
  /** Writes a value. */
  put(key: string, value: string): Promise<void>;
  /** Deletes a key. */
  delete(key: string): Promise<void>;
  /** Lists keys, a page at a time. */
  list(options?: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

/**
 * Options of {@link WorkersKvStorage}.
 *
 * @example Options
 * ```ts
 * import type { WorkersKvStorageOptions } from "@symbiont/sdk/memory";
 * const options: WorkersKvStorageOptions = { prefix: "memory/" };
 * ```
 */
export interface WorkersKvStorageOptions {
  /** A string put in front of every key, to share a namespace. Default `""`. */
  prefix?: string;
}

/** Workers KV's limits: 512 bytes per key, 25 MiB per value. */
const MAX_KV_KEY_BYTES = 512;
const MAX_KV_VALUE_BYTES = 25 * 1024 * 1024;

const encoder = new TextEncoder();

function failed(what: string, error: unknown): MemoryError {
  return new MemoryError(MemoryErrorCode.StorageFailed, `Workers KV: ${what} failed`, {
    cause: error,
  });
}

/**
 * A {@link StorageAdapter} over a Cloudflare Workers KV namespace.
 *
 * Each `put` is a single KV write, so a reader gets the old value or the new one, never a mix.
 * Workers KV is eventually consistent across locations: another location may read the old
 * value for up to a minute after a write. Keys (with the prefix) are limited to 512 bytes and
 * values to 25 MiB; beyond that the adapter refuses with `MEMORY_INVALID_KEY` or
 * `MEMORY_VALUE_TOO_LARGE` before calling KV.
 *
 * @example In a Worker
 * ```ts ignore
 * import { MarkdownMemoryStore, WorkersKvStorage } from "@symbiont/sdk/memory";
 * export default {
 *   async fetch(_request: Request, env: { MEMORY: KvNamespaceLike }): Promise<Response> {
 *     const store = new MarkdownMemoryStore(new WorkersKvStorage(env.MEMORY));
 *     return Response.json(await store.listAgentContexts());
 *   },
 * };
 * ```
 */
export class WorkersKvStorage implements StorageAdapter {
  /** Where the data lives, for {@link MarkdownMemoryStore.getStorageStats}. */
  readonly location: string;
  #kv: KvNamespaceLike;
  #prefix: string;

  /**
   * Creates the adapter.
   *
   * @param namespace The KV namespace binding.
   * @param options See {@link WorkersKvStorageOptions}.
   * @example Creating
   * ```ts ignore
   * const storage = new WorkersKvStorage(env.MEMORY, { prefix: "memory/" });
   * ```
   */
  constructor(namespace: KvNamespaceLike, options: WorkersKvStorageOptions = {}) {
    if (
      !namespace || typeof namespace.get !== "function" || typeof namespace.put !== "function" ||
      typeof namespace.delete !== "function" || typeof namespace.list !== "function"
    ) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "WorkersKvStorage needs a KV namespace binding (get, put, delete, list)",
      );
    }
    const prefix = options.prefix ?? "";
    if (typeof prefix !== "string" || encoder.encode(prefix).length > 256) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "the Workers KV prefix must be a string of at most 256 bytes",
      );
    }
    this.#kv = namespace;
    this.#prefix = prefix;
    this.location = `workers-kv:${prefix}`;
  }

  #key(key: string): string {
    checkKey(key);
    const full = this.#prefix + key;
    if (encoder.encode(full).length > MAX_KV_KEY_BYTES) {
      throw new MemoryError(
        MemoryErrorCode.InvalidKey,
        `Workers KV: key "${key.slice(0, 60)}" with its prefix exceeds ${MAX_KV_KEY_BYTES} bytes`,
      );
    }
    return full;
  }

  /**
   * Reads a value.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @returns The value, or `undefined` when the key is absent.
   * @example Reading
   * ```ts ignore
   * console.log(await storage.get("agent-1/memory.md"));
   * ```
   */
  async get(key: string): Promise<string | undefined> {
    const full = this.#key(key);
    try {
      return (await this.#kv.get(full, "text")) ?? undefined;
    } catch (error) {
      throw failed(`reading "${key}"`, error);
    }
  }

  /**
   * Writes a value in one KV write.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @param value The text to store, at most 25 MiB as UTF-8.
   * @returns Resolves once KV accepted the write.
   * @example Writing
   * ```ts ignore
   * await storage.put("agent-1/memory.md", "# Agent Memory: agent-1\n");
   * ```
   */
  async put(key: string, value: string): Promise<void> {
    const full = this.#key(key);
    if (typeof value !== "string") {
      throw new MemoryError(MemoryErrorCode.InvalidValue, `value of "${key}" must be a string`);
    }
    // A UTF-8 byte is at most 3 per UTF-16 unit: only count when it could matter.
    if (
      value.length * 3 > MAX_KV_VALUE_BYTES && encoder.encode(value).length > MAX_KV_VALUE_BYTES
    ) {
      throw new MemoryError(
        MemoryErrorCode.ValueTooLarge,
        `Workers KV: the value of "${key}" exceeds ${MAX_KV_VALUE_BYTES} bytes`,
      );
    }
    try {
      await this.#kv.put(full, value);
    } catch (error) {
      throw failed(`writing "${key}"`, error);
    }
  }

  /**
   * Removes a key; absent keys are fine.
   *
   * @param key The key to remove.
   * @returns Resolves once removed.
   * @example Deleting
   * ```ts ignore
   * await storage.delete("agent-1/memory.md");
   * ```
   */
  async delete(key: string): Promise<void> {
    const full = this.#key(key);
    try {
      await this.#kv.delete(full);
    } catch (error) {
      throw failed(`deleting "${key}"`, error);
    }
  }

  /**
   * Lists keys by prefix, following KV's pages.
   *
   * @param prefix A plain string prefix (`""` for all).
   * @returns Every key starting with `prefix`, sorted by code point.
   * @example Listing
   * ```ts ignore
   * console.log(await storage.list("agent-1/"));
   * ```
   */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const keys: string[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.#kv.list({ prefix: this.#prefix + prefix, cursor });
        for (const { name } of page.keys) {
          const key = name.slice(this.#prefix.length);
          try {
            checkKey(key);
            keys.push(key);
          } catch {
            // written by something else, not a key of ours
          }
        }
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
    } catch (error) {
      throw failed(`listing "${prefix}"`, error);
    }
    return keys.sort(compareKeys);
  }
}
