// Reads the Cedar engine's .wasm bytes from a file: URL (Deno, Node, Bun). Imported lazily by
// cedar/engine.ts; node:fs comes through nodeBuiltin (no import), so bundlers for Workers never
// resolve node:*.
import type * as NodeFs from "node:fs/promises";
import { nodeBuiltin } from "../client/_env.ts";

export async function readWasmFile(url: URL): Promise<Uint8Array> {
  const fs = nodeBuiltin<typeof NodeFs>("node:fs/promises");
  if (!fs) {
    throw new TypeError("no filesystem here: pass the .wasm module to initCedar({ module })");
  }
  return new Uint8Array(await fs.readFile(url));
}
