/**
 * Agent memory: the storage interface its stores are built on, and the adapters that need no
 * runtime-specific import. The filesystem adapter is its own export, `@symbiont/sdk/memory/fs`.
 *
 * ```ts
 * import { MemoryStorage } from "@symbiont/sdk/memory";
 * const storage = new MemoryStorage();
 * await storage.put("agent-1/memory.md", "# Agent Memory: agent-1\n");
 * console.log(await storage.list("agent-1/"));
 * ```
 *
 * @module
 */
export type { StorageAdapter } from "./storage.ts";
export { MemoryStorage } from "./memory_storage.ts";
export { MemoryError, MemoryErrorCode } from "./errors.ts";
export type { MemoryErrorCodeValue } from "./errors.ts";
