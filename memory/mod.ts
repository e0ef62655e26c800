/**
 * Agent memory: {@link MarkdownMemoryStore} keeps each agent's facts, procedures, learned patterns
 * and metadata as Markdown in the layout of the Symbiont runtime and the Python SDK, over a small
 * {@link StorageAdapter}: in memory, Deno KV or Workers KV from here, a folder from
 * `@symbiont/sdk/memory/fs` (also loaded on demand when the store is given a path).
 *
 * ```ts
 * import { MarkdownMemoryStore, MemoryStorage } from "@symbiont/sdk/memory";
 * const store = new MarkdownMemoryStore(new MemoryStorage());
 * await store.saveContext("agent-1", {
 *   agentId: "agent-1",
 *   facts: ["Paris is the capital of France"],
 *   procedures: [],
 *   learnedPatterns: [],
 *   metadata: {},
 * });
 * console.log(await store.listAgentContexts()); // ["agent-1"]
 * ```
 *
 * @module
 */
export type { StorageAdapter } from "./storage.ts";
export { MemoryStorage } from "./memory_storage.ts";
export { DenoKvStorage } from "./deno_kv_storage.ts";
export type {
  DenoKvAtomicLike,
  DenoKvEntryLike,
  DenoKvLike,
  DenoKvStorageOptions,
  KvKeyPart,
} from "./deno_kv_storage.ts";
export { WorkersKvStorage } from "./workers_kv_storage.ts";
export type { KvNamespaceLike, WorkersKvStorageOptions } from "./workers_kv_storage.ts";
export { MarkdownMemoryStore } from "./markdown_store.ts";
export type {
  AgentMemoryContext,
  JsonValue,
  MarkdownMemoryStoreOptions,
  RemovedLog,
  StorageStats,
} from "./markdown_store.ts";
export { MemoryError, MemoryErrorCode } from "./errors.ts";
export type { MemoryErrorCodeValue } from "./errors.ts";
