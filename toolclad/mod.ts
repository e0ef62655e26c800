/**
 * ToolClad, locally: parse `.clad.toml` manifests (from a string, a file or a folder), validate
 * them with field-precise errors, validate arguments with the 15 types' injection rules, generate
 * the MCP `inputSchema`/`outputSchema`, dry-run the command (the resolved argv, nothing executed),
 * do pre-flight scope math, and generate Cedar policies for the runtime's gate.
 *
 * The static import graph is web standard (runs on workerd too); only the file and folder loaders
 * reach for `node:fs`, through a lazy import.
 *
 * Where the reference implementations disagree, this module follows the Rust one
 * (trust-stack.md §C), with these deliberate choices:
 * - Deny-set: Rust's metacharacters (newline, CR, `; | & $ \` ( ) { } [ ] < > !`) plus NUL. The
 *   JS reference's extra `# \ ' "` are allowed, as in Rust.
 * - `string` values are trimmed (Unicode white space, as Rust `trim`) and always get the
 *   metacharacter check; patterns are searched anywhere (write `^…$`). Network types reject
 *   leading/trailing white space instead of trimming.
 * - `boolean` is exactly `true`/`false`; `port` 1–65535; `integer` is i64 with clamp;
 *   `number` must be finite and prints like Rust's `f64`; `cidr` is IPv4 only, prefix 0–32;
 *   `url` uses Rust's `^https?://host(/path)?$` shape (so no ports or user info).
 * - Stricter than Rust: a `url` arg's declared `schemes` are enforced (Rust ignores them); a
 *   `scope_target` containing `/` must be a *valid* IPv4 CIDR (Rust checks the shape only);
 *   `regex_match` without `pattern`, a pattern that does not compile, and a `default` that fails
 *   its own validation are manifest errors found at load time, not at call time.
 * - `credential_file` gets the path rules; whether the file exists is for the runtime to check.
 * - Custom type names load only when their `toolclad.toml` types are supplied (Rust refuses them).
 * - Rendering: placeholders are substituted in one pass (a value is never re-expanded); unknown
 *   ones stay literal as in Rust and are reported in `unresolved` (e.g. the nmap example's
 *   `{_scan_flags}`: Rust's mappings produce `{_scan_type_flags}` and `{_scan_type}` only).
 *   Conditionals see arguments, defaults, mappings and executor variables, in name order.
 *   Arguments a manifest does not declare are ignored, as by the Rust executor.
 * - Regexes are JavaScript regexes in Unicode mode; a leading `(?i)`/`(?m)`/`(?s)` is honoured.
 *
 * @example Parse, validate, preview
 * ```ts
 * import { dryRun, getSchema, parseManifest, ToolCladError } from "@symbiont/sdk/toolclad";
 *
 * const manifest = parseManifest(`
 * [tool]
 * name = "nmap_scan"
 * version = "7.94"
 * binary = "nmap"
 * description = "Port scan"
 *
 * [args.target]
 * position = 1
 * required = true
 * type = "scope_target"
 *
 * [args.scan_type]
 * position = 2
 * required = true
 * type = "enum"
 * allowed = ["ping", "service"]
 *
 * [command]
 * exec = ["nmap", "{_scan_type_flags}", "{target}"]
 *
 * [command.mappings.scan_type]
 * ping = "-sn"
 * service = "-sV"
 *
 * [output]
 * format = "text"
 * `);
 *
 * getSchema(manifest).inputSchema.required; // ["target", "scan_type"]
 * dryRun(manifest, { target: "10.0.0.1", scan_type: "ping" }).argv; // ["nmap", "-sn", "10.0.0.1"]
 * try {
 *   dryRun(manifest, { target: "10.0.0.1; rm -rf /", scan_type: "ping" });
 * } catch (error) {
 *   if (error instanceof ToolCladError) console.log(error.code, error.arg); // TOOLCLAD_ARG_INVALID target
 * }
 * ```
 *
 * @module
 */
export { ToolCladError, ToolCladErrorCode } from "./errors.ts";
export type { ManifestIssue, ToolCladErrorDetails } from "./errors.ts";
export { ARG_TYPES, RISK_TIERS } from "./types.ts";
export type {
  ArgDef,
  ArgType,
  ArgValue,
  Backend,
  BrowserDef,
  CedarMeta,
  CommandDef,
  ConditionalDef,
  CustomTypeDef,
  CustomTypes,
  EvidenceMeta,
  HttpDef,
  Manifest,
  McpDef,
  OutputDef,
  RiskTier,
  ScalarValue,
  SessionDef,
  SubCommandDef,
  ToolMeta,
} from "./types.ts";
export {
  argValueToString,
  compilePattern,
  findMetacharacter,
  formatFloat,
  parseIpv4,
  parseIpv6,
  SHELL_METACHARACTERS,
  validateArg,
} from "./validators.ts";
export {
  parseCustomTypes,
  parseManifest,
  validateManifest,
  validateManifestTable,
} from "./manifest.ts";
export type { ManifestValidationResult, ParseManifestOptions } from "./manifest.ts";
export { dryRun, evaluateCondition, newScanId, resolveArgs, shellSplit } from "./render.ts";
export type { ArgReport, DryRunOptions, DryRunResult } from "./render.ts";
export { getSchema } from "./schema.ts";
export type { JsonSchema, McpToolSchema } from "./schema.ts";
export { cedarString, generateCedarPolicies, generateCedarPolicy } from "./cedar_policy.ts";
export type { CedarPolicyOptions } from "./cedar_policy.ts";
export { hostMatchesPattern, ipInCidr, urlHostAllowed } from "./scope.ts";
export { ToolCladRegistry } from "./registry.ts";
export type { LoadDirOptions, ToolCladRegistryOptions, ToolInfo } from "./registry.ts";
export { loadCustomTypesFile, loadManifestDir, loadManifestFile } from "./load.ts";
