/**
 * The one error class of the ToolClad module, with stable `code` strings.
 *
 * @module
 */

/** Stable error codes thrown by the ToolClad module, for `switch (error.code)`. */
export const ToolCladErrorCode = {
  /** The manifest (or `toolclad.toml`) is not valid TOML. `line`/`column` say where. */
  TOML_SYNTAX: "TOOLCLAD_TOML_SYNTAX",
  /** The manifest parsed as TOML but breaks the `.clad.toml` schema; `issues` lists every problem. */
  MANIFEST_INVALID: "TOOLCLAD_MANIFEST_INVALID",
  /** An argument value failed its type's validation or injection rules. `arg` names it. */
  ARG_INVALID: "TOOLCLAD_ARG_INVALID",
  /** A required argument was not supplied and has no default. `arg` names it. */
  ARG_MISSING: "TOOLCLAD_ARG_MISSING",
  /** The command could not be rendered (mismatched quotes, empty argv). */
  COMMAND_INVALID: "TOOLCLAD_COMMAND_INVALID",
  /** The backend (session, browser) runs only inside the Symbiont runtime, not locally. */
  BACKEND_NOT_LOCAL: "TOOLCLAD_BACKEND_NOT_LOCAL",
  /** No tool of that name is in the registry. */
  TOOL_NOT_FOUND: "TOOLCLAD_TOOL_NOT_FOUND",
  /** Two manifests declare the same `tool.name`. */
  DUPLICATE_TOOL: "TOOLCLAD_DUPLICATE_TOOL",
  /** A manifest file or folder could not be read. */
  IO_ERROR: "TOOLCLAD_IO_ERROR",
  /** Loading from files was asked for on a runtime without a filesystem (e.g. workerd). */
  FS_UNAVAILABLE: "TOOLCLAD_FS_UNAVAILABLE",
} as const;

/** One of the {@link ToolCladErrorCode} values. */
export type ToolCladErrorCode = typeof ToolCladErrorCode[keyof typeof ToolCladErrorCode];

/** One problem found in a manifest: the dotted field path (e.g. `args.port.max`) and why. */
export interface ManifestIssue {
  /** Dotted path of the offending field, e.g. `tool.risk_tier` or `args.target.type`. */
  path: string;
  /** What is wrong with it. */
  message: string;
}

/** Extra details an error may carry. */
export interface ToolCladErrorDetails {
  /** The argument concerned (ARG_INVALID, ARG_MISSING). */
  arg?: string;
  /** Every manifest problem found (MANIFEST_INVALID). */
  issues?: ManifestIssue[];
  /** The file the manifest came from, when known. */
  source?: string;
  /** 1-based line of a TOML syntax error. */
  line?: number;
  /** 1-based column of a TOML syntax error. */
  column?: number;
  /** The tool concerned. */
  tool?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * Thrown by every ToolClad operation. `code` is stable; the message says what was wrong and where.
 *
 * @example Telling a bad argument from a bad manifest
 * ```ts
 * import { parseManifest, ToolCladError } from "@symbiont/sdk/toolclad";
 *
 * try {
 *   parseManifest("[tool]\nname = 'x'");
 * } catch (error) {
 *   if (error instanceof ToolCladError && error.code === "TOOLCLAD_MANIFEST_INVALID") {
 *     for (const issue of error.issues) console.log(issue.path, issue.message);
 *   }
 * }
 * ```
 */
export class ToolCladError extends Error {
  /** Stable machine-readable code. */
  readonly code: ToolCladErrorCode;
  /** The argument concerned, for argument errors. */
  readonly arg?: string;
  /** Every manifest problem (empty unless `code` is `TOOLCLAD_MANIFEST_INVALID`). */
  readonly issues: ManifestIssue[];
  /** The file the manifest came from, when known. */
  readonly source?: string;
  /** 1-based line of a TOML syntax error. */
  readonly line?: number;
  /** 1-based column of a TOML syntax error. */
  readonly column?: number;
  /** The tool concerned, when known. */
  readonly tool?: string;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param message Human-readable description.
   * @param details Optional extra fields.
   */
  constructor(code: ToolCladErrorCode, message: string, details: ToolCladErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ToolCladError";
    this.code = code;
    this.arg = details.arg;
    this.issues = details.issues ?? [];
    this.source = details.source;
    this.line = details.line;
    this.column = details.column;
    this.tool = details.tool;
  }
}
