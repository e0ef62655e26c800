// Reads the Cedar engine's .wasm bytes from a file: URL (Deno, Node, Bun). Imported lazily by
// cedar/engine.ts, and node:fs is itself imported lazily, so that bundlers which inline this file
// (esbuild for Workers) do not turn it into a top-level node:fs import.
export async function readWasmFile(url: URL): Promise<Uint8Array> {
  const { readFile } = await import("node:fs/promises");
  return new Uint8Array(await readFile(url));
}
