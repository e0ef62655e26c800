/**
 * `MarkdownMemoryStore`: agent memory as Markdown files that the Symbiont runtime and the Python SDK
 * read and write too, over any {@link StorageAdapter}.
 *
 * @module
 */
import type { StorageAdapter } from "./storage.ts";
import type { JsonValue, ParsedMemory } from "./_markdown.ts";
import { parseMemory, renderMemory } from "./_markdown.ts";
import { checkAgentId } from "./_agent_id.ts";
import { MemoryError, MemoryErrorCode } from "./errors.ts";

export type { JsonValue } from "./_markdown.ts";

/**
 * What an agent remembers. Field names follow the SDK's camelCase; on disk they are the
 * `## Facts`, `## Procedures` and `## Learned Patterns` sections and a `## Metadata` JSON block.
 *
 * @example A context
 * ```ts
 * import type { AgentMemoryContext } from "@symbiont/sdk/memory";
 * const context: AgentMemoryContext = {
 *   agentId: "agent-1",
 *   facts: ["The user prefers metric units"],
 *   procedures: ["Run the linter before committing"],
 *   learnedPatterns: ["Deploys fail on Fridays"],
 *   metadata: { owner: "ops", revision: 3 },
 * };
 * ```
 */
export interface AgentMemoryContext {
  /** The agent this memory belongs to. */
  agentId: string;
  /** Things known to be true. Items may span several lines. */
  facts: string[];
  /** How to do things. */
  procedures: string[];
  /** Regularities the agent noticed. */
  learnedPatterns: string[];
  /** Free-form JSON data; persisted, unlike in the Python SDK. */
  metadata: Record<string, JsonValue>;
}

/**
 * Options of {@link MarkdownMemoryStore}.
 *
 * @example Options
 * ```ts
 * import type { MarkdownMemoryStoreOptions } from "@symbiont/sdk/memory";
 * const options: MarkdownMemoryStoreOptions = { retentionDays: 7 };
 * ```
 */
export interface MarkdownMemoryStoreOptions {
  /** Days of daily logs {@link MarkdownMemoryStore.compact} keeps, besides today. Default 30. */
  retentionDays?: number;
  /** Append an entry to the agent's daily log on every save, as the Python SDK does. Default true. */
  dailyLogs?: boolean;
  /** The clock (UTC) used for log dates and times and for retention. Default `() => new Date()`. */
  now?: () => Date;
}

/**
 * What {@link MarkdownMemoryStore.getStorageStats} reports.
 *
 * @example Reading stats
 * ```ts ignore
 * const stats: StorageStats = await store.getStorageStats();
 * console.log(stats.totalContexts, stats.totalSizeBytes);
 * ```
 */
export interface StorageStats {
  /** Agents with a saved context. */
  totalContexts: number;
  /** Daily log files across all agents. */
  totalDailyLogs: number;
  /** UTF-8 bytes of every stored value (contexts, logs, anything else under the store). */
  totalSizeBytes: number;
  /** When this store instance last ran {@link MarkdownMemoryStore.compact}; `undefined` if never. */
  lastCleanup: Date | undefined;
  /** The root folder for filesystem storage, else the adapter's `location` if it has one. */
  storagePath: string | undefined;
}

/**
 * One daily log removed by {@link MarkdownMemoryStore.compact}.
 *
 * @example A removed log
 * ```ts
 * import type { RemovedLog } from "@symbiont/sdk/memory";
 * const removed: RemovedLog = { agentId: "agent-1", date: "2026-01-02" };
 * ```
 */
export interface RemovedLog {
  /** The agent whose log it was. */
  agentId: string;
  /** The log's date, `YYYY-MM-DD`. */
  date: string;
}

const MEMORY_FILE = "memory.md";
const LOG_NAME = /^(\d{4})-(\d{2})-(\d{2})\.md$/;
const DAY_MS = 86_400_000;
// deno-lint-ignore no-control-regex
const BAD_TEXT = /[\u0000-\u0008\u000b-\u001f\u0085\u2028\u2029]/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function utcDate(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${
    pad(date.getUTCDate())
  }`;
}

function isCalendarDate(date: string): boolean {
  const match = LOG_NAME.exec(`${date}.md`);
  if (!match) return false;
  const parsed = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return utcDate(parsed) === date;
}

function invalid(message: string): MemoryError {
  return new MemoryError(MemoryErrorCode.InvalidContext, message);
}

function checkItems(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(`${field} must be an array of strings`);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw invalid(`${field}[${i}] must be a string`);
    if (BAD_TEXT.test(item)) {
      throw invalid(
        `${field}[${i}] contains a control character, carriage return or line separator ` +
          "(only \\n and \\t are kept)",
      );
    }
  });
  return [...value];
}

function checkJson(value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(`${path} must be a finite number`);
    return;
  }
  if (typeof value !== "object") throw invalid(`${path} is a ${typeof value}, not JSON data`);
  if (seen.has(value)) throw invalid(`${path} refers back to itself`);
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${path}[${i}]`, seen));
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw invalid(`${path} must be a plain object, array or JSON scalar`);
    }
    for (const [key, item] of Object.entries(value)) checkJson(item, `${path}.${key}`, seen);
  }
  seen.delete(value);
}

/**
 * Agent memory kept as Markdown: `<agentId>/memory.md` holds the context and
 * `<agentId>/logs/YYYY-MM-DD.md` the daily logs, the layout of the Symbiont runtime and the Python
 * SDK. Files written here load there and the other way round; metadata, multi-line items and
 * sections this SDK does not know survive a save.
 *
 * Agent ids that could escape the root (separators, `..`, NUL, drive colons, over 255 bytes)
 * are refused with `MEMORY_INVALID_AGENT_ID`. Saves go through the adapter's atomic `put`, so a
 * concurrent reader never sees a torn file and a failed save leaves the previous context in
 * place; saves of one agent through one store instance run one after another. Log dates and
 * times are UTC.
 *
 * @example Saving and loading in memory
 * ```ts
 * import { MarkdownMemoryStore, MemoryStorage } from "@symbiont/sdk/memory";
 * const store = new MarkdownMemoryStore(new MemoryStorage(), { retentionDays: 7 });
 * await store.saveContext("agent-1", {
 *   agentId: "agent-1",
 *   facts: ["The sky is blue"],
 *   procedures: [],
 *   learnedPatterns: [],
 *   metadata: { source: "demo" },
 * });
 * const context = await store.loadContext("agent-1");
 * console.log(context?.facts); // ["The sky is blue"]
 * ```
 *
 * @example A folder on disk (Deno, Node, Bun)
 * ```ts ignore
 * import { MarkdownMemoryStore } from "@symbiont/sdk/memory";
 * const store = new MarkdownMemoryStore("./agent-memory");
 * console.log(await store.listAgentContexts());
 * ```
 */
export class MarkdownMemoryStore {
  #storage: StorageAdapter | undefined;
  #loading: Promise<StorageAdapter> | undefined;
  #path: string | undefined;
  #retentionDays: number;
  #dailyLogs: boolean;
  #now: () => Date;
  #locks = new Map<string, Promise<unknown>>();
  #lastCleanup: Date | undefined;

  /**
   * Creates a store.
   *
   * @param storageOrPath A {@link StorageAdapter}, or a folder path: then the filesystem adapter
   *   (`@symbiont/sdk/memory/fs`) is loaded on first use, on Deno, Node and Bun.
   * @param options See {@link MarkdownMemoryStoreOptions}.
   * @example Over Deno KV
   * ```ts ignore
   * import { DenoKvStorage, MarkdownMemoryStore } from "@symbiont/sdk/memory";
   * const store = new MarkdownMemoryStore(new DenoKvStorage(await Deno.openKv()));
   * ```
   */
  constructor(storageOrPath: StorageAdapter | string, options: MarkdownMemoryStoreOptions = {}) {
    if (typeof storageOrPath === "string") {
      if (storageOrPath === "" || storageOrPath.includes("\0")) {
        throw new MemoryError(
          MemoryErrorCode.InvalidOption,
          "the storage path must be a non-empty path without NUL characters",
        );
      }
      this.#path = storageOrPath;
    } else if (
      storageOrPath && typeof storageOrPath === "object" &&
      ["get", "put", "delete", "list"].every((m) =>
        typeof (storageOrPath as unknown as Record<string, unknown>)[m] === "function"
      )
    ) {
      this.#storage = storageOrPath;
    } else {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "MarkdownMemoryStore needs a StorageAdapter (get, put, delete, list) or a folder path",
      );
    }
    const retention = options.retentionDays ?? 30;
    if (typeof retention !== "number" || !Number.isInteger(retention) || retention < 0) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        `retentionDays must be a whole number of days >= 0, got ${String(retention)}`,
      );
    }
    if (options.now !== undefined && typeof options.now !== "function") {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "now must be a function returning a Date",
      );
    }
    this.#retentionDays = retention;
    this.#dailyLogs = options.dailyLogs ?? true;
    this.#now = options.now ?? (() => new Date());
  }

  /** The retention period in days. */
  get retentionDays(): number {
    return this.#retentionDays;
  }

  async #adapter(): Promise<StorageAdapter> {
    if (this.#storage) return this.#storage;
    // Loaded on first use only; it fetches node:fs itself, so bundles for Workers stay clean.
    this.#loading ??= import("./fs_storage.ts").then((m) => new m.FsStorage(this.#path as string));
    try {
      this.#storage = await this.#loading;
    } catch (error) {
      this.#loading = undefined;
      if (error instanceof MemoryError) throw error;
      throw new MemoryError(
        MemoryErrorCode.StorageFailed,
        "filesystem storage is not available on this runtime; pass a StorageAdapter instead",
        { cause: error },
      );
    }
    return this.#storage;
  }

  #clock(): Date {
    const now = this.#now();
    if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        "the now() option returned no valid Date",
      );
    }
    return now;
  }

  /** Runs `fn` after every earlier locked call for the same agent has settled. */
  #locked<T>(agentId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(agentId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.then(() => {}, () => {});
    this.#locks.set(agentId, settled);
    settled.then(() => {
      if (this.#locks.get(agentId) === settled) this.#locks.delete(agentId);
    });
    return run;
  }

  /**
   * Saves an agent's context, replacing the previous one atomically, and appends an entry to
   * today's daily log (unless `dailyLogs` is off). Sections of the previous file that this SDK
   * does not model are carried over.
   *
   * @param agentId The agent.
   * @param context Its memory; `context.agentId` must equal `agentId`. Missing lists count as
   *   empty, missing metadata as `{}`.
   * @returns Resolves once the context (and log entry) are stored.
   * @throws {MemoryError} `MEMORY_INVALID_AGENT_ID`, `MEMORY_INVALID_CONTEXT`, or
   *   `MEMORY_STORAGE_FAILED` (then the previous context is still in place, unless the message
   *   says only the log entry failed).
   * @example Saving
   * ```ts ignore
   * await store.saveContext("agent-1", { agentId: "agent-1", facts: ["a"], procedures: [],
   *   learnedPatterns: [], metadata: {} });
   * ```
   */
  saveContext(agentId: string, context: AgentMemoryContext): Promise<void> {
    try {
      checkAgentId(agentId);
      if (typeof context !== "object" || context === null) {
        throw invalid("the context must be an object");
      }
      if (context.agentId !== undefined && context.agentId !== agentId) {
        throw invalid(
          `the context belongs to agent ${JSON.stringify(String(context.agentId))}, ` +
            `not ${JSON.stringify(agentId)}`,
        );
      }
      const metadata = context.metadata ?? {};
      if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
        throw invalid("metadata must be a plain object");
      }
      checkJson(metadata, "metadata", new Set());
      const memory: ParsedMemory = {
        facts: checkItems(context.facts, "facts"),
        procedures: checkItems(context.procedures, "procedures"),
        learnedPatterns: checkItems(context.learnedPatterns, "learnedPatterns"),
        metadata: JSON.parse(JSON.stringify(metadata)),
        extraSections: [],
      };
      return this.#locked(agentId, () => this.#save(agentId, memory));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #save(agentId: string, memory: ParsedMemory): Promise<void> {
    const storage = await this.#adapter();
    const key = `${agentId}/${MEMORY_FILE}`;
    const previous = await this.#get(storage, key);
    if (previous !== undefined) {
      memory.extraSections = parseMemory(previous, key, false).extraSections;
    }
    await this.#put(storage, key, renderMemory(agentId, memory));
    if (!this.#dailyLogs) return;
    const now = this.#clock();
    const entry = [
      `### Update at ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${
        pad(now.getUTCSeconds())
      }`,
      `- Facts: ${memory.facts.length}`,
      `- Procedures: ${memory.procedures.length}`,
      `- Learned Patterns: ${memory.learnedPatterns.length}`,
      "",
    ].join("\n");
    try {
      await this.#append(storage, `${agentId}/logs/${utcDate(now)}.md`, entry);
    } catch (error) {
      throw new MemoryError(
        MemoryErrorCode.StorageFailed,
        `the context of agent "${agentId}" was saved, but appending to its daily log failed`,
        { cause: error },
      );
    }
  }

  async #get(storage: StorageAdapter, key: string): Promise<string | undefined> {
    try {
      return await storage.get(key);
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      throw new MemoryError(MemoryErrorCode.StorageFailed, `reading "${key}" failed`, {
        cause: error,
      });
    }
  }

  async #put(storage: StorageAdapter, key: string, value: string): Promise<void> {
    try {
      await storage.put(key, value);
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      throw new MemoryError(MemoryErrorCode.StorageFailed, `writing "${key}" failed`, {
        cause: error,
      });
    }
  }

  async #append(storage: StorageAdapter, key: string, text: string): Promise<void> {
    const current = await this.#get(storage, key);
    const base = current === undefined || current === "" || current.endsWith("\n")
      ? current ?? ""
      : `${current}\n`;
    await this.#put(storage, key, base + text);
  }

  /**
   * Loads an agent's context.
   *
   * @param agentId The agent.
   * @returns The context, or `undefined` when none is saved.
   * @throws {MemoryError} `MEMORY_INVALID_AGENT_ID`, `MEMORY_CORRUPT` (a broken metadata block),
   *   `MEMORY_STORAGE_FAILED`.
   * @example Loading
   * ```ts ignore
   * const context = await store.loadContext("agent-1");
   * if (context) console.log(context.facts);
   * ```
   */
  async loadContext(agentId: string): Promise<AgentMemoryContext | undefined> {
    checkAgentId(agentId);
    const storage = await this.#adapter();
    const key = `${agentId}/${MEMORY_FILE}`;
    const text = await this.#get(storage, key);
    if (text === undefined) return undefined;
    const memory = parseMemory(text, key);
    return {
      agentId,
      facts: memory.facts,
      procedures: memory.procedures,
      learnedPatterns: memory.learnedPatterns,
      metadata: memory.metadata,
    };
  }

  /**
   * Deletes everything stored for an agent: its context, its logs and any other file under it.
   * The context goes first, so a concurrent load sees the context or nothing.
   *
   * @param agentId The agent.
   * @returns `true` when anything was deleted.
   * @example Deleting
   * ```ts ignore
   * await store.deleteContext("agent-1");
   * ```
   */
  deleteContext(agentId: string): Promise<boolean> {
    try {
      checkAgentId(agentId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#locked(agentId, async () => {
      const storage = await this.#adapter();
      const keys = await this.#list(storage, `${agentId}/`);
      const first = `${agentId}/${MEMORY_FILE}`;
      keys.sort((a, b) => Number(b === first) - Number(a === first));
      for (const key of keys) {
        try {
          await storage.delete(key);
        } catch (error) {
          if (error instanceof MemoryError) throw error;
          throw new MemoryError(MemoryErrorCode.StorageFailed, `deleting "${key}" failed`, {
            cause: error,
          });
        }
      }
      return keys.length > 0;
    });
  }

  async #list(storage: StorageAdapter, prefix: string): Promise<string[]> {
    try {
      return await storage.list(prefix);
    } catch (error) {
      if (error instanceof MemoryError) throw error;
      throw new MemoryError(MemoryErrorCode.StorageFailed, `listing "${prefix}" failed`, {
        cause: error,
      });
    }
  }

  /**
   * Lists the agents that have a saved context.
   *
   * @returns Their ids, sorted.
   * @example Listing
   * ```ts ignore
   * for (const agentId of await store.listAgentContexts()) console.log(agentId);
   * ```
   */
  async listAgentContexts(): Promise<string[]> {
    const storage = await this.#adapter();
    const agents: string[] = [];
    for (const key of await this.#list(storage, "")) {
      const slash = key.indexOf("/");
      if (slash <= 0 || key.slice(slash + 1) !== MEMORY_FILE) continue;
      const agentId = key.slice(0, slash);
      try {
        checkAgentId(agentId);
        agents.push(agentId);
      } catch {
        // a folder name no agent id can have: not ours
      }
    }
    return agents;
  }

  /**
   * Appends free text to today's (UTC) daily log of an agent, creating it if needed.
   *
   * @param agentId The agent.
   * @param text The entry; a newline is added when it lacks one.
   * @returns Resolves once stored.
   * @example A note in the log
   * ```ts ignore
   * await store.appendDailyLog("agent-1", "### Note\n- Finished the migration\n");
   * ```
   */
  appendDailyLog(agentId: string, text: string): Promise<void> {
    try {
      checkAgentId(agentId);
      if (typeof text !== "string") throw invalid("the log entry must be a string");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#locked(agentId, async () => {
      const storage = await this.#adapter();
      const entry = text.endsWith("\n") ? text : `${text}\n`;
      await this.#append(storage, `${agentId}/logs/${utcDate(this.#clock())}.md`, entry);
    });
  }

  /**
   * Lists the dates of an agent's daily logs.
   *
   * @param agentId The agent.
   * @returns Dates as `YYYY-MM-DD`, oldest first.
   * @example Listing logs
   * ```ts ignore
   * console.log(await store.listDailyLogs("agent-1")); // ["2026-03-01", "2026-03-02"]
   * ```
   */
  async listDailyLogs(agentId: string): Promise<string[]> {
    checkAgentId(agentId);
    const storage = await this.#adapter();
    const prefix = `${agentId}/logs/`;
    const dates: string[] = [];
    for (const key of await this.#list(storage, prefix)) {
      const date = key.slice(prefix.length, -3);
      if (key.endsWith(".md") && isCalendarDate(date)) dates.push(date);
    }
    return dates.sort();
  }

  /**
   * Reads one daily log.
   *
   * @param agentId The agent.
   * @param date The day, `YYYY-MM-DD`.
   * @returns The log text, or `undefined` when there is none.
   * @example Reading today's log
   * ```ts ignore
   * console.log(await store.readDailyLog("agent-1", new Date().toISOString().slice(0, 10)));
   * ```
   */
  async readDailyLog(agentId: string, date: string): Promise<string | undefined> {
    checkAgentId(agentId);
    if (typeof date !== "string" || !isCalendarDate(date)) {
      throw new MemoryError(
        MemoryErrorCode.InvalidOption,
        `date must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(String(date))}`,
      );
    }
    return this.#get(await this.#adapter(), `${agentId}/logs/${date}.md`);
  }

  /**
   * Removes daily logs older than the retention period, judged by the date in the log's name
   * (never by file times, which copies and backups change): with `retentionDays` 30 on
   * 2026-03-31 (UTC), logs dated before 2026-03-01 go. Files in `logs/` not named `YYYY-MM-DD.md`
   * are left alone.
   *
   * @param agentId One agent; omitted, every agent with a stored folder.
   * @returns The logs removed.
   * @example Compacting every agent
   * ```ts ignore
   * const removed = await store.compact();
   * console.log(`${removed.length} old logs removed`);
   * ```
   */
  async compact(agentId?: string): Promise<RemovedLog[]> {
    if (agentId !== undefined) checkAgentId(agentId);
    const storage = await this.#adapter();
    const now = this.#clock();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const cutoff = utcDate(new Date(today - this.#retentionDays * DAY_MS));
    const removed: RemovedLog[] = [];
    for (const key of await this.#list(storage, agentId === undefined ? "" : `${agentId}/`)) {
      const parts = key.split("/");
      if (parts.length !== 3 || parts[1] !== "logs") continue;
      const date = parts[2].slice(0, -3);
      if (!parts[2].endsWith(".md") || !isCalendarDate(date) || date >= cutoff) continue;
      try {
        checkAgentId(parts[0]);
      } catch {
        continue;
      }
      await this.#locked(parts[0], async () => {
        try {
          await storage.delete(key);
        } catch (error) {
          if (error instanceof MemoryError) throw error;
          throw new MemoryError(MemoryErrorCode.StorageFailed, `deleting "${key}" failed`, {
            cause: error,
          });
        }
      });
      removed.push({ agentId: parts[0], date });
    }
    this.#lastCleanup = now;
    return removed;
  }

  /**
   * Counts contexts, logs and stored bytes. Reads every value, so it costs one read per file.
   *
   * @returns The statistics.
   * @example Stats
   * ```ts ignore
   * const { totalContexts, totalSizeBytes } = await store.getStorageStats();
   * ```
   */
  async getStorageStats(): Promise<StorageStats> {
    const storage = await this.#adapter();
    const encoder = new TextEncoder();
    let totalContexts = 0;
    let totalDailyLogs = 0;
    let totalSizeBytes = 0;
    for (const key of await this.#list(storage, "")) {
      const parts = key.split("/");
      if (parts.length === 2 && parts[1] === MEMORY_FILE) totalContexts++;
      if (parts.length === 3 && parts[1] === "logs" && LOG_NAME.test(parts[2])) totalDailyLogs++;
      const value = await this.#get(storage, key);
      if (value !== undefined) totalSizeBytes += encoder.encode(value).length;
    }
    const location = (storage as { location?: unknown }).location;
    return {
      totalContexts,
      totalDailyLogs,
      totalSizeBytes,
      lastCleanup: this.#lastCleanup,
      storagePath: typeof location === "string" ? location : this.#path,
    };
  }
}
