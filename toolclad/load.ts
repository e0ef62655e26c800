/**
 * Loading manifests from a file or a folder (Deno, Node and Bun). The filesystem code is imported
 * lazily, so importing this module costs nothing on runtimes without a filesystem.
 *
 * @module
 */
import { ToolCladError, ToolCladErrorCode } from "./errors.ts";
import { parseCustomTypes, parseManifest, type ParseManifestOptions } from "./manifest.ts";
import type { CustomTypes, Manifest } from "./types.ts";

async function fs(): Promise<typeof import("./_fs_loader.ts")> {
  try {
    return await import("./_fs_loader.ts");
  } catch (error) {
    throw new ToolCladError(
      ToolCladErrorCode.FS_UNAVAILABLE,
      "loading manifests from files needs node:fs (Deno, Node or Bun); on this runtime use parseManifest(text)",
      { cause: error },
    );
  }
}

/**
 * Reads and parses one `.clad.toml` file.
 *
 * @param path File path.
 * @param options Custom types.
 * @returns The manifest.
 * @throws {ToolCladError} `TOOLCLAD_IO_ERROR`, `TOOLCLAD_FS_UNAVAILABLE`, or a manifest error with `source` set.
 *
 * @example
 * ```ts ignore
 * const manifest = await loadManifestFile("tools/nmap_scan.clad.toml");
 * ```
 */
export async function loadManifestFile(
  path: string,
  options: Omit<ParseManifestOptions, "source"> = {},
): Promise<Manifest> {
  const loader = await fs();
  return parseManifest(await loader.readTextFile(path), { ...options, source: path });
}

/**
 * Reads a project's `toolclad.toml` custom types.
 *
 * @param path File path.
 * @returns The custom types by name.
 * @throws {ToolCladError} `TOOLCLAD_IO_ERROR`, `TOOLCLAD_FS_UNAVAILABLE`, `TOOLCLAD_TOML_SYNTAX`, `TOOLCLAD_MANIFEST_INVALID`.
 *
 * @example
 * ```ts ignore
 * const customTypes = await loadCustomTypesFile("toolclad.toml");
 * ```
 */
export async function loadCustomTypesFile(path: string): Promise<CustomTypes> {
  const loader = await fs();
  return parseCustomTypes(await loader.readTextFile(path), path);
}

/**
 * Reads and parses every `*.clad.toml` in a folder, sorted by file name. When the folder holds a
 * `toolclad.toml`, its custom types are available to the manifests.
 *
 * @param dir Folder path.
 * @param options `recursive` to descend into sub-folders; extra custom types.
 * @returns The manifests.
 * @throws {ToolCladError} The first error met (with `source` set).
 *
 * @example
 * ```ts ignore
 * const manifests = await loadManifestDir("tools");
 * ```
 */
export async function loadManifestDir(
  dir: string,
  options: { recursive?: boolean; customTypes?: CustomTypes } = {},
): Promise<Manifest[]> {
  const loader = await fs();
  const customTypes: CustomTypes = { ...options.customTypes };
  const typesFile = await loader.joinPath(dir, "toolclad.toml");
  if (await loader.exists(typesFile)) {
    Object.assign(customTypes, parseCustomTypes(await loader.readTextFile(typesFile), typesFile));
  }
  const out: Manifest[] = [];
  for (const path of await loader.listManifestFiles(dir, options.recursive ?? false)) {
    out.push(parseManifest(await loader.readTextFile(path), { customTypes, source: path }));
  }
  return out;
}
