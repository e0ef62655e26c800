/**
 * Skill folders as the scanner, signer and loader see them: a filesystem path (Deno, Node, Bun)
 * or a `{relativePath: bytes}` map (anywhere, including Workers and browsers).
 *
 * @module
 */
import { SkillError, SkillErrorCode } from "./errors.ts";

/**
 * A skill folder held in memory: `/`-separated relative paths to file contents. Strings are
 * encoded as UTF-8. Folders are implied by the paths; there are no symlinks.
 *
 * @example A two-file skill
 * ```ts
 * import type { SkillFileMap } from "@symbiont/sdk/skills";
 * const files: SkillFileMap = {
 *   "SKILL.md": "---\nname: hello\n---\n# Hello\n",
 *   "scripts/run.sh": new TextEncoder().encode("echo hi\n"),
 * };
 * console.log(Object.keys(files).length);
 * ```
 */
export type SkillFileMap = Readonly<Record<string, Uint8Array | string>>;

/**
 * A skill folder: a filesystem path or a {@link SkillFileMap}.
 *
 * @example Both forms
 * ```ts
 * import type { SkillFolder } from "@symbiont/sdk/skills";
 * const onDisk: SkillFolder = "./skills/hello";
 * const inMemory: SkillFolder = { "SKILL.md": "# Hello\n" };
 * console.log(typeof onDisk, typeof inMemory);
 * ```
 */
export type SkillFolder = string | SkillFileMap;

/** One regular file of a folder (internal). */
export interface FolderEntry {
  /** Relative path with `/`. */
  path: string;
  /** Number of directories between the folder root and the file (0 for top-level files). */
  depth: number;
  /** Size in bytes. */
  size: number;
  /** Reads the bytes. */
  read(): Promise<Uint8Array>;
}

const encoder = new TextEncoder();

/** The file name `.schemapin.sig`, skipped by canonicalisation and scanning at any depth. */
export const SIGNATURE_FILE = ".schemapin.sig";

/** Checks a map key; throws `SKILL_INVALID_PATH`. */
export function checkRelativePath(path: string): void {
  const bad = (why: string): never => {
    throw new SkillError(
      SkillErrorCode.InvalidPath,
      `file path ${JSON.stringify(path.slice(0, 120))} ${why}`,
      path,
    );
  };
  if (path.length === 0) bad("is empty");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) bad("is absolute");
  if (path.includes("\\")) bad("holds a backslash (use '/')");
  if (path.includes("\0")) bad("holds a NUL character");
  for (const segment of path.split("/")) {
    if (segment === "") bad("has an empty segment");
    if (segment === "." || segment === "..") bad(`has a '${segment}' segment`);
  }
}

/** The bytes of a map value. */
export function bytesOf(value: Uint8Array | string): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

/** Lists a map's files (checked, unsorted). */
export function listMap(files: SkillFileMap): FolderEntry[] {
  if (files === null || typeof files !== "object" || Array.isArray(files)) {
    throw new SkillError(
      SkillErrorCode.InvalidOption,
      "a skill folder must be a path string or a {relativePath: bytes} object",
    );
  }
  const out: FolderEntry[] = [];
  for (const [path, value] of Object.entries(files)) {
    checkRelativePath(path);
    if (typeof value !== "string" && !(value instanceof Uint8Array)) {
      throw new SkillError(
        SkillErrorCode.InvalidOption,
        `file ${JSON.stringify(path)} must be a Uint8Array or a string`,
        path,
      );
    }
    const bytes = bytesOf(value);
    out.push({
      path,
      depth: path.split("/").length - 1,
      size: bytes.length,
      read: () => Promise.resolve(bytes),
    });
  }
  return out;
}

/** The file-system adapter, loaded only when a path is given. */
export async function fsSource(): Promise<typeof import("./_fs_source.ts")> {
  try {
    return await import("./_fs_source.ts");
  } catch (error) {
    throw new SkillError(
      SkillErrorCode.FsUnavailable,
      `folder paths need a filesystem (Deno, Node or Bun); pass a {relativePath: bytes} map here (${
        (error as Error).message
      })`,
    );
  }
}

/** Lists a folder's regular files, symlinks skipped, in no particular order. */
export async function listFolder(folder: SkillFolder): Promise<FolderEntry[]> {
  if (typeof folder === "string") return (await fsSource()).listFsFolder(folder);
  return listMap(folder);
}

/** Reads one file at a relative path, or `undefined` when it is absent (or a symlink). */
export async function readFolderFile(
  folder: SkillFolder,
  path: string,
): Promise<Uint8Array | undefined> {
  if (typeof folder === "string") return (await fsSource()).readFsFile(folder, path);
  const value = listMapValue(folder, path);
  return value === undefined ? undefined : bytesOf(value);
}

function listMapValue(files: SkillFileMap, path: string): Uint8Array | string | undefined {
  return Object.prototype.hasOwnProperty.call(files, path) ? files[path] : undefined;
}

/** Compares two strings by Unicode code point (the order Rust and Python sort in). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800-0xDFFF) stand for code points above every BMP unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
