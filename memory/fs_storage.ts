/**
 * The filesystem storage adapter for agent memory, for Deno, Node and Bun. It is its own export so
 * that bundles for Workers never pull in `node:fs`.
 *
 * ```ts ignore
 * import { FsStorage } from "@symbiont/sdk/memory/fs";
 * import { MarkdownMemoryStore } from "@symbiont/sdk/memory";
 * const store = new MarkdownMemoryStore(new FsStorage("./agent-memory"), { retentionDays: 30 });
 * ```
 *
 * @module
 */
import { nodeFs, type NodeFsModules, writeFileAtomic } from "./_atomic_file.ts";
import type { StorageAdapter } from "./storage.ts";
import { checkKey, checkPrefix, compareKeys } from "./_keys.ts";
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/** Options of {@link FsStorage}. */
export interface FsStorageOptions {
  /**
   * Flush each new file to disk (`fdatasync`) before it replaces the old one, so that a power
   * loss right after `put` cannot leave an empty file. Default `true`; turn off only for scratch
   * data.
   */
  durable?: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * `node:fs/promises` and `node:path`, fetched on first use (see `_atomic_file.ts`), so that bundlers
 * for Workers, which load this file lazily through `MarkdownMemoryStore`, never resolve `node:*`.
 */
function node(): NodeFsModules {
  const modules = nodeFs();
  if (!modules) {
    throw new MemoryError(
      MemoryErrorCode.StorageFailed,
      "filesystem storage needs node:fs (Deno, Node 22.3+ or Bun); on this runtime pass a " +
        "StorageAdapter such as WorkersKvStorage or MemoryStorage instead",
    );
  }
  return modules;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function failed(what: string, error: unknown): MemoryError {
  const code = errorCode(error);
  return new MemoryError(
    MemoryErrorCode.StorageFailed,
    `${what} failed${code ? ` (${code})` : ""}`,
    { cause: error },
  );
}

/**
 * A {@link StorageAdapter} over a folder: the key `agent-1/memory.md` is the file
 * `<root>/agent-1/memory.md`. Works on Deno, Node and Bun through `node:fs`.
 *
 * - `put` writes a temporary file next to the target (`.symbiont-<random>.tmp`), flushes it, and
 *   renames it over the target, so readers see the old file or the new one, never a mix. A failed
 *   `put` removes its temporary file and leaves the old file as it was. Folders are created as
 *   needed, the root included.
 * - `delete` also removes folders it leaves empty (never the root), so a deleted agent leaves no
 *   empty folder behind.
 * - `list` skips dot-files (temporary files, editors' swap files), symbolic links and names that
 *   are not valid keys.
 * - Files must hold UTF-8; anything else is reported as `MEMORY_CORRUPT` instead of being
 *   silently mangled.
 *
 * @example Files in a folder
 * ```ts ignore
 * import { FsStorage } from "@symbiont/sdk/memory/fs";
 * const storage = new FsStorage("/var/lib/symbiont/memory");
 * await storage.put("agent-1/memory.md", "# Agent Memory: agent-1\n");
 * console.log(await storage.list("agent-1/")); // ["agent-1/memory.md"]
 * ```
 */
export class FsStorage implements StorageAdapter {
  /** The absolute root folder. */
  readonly location: string;
  #durable: boolean;

  /**
   * Creates the adapter. Nothing is touched on disk until the first call.
   *
   * @param root The root folder, absolute or relative to the working directory.
   * @param options See {@link FsStorageOptions}.
   * @example Opening a folder
   * ```ts ignore
   * import { FsStorage } from "@symbiont/sdk/memory/fs";
   * const storage = new FsStorage("./memory", { durable: true });
   * ```
   */
  constructor(root: string, options: FsStorageOptions = {}) {
    if (typeof root !== "string" || root === "" || root.includes("\0")) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "FsStorage root must be a non-empty path without NUL characters",
      );
    }
    this.location = node().path.resolve(root);
    this.#durable = options.durable ?? true;
  }

  #path(key: string): string {
    return node().path.join(this.location, ...key.split("/"));
  }

  /**
   * Reads a file.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @returns Its text, or `undefined` when there is no such file.
   * @example Reading
   * ```ts ignore
   * import { FsStorage } from "@symbiont/sdk/memory/fs";
   * console.log(await new FsStorage("./memory").get("agent-1/memory.md"));
   * ```
   */
  async get(key: string): Promise<string | undefined> {
    checkKey(key);
    let bytes: Uint8Array;
    try {
      bytes = await node().fs.readFile(this.#path(key));
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
      throw failed(`reading "${key}"`, error);
    }
    try {
      return decoder.decode(bytes);
    } catch (error) {
      throw new MemoryError(MemoryErrorCode.Corrupt, `"${key}" is not valid UTF-8`, {
        cause: error,
      });
    }
  }

  /**
   * Replaces a file atomically through a temporary file and a rename.
   *
   * @param key A key such as `agent-1/memory.md`.
   * @param value The text to store (written as UTF-8).
   * @returns Resolves once the new file is in place.
   * @example Writing
   * ```ts ignore
   * import { FsStorage } from "@symbiont/sdk/memory/fs";
   * await new FsStorage("./memory").put("agent-1/memory.md", "# Agent Memory: agent-1\n");
   * ```
   */
  async put(key: string, value: string): Promise<void> {
    checkKey(key);
    if (typeof value !== "string") {
      throw new MemoryError(MemoryErrorCode.InvalidValue, `value of "${key}" must be a string`);
    }
    const modules = node();
    const target = this.#path(key);
    const bytes = new TextEncoder().encode(value);
    // A concurrent delete may remove the folder between mkdir and open: retry once.
    for (let attempt = 0;; attempt++) {
      try {
        await writeFileAtomic(modules, target, bytes, this.#durable);
        return;
      } catch (error) {
        if (attempt === 0 && errorCode(error) === "ENOENT") continue;
        throw failed(`writing "${key}"`, error);
      }
    }
  }

  /**
   * Removes a file, then any folders that removal left empty (never the root).
   *
   * @param key The key to remove; a missing file is fine.
   * @returns Resolves once removed.
   * @example Deleting
   * ```ts ignore
   * import { FsStorage } from "@symbiont/sdk/memory/fs";
   * await new FsStorage("./memory").delete("agent-1/memory.md");
   * ```
   */
  async delete(key: string): Promise<void> {
    checkKey(key);
    const { fs: { rmdir, unlink }, path: { dirname } } = node();
    const target = this.#path(key);
    try {
      await unlink(target);
    } catch (error) {
      const code = errorCode(error);
      // A folder at the key is not a value: nothing to delete.
      if (code !== "ENOENT" && code !== "ENOTDIR" && code !== "EISDIR" && code !== "EPERM") {
        throw failed(`deleting "${key}"`, error);
      }
      if (code === "EPERM" && !(await isDirectory(target))) {
        throw failed(`deleting "${key}"`, error);
      }
    }
    let dir = dirname(target);
    while (dir !== this.location && dir.startsWith(this.location)) {
      try {
        await rmdir(dir);
      } catch {
        break; // not empty, already gone, or busy: leave it
      }
      dir = dirname(dir);
    }
  }

  /**
   * Lists the keys of every regular file under the root that starts with `prefix`.
   *
   * @param prefix A plain string prefix (`""` for all, `"agent-1/"` for one folder).
   * @returns The keys, sorted by code point.
   * @example Listing one agent's files
   * ```ts ignore
   * import { FsStorage } from "@symbiont/sdk/memory/fs";
   * console.log(await new FsStorage("./memory").list("agent-1/"));
   * ```
   */
  async list(prefix: string): Promise<string[]> {
    checkPrefix(prefix);
    const cut = prefix.lastIndexOf("/");
    const base = cut === -1 ? "" : prefix.slice(0, cut + 1);
    const partial = prefix.slice(cut + 1);
    const keys: string[] = [];
    await this.#walk(base, partial, keys);
    return keys.sort(compareKeys);
  }

  async #walk(base: string, partial: string, out: string[]): Promise<void> {
    const dir = base === "" ? this.location : this.#path(base.slice(0, -1));
    let entries;
    try {
      entries = await node().fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT" || code === "ENOTDIR") return;
      throw failed(`listing "${base}"`, error);
    }
    const folders: string[] = [];
    for (const entry of entries) {
      const name = String(entry.name);
      if (!name.startsWith(partial) || name.startsWith(".")) continue;
      const key = base + name;
      try {
        checkKey(key);
      } catch {
        continue; // a name no key can have (backslash, control character, too long)
      }
      if (entry.isFile()) out.push(key);
      else if (entry.isDirectory()) folders.push(`${key}/`);
    }
    // Walk sub-folders a few at a time: fast on wide trees, bounded in open handles.
    for (let i = 0; i < folders.length; i += 32) {
      await Promise.all(folders.slice(i, i + 32).map((folder) => this.#walk(folder, "", out)));
    }
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await node().fs.lstat(path)).isDirectory();
  } catch {
    return false;
  }
}
