/**
 * Types of a parsed `.clad.toml` manifest. Field names keep the file's snake_case so a manifest
 * reads the same in TOML and in TypeScript; defaults are filled in by `parseManifest`.
 *
 * @module
 */

/** The 15 built-in argument types of ToolClad (trust-stack.md §C.1). */
export const ARG_TYPES = [
  "string",
  "integer",
  "number",
  "port",
  "boolean",
  "enum",
  "scope_target",
  "url",
  "path",
  "ip_address",
  "cidr",
  "msf_options",
  "credential_file",
  "duration",
  "regex_match",
] as const;

/** One of the 15 built-in argument types. */
export type ArgType = typeof ARG_TYPES[number];

/** Risk tiers the Rust reference accepts, lowest first. */
export const RISK_TIERS = ["info", "low", "medium", "high", "critical"] as const;

/** One of {@link RISK_TIERS}. */
export type RiskTier = typeof RISK_TIERS[number];

/** A scalar TOML value as it may appear in `default` or `[command.defaults]`. */
export type ScalarValue = string | number | bigint | boolean;

/** `[args.<name>]`: one argument of the tool. */
export interface ArgDef {
  /** Order in the MCP schema (0 when absent). */
  position: number;
  /** Whether the caller must supply it (unless it has a default). */
  required: boolean;
  /** A built-in type, or a custom type from `toolclad.toml`. */
  type: string;
  /** Human description, copied into the MCP schema. */
  description: string;
  /** Value used when the argument is absent. */
  default?: ScalarValue;
  /** Allowed values (mandatory for `enum`). */
  allowed?: string[];
  /** Regex the value must match (searched anywhere, as in Rust; anchor it with `^…$`). */
  pattern?: string;
  /** `["injection"]`; the metacharacter check runs for strings regardless. */
  sanitize?: string[];
  /** Integer lower bound (also used by `number` when `min_float` is absent). */
  min?: bigint;
  /** Integer upper bound. */
  max?: bigint;
  /** Float lower bound for `number`. */
  min_float?: number;
  /** Float upper bound for `number`. */
  max_float?: number;
  /** Clamp out-of-range numbers instead of rejecting them. */
  clamp: boolean;
  /** URL schemes allowed for `url` (enforced here; see the module doc). */
  schemes: string[];
  /** Whether the runtime checks the value against `scope/scope.toml`. */
  scope_check: boolean;
}

/** `[tool.cedar]` metadata. */
export interface CedarMeta {
  /** Cedar resource type named by the manifest. */
  resource: string;
  /** Cedar action named by the manifest. */
  action: string;
}

/** `[tool.evidence]` settings. */
export interface EvidenceMeta {
  /** Output folder template. */
  output_dir: string;
  /** Whether the runtime captures evidence (default false, as in Rust). */
  capture: boolean;
  /** Hash algorithm (default "sha256"). */
  hash: string;
}

/** `[tool]`: metadata. */
export interface ToolMeta {
  /** Tool name; the runtime's Cedar action is `tool_call::<name>`. */
  name: string;
  /** Version of the wrapped CLI. */
  version: string;
  /** Binary wrapped (required by the Rust reference even for http/mcp tools). */
  binary: string;
  /** Human description. */
  description: string;
  /** Timeout in seconds (default 60). */
  timeout_seconds: number;
  /** Risk tier (default "low"). */
  risk_tier: RiskTier;
  /** Whether a human must approve each call. */
  human_approval: boolean;
  /** `exec` (default) or `callback` (validator only). */
  dispatch: "exec" | "callback";
  /** Cedar metadata. */
  cedar?: CedarMeta;
  /** Evidence settings. */
  evidence?: EvidenceMeta;
}

/** `[command.conditionals.<name>]`. */
export interface ConditionalDef {
  /** Closed-grammar condition (`a == 'x' and b != ''`). */
  when: string;
  /** Fragment inserted as `{_<name>}` when the condition holds. */
  template: string;
}

/** `[command]`. */
export interface CommandDef {
  /** Legacy string template, split quote-aware. */
  template?: string;
  /** Preferred argv array; each element is interpolated and never re-split. */
  exec?: string[];
  /** Custom executor script (receives `TOOLCLAD_ARG_<NAME>` env vars). */
  executor?: string;
  /** Values for non-argument placeholders. */
  defaults: Record<string, ScalarValue>;
  /** `mappings[arg][value]` = flag string, exposed as `{_<arg>_flags}` and `{_<arg>}`. */
  mappings: Record<string, Record<string, string>>;
  /** Conditional fragments, exposed as `{_<name>}`. */
  conditionals: Record<string, ConditionalDef>;
}

/** `[output]`. */
export interface OutputDef {
  /** text, json, xml, csv or jsonl. */
  format: string;
  /** `builtin:<format>` or a script path. */
  parser?: string;
  /** Wrap results in the evidence envelope (default true). */
  envelope: boolean;
  /** JSON Schema of the results (default `{type: "object"}`). */
  schema: Record<string, unknown>;
}

/** `[http]` backend. */
export interface HttpDef {
  /** GET, POST, PUT, DELETE, PATCH or HEAD. */
  method: string;
  /** URL template. */
  url: string;
  /** Header templates. */
  headers: Record<string, string>;
  /** Body template (values JSON-string-escaped). */
  body_template?: string;
  /** Statuses counted as success. */
  success_status: number[];
  /** Statuses counted as error. */
  error_status: number[];
}

/** `[mcp]` proxy backend. */
export interface McpDef {
  /** MCP server named in symbiont.toml. */
  server: string;
  /** Tool on that server. */
  tool: string;
  /** Our argument name → their field name. */
  field_map: Record<string, string>;
}

/** A session or browser sub-command. */
export interface SubCommandDef {
  /** Input pattern (session commands only). */
  pattern?: string;
  /** Human description. */
  description: string;
  /** Risk tier (default "low"). */
  risk_tier: RiskTier;
  /** Whether a human must approve it. */
  human_approval: boolean;
  /** Arguments of the command. */
  args: Record<string, ArgDef>;
}

/** `[session]` (parsed only; executed by the runtime). */
export interface SessionDef {
  /** Command that starts the session. */
  startup_command: string;
  /** Regex signalling readiness. */
  ready_pattern: string;
  /** Commands (`{tool}.{command}` MCP tools). */
  commands: Record<string, SubCommandDef>;
  /** The rest of the table, as written. */
  settings: Record<string, unknown>;
}

/** `[browser]` (parsed only; executed by the runtime). */
export interface BrowserDef {
  /** Commands (`{tool}.{command}` MCP tools). */
  commands: Record<string, SubCommandDef>;
  /** The rest of the table, as written. */
  settings: Record<string, unknown>;
}

/** A parsed and validated `.clad.toml` manifest, defaults filled in. */
export interface Manifest {
  /** `[tool]`. */
  tool: ToolMeta;
  /** `[args.*]`. */
  args: Record<string, ArgDef>;
  /** `[command]`. */
  command: CommandDef;
  /** `[output]` (absent only for callback dispatch). */
  output?: OutputDef;
  /** `[http]`. */
  http?: HttpDef;
  /** `[mcp]`. */
  mcp?: McpDef;
  /** `[session]`. */
  session?: SessionDef;
  /** `[browser]`. */
  browser?: BrowserDef;
}

/** A custom type from `toolclad.toml` `[types.<name>]`. */
export interface CustomTypeDef {
  /** The built-in type it extends. */
  base: ArgType;
  /** Replaces the argument's `allowed`. */
  allowed?: string[];
  /** Replaces the argument's `pattern`. */
  pattern?: string;
  /** Replaces `min`. */
  min?: bigint;
  /** Replaces `max`. */
  max?: bigint;
  /** Replaces `min_float`. */
  min_float?: number;
  /** Replaces `max_float`. */
  max_float?: number;
}

/** Custom types by name. */
export type CustomTypes = Record<string, CustomTypeDef>;

/** The execution backend a manifest uses, in the order the Rust executor picks it. */
export type Backend =
  | "http"
  | "mcp"
  | "session"
  | "browser"
  | "executor"
  | "exec"
  | "template"
  | "callback";

/** An argument value as callers pass it (MCP clients send numbers and booleans as JSON). */
export type ArgValue = string | number | bigint | boolean;
