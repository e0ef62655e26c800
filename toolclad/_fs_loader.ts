// Filesystem access for loading manifests from files and folders. Loaded lazily by the registry
// (`await import("./_fs_loader.ts")`) so the module's static graph stays web standard. Works on
// Deno, Node and Bun (node:fs/promises). node:fs and node:path are imported lazily too, so that
// bundlers which inline this file (esbuild for Workers) do not hoist them to top-level imports.
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

const fs = () => import("node:fs/promises");
const nodePath = () => import("node:path");

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
