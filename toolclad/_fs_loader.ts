// Filesystem access for loading manifests from files and folders. Loaded lazily by the registry
// (`await import("./_fs_loader.ts")`) so the module's static graph stays web standard. Works on
// Deno, Node and Bun (node:fs/promises). node:fs and node:path come through nodeBuiltin (no import
// at all), so that bundlers which inline this file (esbuild for Workers) never resolve node:*.
import type * as NodeFs from "node:fs/promises";
import type * as NodePath from "node:path";
import { nodeBuiltin } from "../client/_env.ts";
import { ToolCladError, ToolCladErrorCode } from "./errors.ts";

function ioError(path: string, what: string, error: unknown): ToolCladError {
  const code = (error as { code?: string }).code;
  const reason = code === "ENOENT"
    ? "no such file or folder"
    : code === "EACCES" || code === "EPERM"
    ? "permission denied"
    : code === "EISDIR"
    ? "is a folder, not a file"
    : code === "ENOTDIR"
    ? "is not a folder"
    : (error as Error).message;
  return new ToolCladError(ToolCladErrorCode.IO_ERROR, `cannot ${what} '${path}': ${reason}`, {
    source: path,
    cause: error,
  });
}

function builtin<T>(id: "node:fs/promises" | "node:path"): Promise<T> {
  const module = nodeBuiltin<T>(id);
  if (!module) {
    return Promise.reject(
      new ToolCladError(
        ToolCladErrorCode.IO_ERROR,
        "loading manifests from files needs a filesystem (Deno, Node or Bun); use parseManifest",
      ),
    );
  }
  return Promise.resolve(module);
}
const fs = () => builtin<typeof NodeFs>("node:fs/promises");
const nodePath = () => builtin<typeof NodePath>("node:path");

export async function readTextFile(path: string): Promise<string> {
  try {
    return await (await fs()).readFile(path, "utf8");
  } catch (error) {
    throw ioError(path, "read", error);
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    return (await (await fs()).stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The `*.clad.toml` files of a folder (sorted; recursing into sub-folders when asked). */
export async function listManifestFiles(dir: string, recursive: boolean): Promise<string[]> {
  let entries;
  try {
    entries = await (await fs()).readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw ioError(dir, "list", error);
  }
  const { join } = await nodePath();
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !entry.name.startsWith(".")) {
        out.push(...await listManifestFiles(path, true));
      }
    } else if (entry.isFile() && entry.name.endsWith(".clad.toml")) {
      out.push(path);
    }
  }
  return out;
}

export async function joinPath(...parts: string[]): Promise<string> {
  return (await nodePath()).join(...parts);
}
