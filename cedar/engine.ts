/**
 * Loads the official Cedar engine (`@cedar-policy/cedar-wasm`, its `web` build) once per process.
 *
 * @module
 */
import initWeb, {
  getCedarVersion as webVersion,
  isAuthorized as webIsAuthorized,
  policySetTextToParts as webTextToParts,
} from "@cedar-policy/cedar-wasm/web";
import type {
  AuthorizationAnswer,
  AuthorizationCall,
  PolicySetTextToPartsAnswer,
} from "@cedar-policy/cedar-wasm/web";

/** Stable error codes of the Cedar module. */
export const CedarErrorCode = {
  /** The WebAssembly engine could not be loaded on this runtime. */
  WASM_UNAVAILABLE: "CEDAR_WASM_UNAVAILABLE",
  /** A request or policy input is malformed (not a Cedar syntax error, which denies). */
  INPUT_INVALID: "CEDAR_INPUT_INVALID",
} as const;

/** One of {@link CedarErrorCode}. */
export type CedarErrorCode = typeof CedarErrorCode[keyof typeof CedarErrorCode];

/**
 * Thrown by the Cedar module for a missing engine or malformed input. Policy syntax errors do not
 * throw: like the runtime's gate, they make the decision `deny` with the errors listed.
 *
 * @example
 * ```ts ignore
 * import { CedarError, checkToolCall } from "@symbiont/sdk/cedar";
 *
 * try {
 *   await checkToolCall({ policies: [], agentId: "not-a-uuid", toolName: "x" });
 * } catch (error) {
 *   if (error instanceof CedarError) console.log(error.code); // CEDAR_INPUT_INVALID
 * }
 * ```
 */
export class CedarError extends Error {
  /** Stable code. */
  readonly code: CedarErrorCode;
  /** The offending field, for input errors. */
  readonly field?: string;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param message What went wrong.
   * @param options Offending field and cause.
   */
  constructor(
    code: CedarErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CedarError";
    this.code = code;
    this.field = options.field;
  }
}

/** What {@link initCedar} may be given instead of finding the `.wasm` file itself. */
export interface InitCedarOptions {
  /**
   * The engine's WebAssembly: a compiled `WebAssembly.Module` (what Cloudflare Workers give for
   * `import wasm from "…/cedar_wasm_bg.wasm"`), its bytes, or a URL to fetch.
   */
  module?: WebAssembly.Module | BufferSource | URL | string;
}

interface Engine {
  isAuthorized(call: AuthorizationCall): AuthorizationAnswer;
  policySetTextToParts(text: string): PolicySetTextToPartsAnswer;
  version: string;
}

let engine: Promise<Engine> | undefined;

function webEngine(): Engine {
  return {
    isAuthorized: webIsAuthorized,
    policySetTextToParts: webTextToParts,
    version: webVersion(),
  };
}

async function load(options: InitCedarOptions): Promise<Engine> {
  if (options.module !== undefined) {
    await initWeb({ module_or_path: options.module });
    return webEngine();
  }
  const meta = import.meta as { resolve?: (specifier: string) => string };
  const resolved = typeof meta.resolve === "function"
    ? meta.resolve("@cedar-policy/cedar-wasm/web")
    : undefined;
  if (resolved !== undefined) {
    const url = new URL("cedar_wasm_bg.wasm", resolved);
    if (url.protocol === "file:") {
      const { readWasmFile } = await import("./_wasm_file.ts");
      await initWeb({ module_or_path: await readWasmFile(url) });
      return webEngine();
    }
    if (url.protocol === "http:" || url.protocol === "https:") {
      await initWeb({ module_or_path: url });
      return webEngine();
    }
  }
  // Otherwise (e.g. Deno without a node_modules folder, where the specifier resolves to an npm:
  // URL) the web build locates its .wasm next to itself and fetches it; Deno's fetch reads file: URLs.
  await initWeb();
  return webEngine();
}

/**
 * Loads the Cedar engine. Called automatically by the check functions; call it yourself to pass
 * the WebAssembly module on runtimes that cannot read files (Cloudflare Workers), or to fail early.
 *
 * @param options The engine's WebAssembly, when it cannot be found automatically.
 * @returns The Cedar language version the engine implements.
 * @throws {CedarError} `CEDAR_WASM_UNAVAILABLE` when the engine cannot be loaded.
 *
 * @example On Cloudflare Workers
 * ```ts ignore
 * import wasm from "@cedar-policy/cedar-wasm/web/cedar_wasm_bg.wasm";
 * import { initCedar } from "@symbiont/sdk/cedar";
 *
 * await initCedar({ module: wasm });
 * ```
 */
export async function initCedar(options: InitCedarOptions = {}): Promise<string> {
  engine ??= load(options).catch((error) => {
    engine = undefined;
    throw new CedarError(
      CedarErrorCode.WASM_UNAVAILABLE,
      "could not load the Cedar WebAssembly engine; on runtimes without file access pass it with " +
        `initCedar({ module }): ${(error as Error).message}`,
      { cause: error },
    );
  });
  return (await engine).version;
}

/** @internal The loaded engine. */
export async function getEngine(): Promise<Engine> {
  await initCedar();
  return engine!;
}
