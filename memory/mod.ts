/**
 * Agent memory. So far this module holds only the storage interface its stores are built on.
 *
 * @module
 */
export type { StorageAdapter } from "./storage.ts";
