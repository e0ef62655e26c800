/**
 * Filesystem writes for the file exporter (Deno, Node, Bun). Loaded lazily by `file_exporter.ts`,
 * and it fetches `node:fs/promises` through `process.getBuiltinModule` rather than importing it, so
 * bundles for Workers never have to resolve `node:*`.
 *
 * @module
 */
import type * as NodeFs from "node:fs/promises";
import type * as NodePath from "node:path";
import { MetricsError, MetricsErrorCode } from "./errors.ts";

interface NodeModules {
  fs: typeof NodeFs;
  path: typeof NodePath;
}

let cached: NodeModules | undefined;

function node(): NodeModules {
  if (cached) return cached;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } })
    .process;
  if (typeof proc?.getBuiltinModule !== "function") {
    throw new MetricsError(
      MetricsErrorCode.FILE_UNSUPPORTED,
      "FileMetricsExporter needs node:fs (Deno, Node 22.3+ or Bun); on this runtime use the OTLP " +
        "or Prometheus exporter",
    );
  }
  cached = {
    fs: proc.getBuiltinModule("node:fs/promises") as typeof NodeFs,
    path: proc.getBuiltinModule("node:path") as typeof NodePath,
  };
  return cached;
}

function randomSuffix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Resolves a path to an absolute one.
 *
 * @param path The configured path.
 * @returns The absolute path.
 */
export function resolvePath(path: string): string {
  return node().path.resolve(path);
}

/**
 * Replaces `target` atomically: writes a temporary file in the same folder, flushes it to disk,
 * renames it over the target. Readers see the old content or the new, never a mix; a failed write
 * removes its temporary file.
 *
 * @param target Absolute path.
 * @param text The full new content.
 * @param durable Flush (`fdatasync`) before the rename.
 */
export async function writeAtomic(target: string, text: string, durable: boolean): Promise<void> {
  const { fs, path } = node();
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(target)}.${randomSuffix()}.tmp`);
  let renamed = false;
  try {
    const handle = await fs.open(temp, "wx", 0o644);
    try {
      await handle.writeFile(text, "utf8");
      if (durable) await handle.datasync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(temp).catch(() => {});
  }
}

/**
 * Appends one line with a single `write` on a file opened in append mode (`O_APPEND`), so lines
 * from this and other processes do not interleave within a line on a local filesystem.
 *
 * @param target Absolute path.
 * @param line The line, ending in `\n`.
 * @param durable Flush (`fdatasync`) after writing.
 */
export async function appendLine(target: string, line: string, durable: boolean): Promise<void> {
  const { fs, path } = node();
  await fs.mkdir(path.dirname(target), { recursive: true });
  const handle = await fs.open(target, "a", 0o644);
  try {
    const bytes = new TextEncoder().encode(line);
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
    if (durable) await handle.datasync();
  } finally {
    await handle.close();
  }
}
