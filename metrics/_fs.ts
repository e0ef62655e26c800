/**
 * Filesystem writes for the file exporter (Deno, Node, Bun). Loaded lazily by `file_exporter.ts`,
 * and it gets `node:fs/promises` through `memory/_atomic_file.ts` (no import at all), so bundles for
 * Workers never have to resolve `node:*`.
 *
 * @module
 */
import { nodeFs, type NodeFsModules, writeFileAtomic } from "../memory/_atomic_file.ts";
import { MetricsError, MetricsErrorCode } from "./errors.ts";

function node(): NodeFsModules {
  const modules = nodeFs();
  if (!modules) {
    throw new MetricsError(
      MetricsErrorCode.FILE_UNSUPPORTED,
      "FileMetricsExporter needs node:fs (Deno, Node 22.3+ or Bun); on this runtime use the OTLP " +
        "or Prometheus exporter",
    );
  }
  return modules;
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
export function writeAtomic(target: string, text: string, durable: boolean): Promise<void> {
  return writeFileAtomic(node(), target, text, durable);
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
