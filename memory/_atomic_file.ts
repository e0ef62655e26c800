/**
 * Node's filesystem modules (Deno, Node 22.3+, Bun, through `process.getBuiltinModule`, so bundles
 * for Workers never resolve `node:*`) and the one atomic file write the SDK uses: a temporary file in
 * the same folder, flushed, renamed over the target. Used by `FsStorage` and the metrics file
 * exporter.
 */
import type * as NodeFs from "node:fs/promises";
import type * as NodePath from "node:path";
import { nodeBuiltin } from "../client/_env.ts";

/** `node:fs/promises` and `node:path`. */
export interface NodeFsModules {
  fs: typeof NodeFs;
  path: typeof NodePath;
}

let cached: NodeFsModules | undefined;

/** The filesystem modules, or undefined on a runtime without them (workers, browsers). */
export function nodeFs(): NodeFsModules | undefined {
  if (cached) return cached;
  const fs = nodeBuiltin<typeof NodeFs>("node:fs/promises");
  const path = nodeBuiltin<typeof NodePath>("node:path");
  if (!fs || !path) return undefined;
  cached = { fs, path };
  return cached;
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Replaces `target` atomically: readers see the old content or the new, never a mix, and a failed
 * write removes its temporary file and leaves the old content. Creates the folder as needed.
 * Errors are the filesystem's own (callers wrap them in their module's error).
 *
 * @param modules The filesystem modules.
 * @param target Absolute path.
 * @param data The whole new content.
 * @param durable Flush (`fdatasync`) before the rename.
 */
export async function writeFileAtomic(
  modules: NodeFsModules,
  target: string,
  data: string | Uint8Array,
  durable: boolean,
): Promise<void> {
  const { fs, path } = modules;
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${randomSuffix()}.tmp`);
  try {
    const handle = await fs.open(temp, "wx", 0o644);
    try {
      await handle.writeFile(data);
      if (durable) await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
}
