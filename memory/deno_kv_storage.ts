/**
 * The Deno KV storage adapter. It takes an opened `Deno.Kv` (structurally typed), so importing it
 * touches no Deno global and it bundles anywhere.
 *
 * @module
 */
import type { StorageAdapter } from "./storage.ts";
import { checkKey, checkPrefix } from "./_keys.ts";
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/**
 * A Deno KV key part this adapter uses or accepts in a prefix.
 *
 * @example A prefix
 * ```ts
 * import type { KvKeyPart } from "@symbiont/sdk/memory";
 * const prefix: KvKeyPart[] = ["tenant", 42, "memory"];
 * ```
 */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean | symbol;

/**
 * One entry read from Deno KV (`versionstamp` is `null` when the key is absent).
 *
 * @example Type only
 * ```ts ignore
 * const entry: DenoKvEntryLike = await kv.get(["symbiont", "memory", "v", "agent-1/memory.md"]);
 * ```
 */
export interface DenoKvEntryLike {
  /** The entry's key. */
  key: readonly KvKeyPart[];
  /** The stored value. */
  value: unknown;
  /** The version of the entry; `null` when absent. */
  versionstamp: string | null;
}

/**
 * The part of an atomic Deno KV operation this adapter uses.
 *
 * @example Type only
 * ```ts ignore
 * const op: DenoKvAtomicLike = kv.atomic();
 * ```
 */
export interface DenoKvAtomicLike {
  /** Fails the commit unless each key still has the given versionstamp. */
  check(...checks: { key: readonly KvKeyPart[]; versionstamp: string | null }[]): this;
  /** Sets a key. */
  set(key: readonly KvKeyPart[], value: unknown): this;
  /** Deletes a key. */
  delete(key: readonly KvKeyPart[]): this;
  /** Commits; `ok` is false when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/**
 * The part of `Deno.Kv` this adapter uses; an opened `Deno.Kv` fits it.
 *
 * @example Type only
 * ```ts ignore
 * const kv: DenoKvLike = await Deno.openKv();
 * ```
 */
export interface DenoKvLike {
  /** Reads one key. */
  get(key: readonly KvKeyPart[]): Promise<DenoKvEntryLike>;
  /** Iterates keys in order. */
  list(
    selector: { prefix: readonly KvKeyPart[]; start?: readonly KvKeyPart[] },
    options?: { batchSize?: number },
  ): AsyncIterable<DenoKvEntryLike>;
  /** Starts an atomic operation. */
  atomic(): DenoKvAtomicLike;
}

/**
 * Options of {@link DenoKvStorage}.
 *
 * @example Options
 * ```ts
 * import type { DenoKvStorageOptions } from "@symbiont/sdk/memory";
 * const options: DenoKvStorageOptions = { prefix: ["tenant-7", "memory"] };
 * ```
 */
export interface DenoKvStorageOptions {
  /** Key parts every entry is stored under. Default `["symbiont", "memory"]`. */
  prefix?: KvKeyPart[];
}

/** Deno KV refuses values over 64 KiB; larger texts are split in chunks of this many bytes. */
const CHUNK_BYTES = 60_000;
/** Chunks per atomic commit, well under Deno KV's limit on the size of one commit. */
const CHUNKS_PER_COMMIT = 8;
const READ_ATTEMPTS = 8;
const WRITE_ATTEMPTS = 64;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** The head of a value kept in chunks. */
interface ChunkedHead {
  id: string;
  chunks: number;
  size: number;
}

function isChunked(value: unknown): value is ChunkedHead {
  const v = value as ChunkedHead | null;
  return typeof v === "object" && v !== null && typeof v.id === "string" &&
    typeof v.chunks === "number" && typeof v.size === "number";
}

function failed(what: string, error: unknown): MemoryError {
  if (error instanceof MemoryError) return error;
  return new MemoryError(MemoryErrorCode.StorageFailed, `Deno KV: ${what} failed`, {
    cause: error,
  });
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A {@link StorageAdapter} over Deno KV. The value of key `k` lives at `[...prefix, "v", k]`.
 *
 * Deno KV holds at most 64 KiB per value, so a longer text is written as chunks under a fresh id
 * first and then made visible by one atomic switch of its head entry (checked against the
 * previous head, retried on conflict); the old chunks are removed afterwards. Readers therefore
 * see the whole old text or the whole new one, and a failed `put` leaves the old value in place.
 * A process that dies between writing chunks and switching the head leaves unreferenced chunks.
 *
 * @example Over a local Deno KV
 * ```ts ignore
 * import { DenoKvStorage, MarkdownMemoryStore } from "@symbiont/sdk/memory";
 * const kv = await Deno.openKv("./memory.sqlite");
 * const store = new MarkdownMemoryStore(new DenoKvStorage(kv));
 * ```
 */
export class DenoKvStorage implements StorageAdapter {
  /** Where the data lives, for {@link MarkdownMemoryStore.getStorageStats}. */
  readonly location: string;
  #kv: DenoKvLike;
  #prefix: KvKeyPart[];

  /**
   * Creates the adapter.
   *
   * @param kv An opened `Deno.Kv` (from `Deno.openKv()`); closing it stays the caller's job.
   * @param options See {@link DenoKvStorageOptions}.
   * @example Creating
   * ```ts ignore
   * const storage = new DenoKvStorage(await Deno.openKv(), { prefix: ["app", "memory"] });
   * ```
   */
  constructor(kv: DenoKvLike, options: DenoKvStorageOptions = {}) {
    if (
      !kv || typeof kv.get !== "function" || typeof kv.list !== "function" ||
      typeof kv.atomic !== "function"
    ) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "DenoKvStorage needs an opened Deno.Kv (get, list, atomic)",
      );
    }
    const prefix = options.prefix ?? ["symbiont", "memory"];
    if (!Array.isArray(prefix)) {
      throw new MemoryError(MemoryErrorCode.InvalidOption, "the Deno KV prefix must be an array");
    }
    this.#kv = kv;
    this.#prefix = [...prefix];
    this.location = `deno-kv:${
      JSON.stringify(prefix, (_k, v) => typeof v === "bigint" ? `${v}n` : v)
    }`;
  }

  #head(key: string): KvKeyPart[] {
    return [...this.#prefix, "v", key];
  }

  #chunkPrefix(key: string, id: string): KvKeyPart[] {
    return [...this.#prefix, "c", key, id];
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
    checkKey(key);
    try {
      for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
        const head = await this.#kv.get(this.#head(key));
        if (head.versionstamp === null) return undefined;
        if (head.value instanceof Uint8Array) return this.#decode(key, head.value);
        if (!isChunked(head.value)) {
          throw new MemoryError(MemoryErrorCode.Corrupt, `Deno KV: "${key}" holds no text value`);
        }
        const parts: Uint8Array[] = [];
        let size = 0;
        for await (
          const entry of this.#kv.list({ prefix: this.#chunkPrefix(key, head.value.id) })
        ) {
          if (!(entry.value instanceof Uint8Array)) break;
          parts.push(entry.value);
          size += entry.value.length;
        }
        if (parts.length === head.value.chunks && size === head.value.size) {
          const bytes = new Uint8Array(size);
          let at = 0;
          for (const part of parts) {
            bytes.set(part, at);
            at += part.length;
          }
          return this.#decode(key, bytes);
        }
        // Replaced (and its chunks removed) while we read: read the new head.
      }
    } catch (error) {
      throw failed(`reading "${key}"`, error);
    }
    throw new MemoryError(
      MemoryErrorCode.Corrupt,
      `Deno KV: the chunks of "${key}" are missing or incomplete`,
    );
  }

  #decode(key: string, bytes: Uint8Array): string {
    try {
      return decoder.decode(bytes);
    } catch (error) {
      throw new MemoryError(MemoryErrorCode.Corrupt, `Deno KV: "${key}" is not valid UTF-8`, {
        cause: error,
      });
    }
  }

  async #deleteChunks(key: string, head: ChunkedHead): Promise<void> {
    for (let i = 0; i < head.chunks; i += 64) {
      const op = this.#kv.atomic();
      for (let j = i; j < Math.min(head.chunks, i + 64); j++) {
        op.delete([...this.#chunkPrefix(key, head.id), j]);
      }
      await op.commit();
    }
  }

  /**
   * Writes a value atomically (see the class notes for values over 60 000 bytes).
   *
   * @param key A key such as `agent-1/memory.md`.
   * @param value The text to store.
   * @returns Resolves once the new value is visible.
   * @example Writing
   * ```ts ignore
   * await storage.put("agent-1/memory.md", "# Agent Memory: agent-1\n");
   * ```
   */
  async put(key: string, value: string): Promise<void> {
    checkKey(key);
    if (typeof value !== "string") {
      throw new MemoryError(MemoryErrorCode.InvalidValue, `value of "${key}" must be a string`);
    }
    const bytes = encoder.encode(value);
    let next: Uint8Array | ChunkedHead = bytes;
    if (bytes.length > CHUNK_BYTES) {
      const chunked: ChunkedHead = {
        id: randomId(),
        chunks: Math.ceil(bytes.length / CHUNK_BYTES),
        size: bytes.length,
      };
      next = chunked;
      try {
        for (let i = 0; i < chunked.chunks; i += CHUNKS_PER_COMMIT) {
          const op = this.#kv.atomic();
          for (let j = i; j < Math.min(chunked.chunks, i + CHUNKS_PER_COMMIT); j++) {
            op.set(
              [...this.#chunkPrefix(key, chunked.id), j],
              bytes.subarray(j * CHUNK_BYTES, (j + 1) * CHUNK_BYTES),
            );
          }
          const result = await op.commit();
          if (!result.ok) throw new Error("a chunk commit was refused");
        }
      } catch (error) {
        await this.#deleteChunks(key, chunked).catch(() => {});
        throw failed(`writing "${key}"`, error);
      }
    }
    let previous: unknown;
    try {
      for (let attempt = 0;; attempt++) {
        const head = await this.#kv.get(this.#head(key));
        const result = await this.#kv.atomic().check({
          key: this.#head(key),
          versionstamp: head.versionstamp,
        }).set(this.#head(key), next).commit();
        if (result.ok) {
          previous = head.value;
          break;
        }
        if (attempt >= WRITE_ATTEMPTS) throw new Error("too many concurrent writers");
      }
    } catch (error) {
      if (isChunked(next)) await this.#deleteChunks(key, next).catch(() => {});
      throw failed(`writing "${key}"`, error);
    }
    // The old chunks are unreachable now; failing to remove them loses nothing.
    if (isChunked(previous)) await this.#deleteChunks(key, previous).catch(() => {});
  }

  /**
   * Removes a key and its chunks; absent keys are fine.
   *
   * @param key The key to remove.
   * @returns Resolves once removed.
   * @example Deleting
   * ```ts ignore
   * await storage.delete("agent-1/memory.md");
   * ```
   */
  async delete(key: string): Promise<void> {
    checkKey(key);
    try {
      for (let attempt = 0;; attempt++) {
        const head = await this.#kv.get(this.#head(key));
        if (head.versionstamp === null) return;
        const result = await this.#kv.atomic().check({
          key: this.#head(key),
          versionstamp: head.versionstamp,
        }).delete(this.#head(key)).commit();
        if (result.ok) {
          if (isChunked(head.value)) await this.#deleteChunks(key, head.value).catch(() => {});
          return;
        }
        if (attempt >= WRITE_ATTEMPTS) throw new Error("too many concurrent writers");
      }
    } catch (error) {
      throw failed(`deleting "${key}"`, error);
    }
  }

  /**
   * Lists keys by prefix.
   *
   * @param prefix A plain string prefix (`""` for all).
   * @returns Every key starting with `prefix`, sorted by code point (Deno KV's own order).
   * @example Listing
   * ```ts ignore
   * console.log(await storage.list("agent-1/"));
   * ```
   */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const base = [...this.#prefix, "v"];
    const selector = prefix === "" ? { prefix: base } : { prefix: base, start: [...base, prefix] };
    const keys: string[] = [];
    try {
      for await (const entry of this.#kv.list(selector, { batchSize: 1000 })) {
        const key = entry.key[entry.key.length - 1];
        if (typeof key !== "string" || entry.key.length !== base.length + 1) continue;
        if (!key.startsWith(prefix)) break; // ordered: past the prefix
        keys.push(key);
      }
    } catch (error) {
      throw failed(`listing "${prefix}"`, error);
    }
    return keys;
  }
}
