/**
 * Parsing `.clad.toml` manifests and `toolclad.toml` custom types, and the manifest-level checks of
 * the Rust reference, reporting every problem with its field path.
 *
 * @module
 */
import { parse as parseToml, TomlError } from "smol-toml";
import { type ManifestIssue, ToolCladError, ToolCladErrorCode } from "./errors.ts";
import { compilePattern, validateArg } from "./validators.ts";
import {
  ARG_TYPES,
  type ArgDef,
  type ArgType,
  type BrowserDef,
  type CommandDef,
  type CustomTypeDef,
  type CustomTypes,
  type HttpDef,
  type Manifest,
  type McpDef,
  type OutputDef,
  RISK_TIERS,
  type RiskTier,
  type ScalarValue,
  type SessionDef,
  type SubCommandDef,
  type ToolMeta,
} from "./types.ts";

/** Options of {@link parseManifest} and {@link validateManifest}. */
export interface ParseManifestOptions {
  /** Custom types (from `toolclad.toml`) that argument `type`s may name. */
  customTypes?: CustomTypes;
  /** Where the text came from, for messages. */
  source?: string;
}

/** The outcome of {@link validateManifest}: every error and warning, each with its field path. */
export interface ManifestValidationResult {
  /** True when there are no errors. */
  valid: boolean;
  /** Problems that make the manifest unusable. */
  errors: ManifestIssue[];
  /** Suspicious but accepted things (unknown keys, unknown output format, ...). */
  warnings: ManifestIssue[];
  /** The parsed manifest, when valid. */
  manifest?: Manifest;
}

const HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
const OUTPUT_FORMATS = ["text", "json", "xml", "csv", "jsonl"];
const TOOL_KEYS = [
  "name",
  "version",
  "binary",
  "description",
  "timeout_seconds",
  "risk_tier",
  "human_approval",
  "dispatch",
  "cedar",
  "evidence",
  "mode",
];
const ARG_KEYS = [
  "position",
  "required",
  "type",
  "description",
  "default",
  "allowed",
  "pattern",
  "sanitize",
  "min",
  "max",
  "min_float",
  "max_float",
  "clamp",
  "schemes",
  "scope_check",
];
const TOP_KEYS = ["tool", "args", "command", "output", "http", "mcp", "session", "browser"];

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (isTable(v)) return "a table";
  if (typeof v === "bigint") return "an integer";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a float";
  if (v instanceof Date || (typeof v === "object" && v !== null)) return "a date/time";
  return `a ${typeof v}`;
}

/** Collects issues while reading a raw TOML table into typed fields. */
class Reader {
  errors: ManifestIssue[] = [];
  warnings: ManifestIssue[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  table(parent: Table, key: string, path: string, required = false): Table | undefined {
    const v = parent[key];
    if (v === undefined) {
      if (required) this.error(path, `missing required table [${path}]`);
      return undefined;
    }
    if (!isTable(v)) {
      this.error(path, `must be a table, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  string(t: Table, key: string, path: string, required = false): string | undefined {
    const v = t[key];
    if (v === undefined) {
      if (required) this.error(path, "missing required field");
      return undefined;
    }
    if (typeof v !== "string") {
      this.error(path, `must be a string, got ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  bool(t: Table, key: string, path: string, fallback: boolean): boolean {
    const v = t[key];
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") {
      this.error(path, `must be a boolean, got ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  integer(t: Table, key: string, path: string, min: bigint, max: bigint): bigint | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    let n: bigint;
    if (typeof v === "bigint") n = v;
    else if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v);
    else {
      this.error(path, `must be an integer, got ${describe(v)}`);
      return undefined;
    }
    if (n < min || n > max) {
      this.error(path, `must be between ${min} and ${max}, got ${n}`);
      return undefined;
    }
    return n;
  }

  float(t: Table, key: string, path: string): number | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v === "number") {
      if (Number.isNaN(v)) {
        this.error(path, "must not be NaN");
        return undefined;
      }
      return v;
    }
    if (typeof v === "bigint") return Number(v);
    this.error(path, `must be a number, got ${describe(v)}`);
    return undefined;
  }

  strings(t: Table, key: string, path: string): string[] | undefined {
    const v = t[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.error(path, `must be an array of strings, got ${describe(v)}`);
      return undefined;
    }
    return v as string[];
  }

  stringMap(t: Table, key: string, path: string): Record<string, string> {
    const v = this.table(t, key, path);
    const out: Record<string, string> = {};
    if (!v) return out;
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === "string") out[k] = x;
      else this.error(`${path}.${k}`, `must be a string, got ${describe(x)}`);
    }
    return out;
  }

  scalar(v: unknown, path: string): ScalarValue | undefined {
    if (
      typeof v === "string" || typeof v === "boolean" || typeof v === "bigint" ||
      (typeof v === "number" && !Number.isNaN(v))
    ) {
      return typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v;
    }
    this.error(path, `must be a string, integer, float or boolean, got ${describe(v)}`);
    return undefined;
  }

  unknownKeys(t: Table, known: string[], path: string): void {
    for (const k of Object.keys(t)) {
      if (!known.includes(k)) this.warn(path ? `${path}.${k}` : k, "unknown field (ignored)");
    }
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U32_MAX = 2n ** 32n - 1n;
const U64_MAX = 2n ** 64n - 1n;

function readRiskTier(r: Reader, t: Table, path: string): RiskTier {
  const v = r.string(t, "risk_tier", path) ?? "low";
  if (!(RISK_TIERS as readonly string[]).includes(v)) {
    r.error(path, `invalid risk_tier '${v}', must be one of: ${RISK_TIERS.join(", ")}`);
    return "low";
  }
  return v as RiskTier;
}

function readArg(
  r: Reader,
  name: string,
  raw: unknown,
  path: string,
  customTypes: CustomTypes,
): ArgDef | undefined {
  if (!isTable(raw)) {
    r.error(path, `must be a table, got ${describe(raw)}`);
    return undefined;
  }
  r.unknownKeys(raw, ARG_KEYS, path);
  const type = r.string(raw, "type", `${path}.type`, true);
  const def: ArgDef = {
    position: Number(r.integer(raw, "position", `${path}.position`, 0n, U32_MAX) ?? 0n),
    required: r.bool(raw, "required", `${path}.required`, false),
    type: type ?? "string",
    description: r.string(raw, "description", `${path}.description`) ?? "",
    allowed: r.strings(raw, "allowed", `${path}.allowed`),
    pattern: r.string(raw, "pattern", `${path}.pattern`),
    sanitize: r.strings(raw, "sanitize", `${path}.sanitize`),
    min: r.integer(raw, "min", `${path}.min`, I64_MIN, I64_MAX),
    max: r.integer(raw, "max", `${path}.max`, I64_MIN, I64_MAX),
    min_float: r.float(raw, "min_float", `${path}.min_float`),
    max_float: r.float(raw, "max_float", `${path}.max_float`),
    clamp: r.bool(raw, "clamp", `${path}.clamp`, false),
    schemes: r.strings(raw, "schemes", `${path}.schemes`) ?? [],
    scope_check: r.bool(raw, "scope_check", `${path}.scope_check`, false),
  };
  if (raw.default !== undefined) def.default = r.scalar(raw.default, `${path}.default`);
  if (type === undefined) return undefined;
  const builtIn = (ARG_TYPES as readonly string[]).includes(type);
  const custom = Object.hasOwn(customTypes, type) ? customTypes[type] : undefined;
  if (!builtIn && !custom) {
    r.error(
      `${path}.type`,
      `unknown type '${type}' for argument '${name}' (built-in types: ${ARG_TYPES.join(", ")}; ` +
        "custom types need toolclad.toml)",
    );
    return undefined;
  }
  const base: string = custom ? custom.base : type;
  if (base === "enum" && !def.allowed && !custom?.allowed) {
    r.error(`${path}.allowed`, `argument '${name}' is type 'enum' but has no 'allowed' list`);
  }
  if (base === "regex_match" && def.pattern === undefined && custom?.pattern === undefined) {
    r.error(
      `${path}.pattern`,
      `argument '${name}' is type 'regex_match' but has no 'pattern' field`,
    );
  }
  if (def.pattern !== undefined) {
    try {
      compilePattern(def.pattern);
    } catch (error) {
      r.error(`${path}.pattern`, (error as Error).message);
    }
  }
  if (def.min !== undefined && def.max !== undefined && def.min > def.max) {
    r.error(`${path}.min`, `min ${def.min} is greater than max ${def.max}`);
  }
  if (
    def.min_float !== undefined && def.max_float !== undefined && def.min_float > def.max_float
  ) {
    r.error(
      `${path}.min_float`,
      `min_float ${def.min_float} is greater than max_float ${def.max_float}`,
    );
  }
  if (def.sanitize) {
    for (const s of def.sanitize) {
      if (s !== "injection") {
        r.warn(`${path}.sanitize`, `unknown sanitizer '${s}' (only "injection" exists)`);
      }
    }
  }
  return def;
}

function readArgs(
  r: Reader,
  t: Table,
  key: string,
  path: string,
  customTypes: CustomTypes,
): Record<string, ArgDef> {
  const out: Record<string, ArgDef> = {};
  const table = r.table(t, key, path);
  if (!table) return out;
  for (const [name, raw] of Object.entries(table)) {
    const def = readArg(r, name, raw, `${path}.${name}`, customTypes);
    if (def) out[name] = def;
  }
  return out;
}

function readTool(r: Reader, root: Table): ToolMeta {
  const t = r.table(root, "tool", "tool", true) ?? {};
  r.unknownKeys(t, TOOL_KEYS, "tool");
  const dispatch = r.string(t, "dispatch", "tool.dispatch") ?? "exec";
  if (dispatch !== "exec" && dispatch !== "callback") {
    r.error("tool.dispatch", `invalid dispatch '${dispatch}', must be one of: exec, callback`);
  }
  if (t.mode !== undefined) {
    r.warn("tool.mode", "not a manifest field: the mode is inferred from the sections present");
  }
  const tool: ToolMeta = {
    name: r.string(t, "name", "tool.name", true) ?? "",
    version: r.string(t, "version", "tool.version", true) ?? "",
    binary: r.string(t, "binary", "tool.binary", true) ?? "",
    description: r.string(t, "description", "tool.description", true) ?? "",
    timeout_seconds: Number(
      r.integer(t, "timeout_seconds", "tool.timeout_seconds", 0n, U64_MAX) ?? 60n,
    ),
    risk_tier: readRiskTier(r, t, "tool.risk_tier"),
    human_approval: r.bool(t, "human_approval", "tool.human_approval", false),
    dispatch: dispatch === "callback" ? "callback" : "exec",
  };
  if (t.name !== undefined && tool.name.trim() === "") r.error("tool.name", "must not be empty");
  const cedar = r.table(t, "cedar", "tool.cedar");
  if (cedar) {
    tool.cedar = {
      resource: r.string(cedar, "resource", "tool.cedar.resource", true) ?? "",
      action: r.string(cedar, "action", "tool.cedar.action", true) ?? "",
    };
  }
  const evidence = r.table(t, "evidence", "tool.evidence");
  if (evidence) {
    tool.evidence = {
      output_dir: r.string(evidence, "output_dir", "tool.evidence.output_dir", true) ?? "",
      capture: r.bool(evidence, "capture", "tool.evidence.capture", false),
      hash: r.string(evidence, "hash", "tool.evidence.hash") ?? "sha256",
    };
  }
  return tool;
}

function readCommand(r: Reader, root: Table, args: Record<string, ArgDef>): CommandDef {
  const t = r.table(root, "command", "command") ?? {};
  r.unknownKeys(
    t,
    ["template", "exec", "executor", "defaults", "mappings", "conditionals"],
    "command",
  );
  const command: CommandDef = {
    template: r.string(t, "template", "command.template"),
    exec: r.strings(t, "exec", "command.exec"),
    executor: r.string(t, "executor", "command.executor"),
    defaults: {},
    mappings: {},
    conditionals: {},
  };
  if (command.exec && command.exec.length === 0) r.error("command.exec", "must not be empty");
  const defaults = r.table(t, "defaults", "command.defaults");
  for (const [k, v] of Object.entries(defaults ?? {})) {
    const s = r.scalar(v, `command.defaults.${k}`);
    if (s !== undefined) command.defaults[k] = s;
  }
  const mappings = r.table(t, "mappings", "command.mappings");
  for (const [arg, v] of Object.entries(mappings ?? {})) {
    if (!isTable(v)) {
      r.error(`command.mappings.${arg}`, `must be a table, got ${describe(v)}`);
      continue;
    }
    if (!Object.hasOwn(args, arg)) {
      r.error(`command.mappings.${arg}`, `mapping references unknown argument '${arg}'`);
    }
    command.mappings[arg] = r.stringMap(mappings!, arg, `command.mappings.${arg}`);
  }
  const conditionals = r.table(t, "conditionals", "command.conditionals");
  for (const [name, v] of Object.entries(conditionals ?? {})) {
    const path = `command.conditionals.${name}`;
    if (!isTable(v)) {
      r.error(path, `must be a table, got ${describe(v)}`);
      continue;
    }
    const when = r.string(v, "when", `${path}.when`, true);
    const template = r.string(v, "template", `${path}.template`, true);
    if (when !== undefined && template !== undefined) {
      command.conditionals[name] = { when, template };
    }
  }
  return command;
}

function readOutput(r: Reader, root: Table): OutputDef | undefined {
  const t = r.table(root, "output", "output");
  if (!t) return undefined;
  const format = r.string(t, "format", "output.format", true) ?? "text";
  if (t.format !== undefined && !OUTPUT_FORMATS.includes(format)) {
    r.warn("output.format", `unknown format '${format}' (known: ${OUTPUT_FORMATS.join(", ")})`);
  }
  let schema: Record<string, unknown> = { type: "object" };
  if (t.schema !== undefined) {
    if (isTable(t.schema)) schema = toJson(t.schema) as Record<string, unknown>;
    else r.error("output.schema", `must be a table, got ${describe(t.schema)}`);
  }
  return {
    format,
    parser: r.string(t, "parser", "output.parser"),
    envelope: r.bool(t, "envelope", "output.envelope", true),
    schema,
  };
}

/** TOML values → JSON-safe values (bigints become numbers when safe, else strings; dates ISO text). */
function toJson(v: unknown): unknown {
  if (typeof v === "bigint") {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  }
  if (Array.isArray(v)) return v.map(toJson);
  if (isTable(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
    return out;
  }
  if (typeof v === "object" && v !== null) return String(v);
  return v;
}

function readStatusList(r: Reader, t: Table, key: string, path: string): number[] {
  const v = t[key];
  if (v === undefined) return [];
  if (
    !Array.isArray(v) ||
    v.some((x) => (typeof x !== "bigint" && typeof x !== "number") || x < 0 || x > 65535)
  ) {
    r.error(path, "must be an array of HTTP status integers (0-65535)");
    return [];
  }
  return v.map(Number);
}

function readHttp(r: Reader, root: Table): HttpDef | undefined {
  const t = r.table(root, "http", "http");
  if (!t) return undefined;
  const method = r.string(t, "method", "http.method", true) ?? "GET";
  if (t.method !== undefined && !HTTP_METHODS.includes(method.toUpperCase())) {
    r.error(
      "http.method",
      `unsupported HTTP method '${method}', must be one of: ${HTTP_METHODS.join(", ")}`,
    );
  }
  return {
    method: method.toUpperCase(),
    url: r.string(t, "url", "http.url", true) ?? "",
    headers: r.stringMap(t, "headers", "http.headers"),
    body_template: r.string(t, "body_template", "http.body_template"),
    success_status: readStatusList(r, t, "success_status", "http.success_status"),
    error_status: readStatusList(r, t, "error_status", "http.error_status"),
  };
}

function readMcp(r: Reader, root: Table): McpDef | undefined {
  const t = r.table(root, "mcp", "mcp");
  if (!t) return undefined;
  return {
    server: r.string(t, "server", "mcp.server", true) ?? "",
    tool: r.string(t, "tool", "mcp.tool", true) ?? "",
    field_map: r.stringMap(t, "field_map", "mcp.field_map"),
  };
}

function readSubCommands(
  r: Reader,
  t: Table,
  path: string,
  withPattern: boolean,
  customTypes: CustomTypes,
): Record<string, SubCommandDef> {
  const out: Record<string, SubCommandDef> = {};
  const commands = r.table(t, "commands", `${path}.commands`);
  for (const [name, raw] of Object.entries(commands ?? {})) {
    const p = `${path}.commands.${name}`;
    if (!isTable(raw)) {
      r.error(p, `must be a table, got ${describe(raw)}`);
      continue;
    }
    const cmd: SubCommandDef = {
      description: r.string(raw, "description", `${p}.description`, true) ?? "",
      risk_tier: readRiskTier(r, raw, `${p}.risk_tier`),
      human_approval: r.bool(raw, "human_approval", `${p}.human_approval`, false),
      args: readArgs(r, raw, "args", `${p}.args`, customTypes),
    };
    if (withPattern) {
      cmd.pattern = r.string(raw, "pattern", `${p}.pattern`, true);
      if (cmd.pattern !== undefined) {
        try {
          compilePattern(cmd.pattern);
        } catch (error) {
          r.error(`${p}.pattern`, (error as Error).message);
        }
      }
    }
    out[name] = cmd;
  }
  return out;
}

function readSession(r: Reader, root: Table, customTypes: CustomTypes): SessionDef | undefined {
  const t = r.table(root, "session", "session");
  if (!t) return undefined;
  const { commands: _c, ...settings } = t;
  return {
    startup_command: r.string(t, "startup_command", "session.startup_command", true) ?? "",
    ready_pattern: r.string(t, "ready_pattern", "session.ready_pattern", true) ?? "",
    commands: readSubCommands(r, t, "session", true, customTypes),
    settings: toJson(settings) as Record<string, unknown>,
  };
}

function readBrowser(r: Reader, root: Table, customTypes: CustomTypes): BrowserDef | undefined {
  const t = r.table(root, "browser", "browser");
  if (!t) return undefined;
  const { commands: _c, ...settings } = t;
  return {
    commands: readSubCommands(r, t, "browser", false, customTypes),
    settings: toJson(settings) as Record<string, unknown>,
  };
}

function parseTomlText(text: string, source: string | undefined, what: string): Table {
  if (typeof text !== "string") {
    throw new ToolCladError(ToolCladErrorCode.MANIFEST_INVALID, `${what} must be a string`, {
      source,
      issues: [{ path: "", message: "not a string" }],
    });
  }
  try {
    return parseToml(text, { integersAsBigInt: "asNeeded", unsafeKeyBehaviour: "throw" }) as Table;
  } catch (error) {
    const where = source ? ` in ${source}` : "";
    if (error instanceof TomlError) {
      const firstLine = error.message.split("\n")[0];
      throw new ToolCladError(
        ToolCladErrorCode.TOML_SYNTAX,
        `TOML syntax error${where} at line ${error.line}, column ${error.column}: ${firstLine}`,
        { source, line: error.line, column: error.column, cause: error },
      );
    }
    throw new ToolCladError(
      ToolCladErrorCode.TOML_SYNTAX,
      `TOML parse error${where}: ${(error as Error).message}`,
      { source, cause: error },
    );
  }
}

function checkDefaults(r: Reader, manifest: Manifest, customTypes: CustomTypes): void {
  for (const [name, def] of Object.entries(manifest.args)) {
    if (def.default === undefined) continue;
    try {
      validateArg(name, def, def.default, customTypes);
    } catch (error) {
      r.error(`args.${name}.default`, `default fails validation: ${(error as Error).message}`);
    }
  }
}

/**
 * Checks a manifest text without throwing: parses the TOML, reads every section with its types
 * and defaults, and runs the Rust reference's manifest-level checks (dispatch, backend and
 * `[output]` presence, known arg types, `allowed` for enums, mapping keys, risk tier), plus a few
 * stricter ones (regex patterns compile, `regex_match` has a `pattern`, defaults pass their own
 * validation, HTTP method). Unknown keys are warnings, as serde ignores them.
 *
 * @param text The `.clad.toml` text.
 * @param options Custom types and the source name.
 * @returns Every error and warning with its field path, and the manifest when valid.
 * @throws {ToolCladError} `TOOLCLAD_TOML_SYNTAX` only when the text is not TOML at all.
 *
 * @example Listing what is wrong
 * ```ts
 * import { validateManifest } from "@symbiont/sdk/toolclad";
 *
 * const result = validateManifest('[tool]\nname = "x"\nrisk_tier = "extreme"');
 * result.valid; // false
 * result.errors.map((e) => e.path); // ["tool.version", "tool.binary", ...]
 * ```
 */
export function validateManifest(
  text: string,
  options: ParseManifestOptions = {},
): ManifestValidationResult {
  const root = parseTomlText(text, options.source, "manifest");
  return validateManifestTable(root, options);
}

/**
 * Same as {@link validateManifest} for an already parsed TOML table (e.g. from another parser).
 *
 * @param root The parsed TOML document.
 * @param options Custom types and the source name.
 * @returns Every error and warning with its field path, and the manifest when valid.
 *
 * @example
 * ```ts
 * import { validateManifestTable } from "@symbiont/sdk/toolclad";
 *
 * validateManifestTable({ tool: { name: "x" } }).valid; // false
 * ```
 */
export function validateManifestTable(
  root: Record<string, unknown>,
  options: ParseManifestOptions = {},
): ManifestValidationResult {
  const customTypes = options.customTypes ?? {};
  const r = new Reader();
  r.unknownKeys(root, TOP_KEYS, "");
  const tool = readTool(r, root);
  const args = readArgs(r, root, "args", "args", customTypes);
  const manifest: Manifest = { tool, args, command: readCommand(r, root, args) };
  const output = readOutput(r, root);
  if (output) manifest.output = output;
  const http = readHttp(r, root);
  if (http) manifest.http = http;
  const mcp = readMcp(r, root);
  if (mcp) manifest.mcp = mcp;
  const session = readSession(r, root, customTypes);
  if (session) manifest.session = session;
  const browser = readBrowser(r, root, customTypes);
  if (browser) manifest.browser = browser;

  if (tool.dispatch === "exec") {
    const c = manifest.command;
    if (
      c.template === undefined && c.exec === undefined && c.executor === undefined && !http &&
      !mcp &&
      !session && !browser && root.http === undefined && root.mcp === undefined &&
      root.session === undefined && root.browser === undefined
    ) {
      r.error(
        "command",
        "manifest must define at least one execution backend: [command] exec/template/executor, " +
          '[http], [mcp], [session] or [browser] (or set tool.dispatch = "callback")',
      );
    }
    if (!output && root.output === undefined) {
      r.error(
        "output",
        'manifest is missing the [output] block (or set tool.dispatch = "callback")',
      );
    }
  }
  if (r.errors.length === 0) checkDefaults(r, manifest, customTypes);
  const valid = r.errors.length === 0;
  return { valid, errors: r.errors, warnings: r.warnings, manifest: valid ? manifest : undefined };
}

/**
 * Parses and validates a `.clad.toml` manifest.
 *
 * @param text The manifest text.
 * @param options Custom types and the source name.
 * @returns The manifest with defaults filled in.
 * @throws {ToolCladError} `TOOLCLAD_TOML_SYNTAX` (with `line`/`column`) or
 * `TOOLCLAD_MANIFEST_INVALID` (with every problem in `issues`).
 *
 * @example Parse a manifest
 * ```ts
 * import { parseManifest } from "@symbiont/sdk/toolclad";
 *
 * const manifest = parseManifest(`
 * [tool]
 * name = "whois_lookup"
 * version = "1.0.0"
 * binary = "whois"
 * description = "WHOIS lookup"
 *
 * [args.target]
 * position = 1
 * required = true
 * type = "scope_target"
 *
 * [command]
 * exec = ["whois", "{target}"]
 *
 * [output]
 * format = "text"
 * `);
 * manifest.tool.timeout_seconds; // 60
 * ```
 */
export function parseManifest(text: string, options: ParseManifestOptions = {}): Manifest {
  const result = validateManifest(text, options);
  if (!result.manifest) {
    const where = options.source ? ` ${options.source}` : "";
    const list = result.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
    throw new ToolCladError(
      ToolCladErrorCode.MANIFEST_INVALID,
      `invalid ToolClad manifest${where}: ${list.join("; ")}`,
      { issues: result.errors, source: options.source },
    );
  }
  return result.manifest;
}

/**
 * Parses the `[types.<name>]` custom types of a project's `toolclad.toml`.
 *
 * @param text The `toolclad.toml` text.
 * @param source Where it came from, for messages.
 * @returns The custom types by name.
 * @throws {ToolCladError} `TOOLCLAD_TOML_SYNTAX` or `TOOLCLAD_MANIFEST_INVALID` (missing or
 * unknown `base`, wrongly typed constraints, bad pattern).
 *
 * @example A hostname type built on string
 * ```ts
 * import { parseCustomTypes } from "@symbiont/sdk/toolclad";
 *
 * const types = parseCustomTypes('[types.scan_rate]\nbase = "integer"\nmin = 1\nmax = 10000');
 * types.scan_rate.base; // "integer"
 * ```
 */
export function parseCustomTypes(text: string, source?: string): CustomTypes {
  const root = parseTomlText(text, source, "toolclad.toml");
  const r = new Reader();
  const out: CustomTypes = {};
  const types = r.table(root, "types", "types") ?? {};
  for (const [name, raw] of Object.entries(types)) {
    const path = `types.${name}`;
    if (!isTable(raw)) {
      r.error(path, `must be a table, got ${describe(raw)}`);
      continue;
    }
    const base = r.string(raw, "base", `${path}.base`, true);
    if (base === undefined) continue;
    if (!(ARG_TYPES as readonly string[]).includes(base)) {
      r.error(`${path}.base`, `custom type '${name}' has invalid base type '${base}'`);
      continue;
    }
    const def: CustomTypeDef = {
      base: base as ArgType,
      allowed: r.strings(raw, "allowed", `${path}.allowed`),
      pattern: r.string(raw, "pattern", `${path}.pattern`),
      min: r.integer(raw, "min", `${path}.min`, I64_MIN, I64_MAX),
      max: r.integer(raw, "max", `${path}.max`, I64_MIN, I64_MAX),
      min_float: r.float(raw, "min_float", `${path}.min_float`),
      max_float: r.float(raw, "max_float", `${path}.max_float`),
    };
    if (def.pattern !== undefined) {
      try {
        compilePattern(def.pattern);
      } catch (error) {
        r.error(`${path}.pattern`, (error as Error).message);
      }
    }
    out[name] = def;
  }
  if (r.errors.length > 0) {
    throw new ToolCladError(
      ToolCladErrorCode.MANIFEST_INVALID,
      `invalid toolclad.toml${source ? ` ${source}` : ""}: ${
        r.errors.map((e) => `${e.path}: ${e.message}`).join("; ")
      }`,
      { issues: r.errors, source },
    );
  }
  return out;
}
