// Reads the Cedar engine's .wasm bytes from a file: URL (Deno, Node, Bun). Imported lazily by
// cedar/engine.ts so nothing in the static graph needs node:fs.
import { readFile } from "node:fs/promises";

export async function readWasmFile(url: URL): Promise<Uint8Array> {
  return new Uint8Array(await readFile(url));
}
