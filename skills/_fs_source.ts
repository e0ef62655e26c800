/**
 * Filesystem access for skill folders (Deno, Node and Bun all provide `node:fs/promises` and
 * `node:path`). Loaded lazily by `folder.ts` only when a folder path is given. The `node:`
 * modules come through `process.getBuiltinModule` (the shared `nodeBuiltin` helper), not an
 * import, so bundlers and Miniflare for Workers never have to resolve `node:*`; a path given
 * there fails with `SKILL_FS_UNAVAILABLE`. Internal.
 */
import type * as FsPromises from "node:fs/promises";
import type * as NodePath from "node:path";
import { nodeBuiltin } from "../client/_env.ts";
import { SkillError, SkillErrorCode } from "./errors.ts";
import type { FolderEntry } from "./folder.ts";

interface NodeModules {
  fs: typeof FsPromises;
  path: typeof NodePath;
}

let cached: NodeModules | undefined;

function node(): Promise<NodeModules> {
  if (!cached) {
    const fs = nodeBuiltin<typeof FsPromises>("node:fs/promises");
    const path = nodeBuiltin<typeof NodePath>("node:path");
    if (!fs || !path) {
      return Promise.reject(
        new SkillError(
          SkillErrorCode.FsUnavailable,
          "folder paths need a filesystem (Deno, Node or Bun); pass a {relativePath: bytes} map here",
        ),
      );
    }
    cached = { fs, path };
  }
  return Promise.resolve(cached);
}

/** Upper bound on files listed in one folder walk: a guard against runaway trees. */
const HARD_FILE_LIMIT = 100_000;

function ioError(error: unknown, path: string): SkillError {
  const code = (error as { code?: string }).code;
  if (code === "ENOENT" || code === "ENOTDIR") {
    return new SkillError(SkillErrorCode.NotFound, `${path} does not exist`, path);
  }
  return new SkillError(
    SkillErrorCode.ReadFailed,
    `cannot read ${path}: ${code ?? (error as Error).message}`,
    path,
  );
}

/** Walks a folder: regular files only, symlinks (to files or folders) skipped, any depth. */
export async function listFsFolder(dir: string): Promise<FolderEntry[]> {
  const { fs: { lstat, readdir, readFile, stat }, path: { join } } = await node();
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    throw ioError(error, dir);
  }
  if (!info.isDirectory()) {
    throw new SkillError(SkillErrorCode.NotFound, `${dir} is not a folder`, dir);
  }
  const out: FolderEntry[] = [];
  const walk = async (abs: string, rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (error) {
      throw ioError(error, abs);
    }
    for (const entry of entries) {
      const name = String(entry.name);
      const childAbs = join(abs, name);
      const childRel = rel === "" ? name : `${rel}/${name}`;
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        await walk(childAbs, childRel, depth + 1);
      } else if (entry.isFile()) {
        if (out.length >= HARD_FILE_LIMIT) {
          throw new SkillError(
            SkillErrorCode.ReadFailed,
            `${dir} holds more than ${HARD_FILE_LIMIT} files`,
            dir,
          );
        }
        let size = 0;
        try {
          size = (await lstat(childAbs)).size;
        } catch (error) {
          throw ioError(error, childAbs);
        }
        out.push({
          path: childRel,
          depth,
          size,
          read: async () => {
            try {
              return new Uint8Array(await readFile(childAbs));
            } catch (error) {
              throw ioError(error, childAbs);
            }
          },
        });
      }
    }
  };
  await walk(dir, "", 0);
  return out;
}

/** Reads one regular file below `dir`; `undefined` when absent or a symlink. */
export async function readFsFile(dir: string, rel: string): Promise<Uint8Array | undefined> {
  const { fs: { lstat, readFile }, path: { join } } = await node();
  const abs = join(dir, ...rel.split("/"));
  try {
    const info = await lstat(abs);
    if (!info.isFile()) return undefined;
    return new Uint8Array(await readFile(abs));
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw ioError(error, abs);
  }
}

/** Writes one file below `dir`. */
export async function writeFsFile(dir: string, rel: string, text: string): Promise<void> {
  const { fs: { writeFile }, path: { join } } = await node();
  const abs = join(dir, ...rel.split("/"));
  try {
    await writeFile(abs, text);
  } catch (error) {
    throw new SkillError(
      SkillErrorCode.ReadFailed,
      `cannot write ${abs}: ${(error as { code?: string }).code ?? (error as Error).message}`,
      abs,
    );
  }
}

/** The sub-folders of `dir` (symlinked ones skipped), sorted, as absolute paths. */
export async function listSubfolders(dir: string): Promise<string[]> {
  const { fs: { readdir }, path: { join } } = await node();
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw ioError(error, dir);
  }
  return entries
    .filter((e) => e.isDirectory() && !e.isSymbolicLink())
    .map((e) => join(dir, String(e.name)))
    .sort();
}

/** An absolute path with symlinks resolved when it exists. */
export async function canonicalPath(path: string): Promise<string> {
  const { fs: { realpath }, path: { resolve } } = await node();
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** Whether `path` is `base` or inside it (segment-wise). */
export async function isInside(path: string, base: string): Promise<boolean> {
  const { path: { sep } } = await node();
  const b = base.endsWith(sep) ? base.slice(0, -1) : base;
  return path === b || path.startsWith(b + sep);
}

/** The last segment of a path. */
export async function baseName(path: string): Promise<string> {
  const { path: { basename, resolve } } = await node();
  return basename(resolve(path));
}
