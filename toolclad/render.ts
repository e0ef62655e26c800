/**
 * Argument resolution and dry-run command rendering (nothing is executed), following the Rust
 * reference's executor: defaults, mappings, conditionals, executor variables, `exec` argv and the
 * legacy template split.
 *
 * @module
 */
import { ToolCladError, ToolCladErrorCode } from "./errors.ts";
import { formatFloat, validateArg } from "./validators.ts";
import type { ArgDef, ArgValue, Backend, CustomTypes, Manifest, ScalarValue } from "./types.ts";

/** Options of {@link resolveArgs} and {@link dryRun}. */
export interface DryRunOptions {
  /** Custom types (from `toolclad.toml`) the manifest's args may use. */
  customTypes?: CustomTypes;
  /** Value of `{_scan_id}`; default `<unix seconds>-<5 random hex>` as the executor makes it. */
  scanId?: string;
  /** Value of `{_evidence_dir}`; default `/tmp/toolclad-evidence` (the runtime uses its own). */
  evidenceDir?: string;
}

/** One line of the dry run's per-argument report. */
export interface ArgReport {
  /** Argument name. */
  name: string;
  /** Normalised value used. */
  value: string;
  /** Declared type. */
  type: string;
  /** Whether it came from the manifest's `default`. */
  fromDefault: boolean;
}

/** The dry run of a tool call: what would run, with nothing executed. */
export interface DryRunResult {
  /** Tool name. */
  tool: string;
  /** Backend the executor would use. */
  backend: Backend;
  /** The argv for `exec`, `template` and `executor` backends; `null` for http, mcp and callback. */
  argv: string[] | null;
  /** The command line as the runtime's envelope shows it (`argv` joined, `METHOD url`, `mcp://s:t`). */
  command: string;
  /** The validated, normalised arguments, defaults included. */
  args: Record<string, string>;
  /** Per-argument report, in position order. */
  validations: ArgReport[];
  /** Placeholders left literal because nothing defines them (Rust keeps them as text). */
  unresolved: string[];
  /** `{_secret:name}` references, resolved only by the runtime (never in a dry run). */
  secrets: string[];
  /** Environment an `executor` script would receive. */
  env?: Record<string, string>;
  /** The HTTP request an `[http]` tool would send. */
  http?: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** The call an `[mcp]` proxy tool would delegate. */
  mcp?: { server: string; tool: string; arguments: Record<string, string> };
  /** `"<resource> / <action>"` from `[tool.cedar]`, when present. */
  cedar?: string;
  /** Timeout the runtime applies, in seconds. */
  timeoutSeconds: number;
  /** Risk tier of the tool. */
  riskTier: string;
  /** Whether a human must approve the call. */
  humanApproval: boolean;
}

const PLACEHOLDER = /\{([A-Za-z0-9_-]+)\}/g;
const SECRET = /\{_secret:([A-Za-z0-9_]+)\}/g;

function scalarText(v: ScalarValue): string {
  if (typeof v === "number") return formatFloat(v);
  return String(v);
}

/** Arguments in position order (ties by name), so reports and first errors are deterministic. */
function orderedArgs(args: Record<string, ArgDef>): [string, ArgDef][] {
  return Object.entries(args).sort(([an, a], [bn, b]) =>
    a.position - b.position || (an < bn ? -1 : an > bn ? 1 : 0)
  );
}

/**
 * Validates a call's arguments against a manifest: each supplied value through its type's rules,
 * missing ones from their `default`, and a missing required one with no default is an error.
 * Arguments the manifest does not declare are ignored, as in the Rust executor.
 *
 * @param manifest The tool's manifest.
 * @param args The supplied values.
 * @param options Custom types.
 * @returns The normalised values and the per-argument report.
 * @throws {ToolCladError} `TOOLCLAD_ARG_INVALID` or `TOOLCLAD_ARG_MISSING` for the first bad
 * argument in position order.
 *
 * @example
 * ```ts ignore
 * const { values } = resolveArgs(manifest, { target: "10.0.0.1" });
 * ```
 */
export function resolveArgs(
  manifest: Manifest,
  args: Record<string, ArgValue | undefined>,
  options: DryRunOptions = {},
): { values: Record<string, string>; report: ArgReport[] } {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new ToolCladError(
      ToolCladErrorCode.ARG_INVALID,
      "arguments must be an object of name → value",
      {
        tool: manifest.tool.name,
      },
    );
  }
  const values: Record<string, string> = {};
  const report: ArgReport[] = [];
  for (const [name, def] of orderedArgs(manifest.args)) {
    const supplied = Object.hasOwn(args, name) ? args[name] : undefined;
    if (supplied !== undefined) {
      const clean = validateArg(name, def, supplied, options.customTypes);
      values[name] = clean;
      report.push({ name, value: clean, type: def.type, fromDefault: false });
    } else if (def.default !== undefined) {
      const text = scalarText(def.default);
      values[name] = text;
      report.push({ name, value: text, type: def.type, fromDefault: true });
    } else if (def.required) {
      throw new ToolCladError(
        ToolCladErrorCode.ARG_MISSING,
        `missing required argument '${name}'`,
        {
          arg: name,
          tool: manifest.tool.name,
        },
      );
    }
  }
  return { values, report };
}

/**
 * Evaluates a conditional's `when` expression with the closed grammar of the Rust reference:
 * `var == 'lit'`, `var != 'lit'`, `var == ''`, `var != ''`, a bare `var` (non-empty), joined by
 * ` and `. Values compare as strings with quotes stripped; a missing variable is the empty string.
 *
 * @param expr The expression.
 * @param vars Variable values.
 * @returns Whether it holds.
 *
 * @example
 * ```ts
 * import { evaluateCondition } from "@symbiont/sdk/toolclad";
 *
 * evaluateCondition("user != '' and mode == 'fast'", { user: "x", mode: "fast" }); // true
 * ```
 */
export function evaluateCondition(expr: string, vars: Record<string, string>): boolean {
  const get = (k: string) => (Object.hasOwn(vars, k) ? vars[k] : "");
  if (expr.includes(" and ")) {
    return expr.split(" and ").every((p) => evaluateCondition(p.trim(), vars));
  }
  const e = expr.trim();
  if (e.endsWith("!= ''")) return get(e.slice(0, -5).trim()) !== "";
  if (e.endsWith("== ''")) return get(e.slice(0, -5).trim()) === "";
  const stripQuotes = (s: string) => s.trim().replace(/^'+|'+$/g, "").replace(/^"+|"+$/g, "");
  for (const op of ["!=", "=="]) {
    const at = e.indexOf(op);
    if (at >= 0) {
      const value = get(e.slice(0, at).trim());
      const literal = stripQuotes(e.slice(at + 2));
      return op === "!=" ? value !== literal : value === literal;
    }
  }
  return get(e) !== "";
}

/**
 * Splits a command line into argv with POSIX shell quoting (as the Rust reference's `shlex`):
 * single quotes are literal, double quotes honour `\\ \" \$ \``, a backslash escapes the next
 * character, and `#` at the start of a word begins a comment.
 *
 * @param line The command line.
 * @returns The words.
 * @throws {ToolCladError} `TOOLCLAD_COMMAND_INVALID` on an unterminated quote or trailing backslash.
 *
 * @example
 * ```ts
 * import { shellSplit } from "@symbiont/sdk/toolclad";
 *
 * shellSplit(`curl -H 'X-A: b c' "x y"`); // ["curl", "-H", "X-A: b c", "x y"]
 * ```
 */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  const fail = () =>
    new ToolCladError(
      ToolCladErrorCode.COMMAND_INVALID,
      "failed to parse command string (mismatched quotes or trailing backslash)",
    );
  let i = 0;
  const n = line.length;
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\n";
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    if (line[i] === "#") {
      while (i < n && line[i] !== "\n") i++;
      continue;
    }
    let word = "";
    while (i < n && !isSpace(line[i])) {
      const c = line[i];
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw fail();
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const d = line[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === "\\") {
            if (i + 1 >= n) throw fail();
            const next = line[i + 1];
            if (next === "$" || next === "`" || next === '"' || next === "\\") word += next;
            else if (next !== "\n") word += "\\" + next;
            i += 2;
            continue;
          }
          word += d;
          i++;
        }
        if (!closed) throw fail();
      } else if (c === "\\") {
        if (i + 1 >= n) throw fail();
        if (line[i + 1] !== "\n") word += line[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    words.push(word);
  }
  return words;
}

function randomHex(length: number): string {
  const bytes = new Uint8Array(Math.ceil(length / 2));
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, length);
}

/**
 * Makes a scan id in the executor's form, `<unix seconds>-<5 hex chars>`.
 *
 * @returns A fresh scan id.
 *
 * @example
 * ```ts
 * import { newScanId } from "@symbiont/sdk/toolclad";
 *
 * newScanId(); // e.g. "1767225600-3fa9c"
 * ```
 */
export function newScanId(): string {
  return `${Math.floor(Date.now() / 1000)}-${randomHex(5)}`;
}

class Interpolator {
  unresolved = new Set<string>();
  secrets = new Set<string>();
  readonly vars: Record<string, string>;
  constructor(vars: Record<string, string>) {
    this.vars = vars;
  }

  apply(template: string): string {
    for (const m of template.matchAll(SECRET)) this.secrets.add(m[1]);
    return template.replace(PLACEHOLDER, (whole, key: string) => {
      if (Object.hasOwn(this.vars, key)) return this.vars[key];
      this.unresolved.add(whole);
      return whole;
    });
  }
}

function backendOf(manifest: Manifest): Backend {
  if (manifest.http) return "http";
  if (manifest.mcp) return "mcp";
  if (manifest.session) return "session";
  if (manifest.browser) return "browser";
  if (manifest.command.executor !== undefined) return "executor";
  if (manifest.command.exec !== undefined) return "exec";
  if (manifest.command.template !== undefined) return "template";
  return "callback";
}

/**
 * Dry-runs a tool call: validates the arguments and renders exactly what the executor would run
 * (the argv, the HTTP request or the MCP delegation), without executing anything.
 *
 * Placeholders are substituted in a single pass, so a value is never re-expanded; unknown ones
 * stay literal (as in Rust) and are listed in `unresolved`. Mappings yield `{_<arg>_flags}` and
 * `{_<arg>}`; conditionals yield `{_<name>}`; `{_scan_id}`, `{_evidence_dir}` and
 * `{_output_file}` are filled in; `{_secret:name}` is left for the runtime.
 *
 * @param manifest The tool's manifest.
 * @param args The call's arguments.
 * @param options Custom types, scan id, evidence folder.
 * @returns The rendered call.
 * @throws {ToolCladError} `TOOLCLAD_ARG_INVALID`, `TOOLCLAD_ARG_MISSING`,
 * `TOOLCLAD_COMMAND_INVALID`, or `TOOLCLAD_BACKEND_NOT_LOCAL` for session and browser tools.
 *
 * @example Previewing an nmap call
 * ```ts ignore
 * const result = dryRun(manifest, { target: "10.0.0.1", scan_type: "ping" });
 * result.argv; // ["nmap", "-sn", "-PE", "10.0.0.1"]
 * ```
 */
export function dryRun(
  manifest: Manifest,
  args: Record<string, ArgValue | undefined>,
  options: DryRunOptions = {},
): DryRunResult {
  const backend = backendOf(manifest);
  if (backend === "session" || backend === "browser") {
    throw new ToolCladError(
      ToolCladErrorCode.BACKEND_NOT_LOCAL,
      `tool '${manifest.tool.name}' uses ${backend} mode, which only the Symbiont runtime executes`,
      { tool: manifest.tool.name },
    );
  }
  const { values, report } = resolveArgs(manifest, args, options);
  const base: DryRunResult = {
    tool: manifest.tool.name,
    backend,
    argv: null,
    command: "",
    args: values,
    validations: report,
    unresolved: [],
    secrets: [],
    timeoutSeconds: manifest.tool.timeout_seconds,
    riskTier: manifest.tool.risk_tier,
    humanApproval: manifest.tool.human_approval,
  };
  if (manifest.tool.cedar) {
    base.cedar = `${manifest.tool.cedar.resource} / ${manifest.tool.cedar.action}`;
  }
  const scanId = options.scanId ?? newScanId();

  if (backend === "http") {
    const http = manifest.http!;
    const plain = new Interpolator(values);
    const escaped = new Interpolator(
      Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, JSON.stringify(v).slice(1, -1)]),
      ),
    );
    const url = plain.apply(http.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(http.headers)) headers[k] = plain.apply(v);
    const request: DryRunResult["http"] = { method: http.method, url, headers };
    if (http.body_template !== undefined) request.body = escaped.apply(http.body_template);
    return {
      ...base,
      command: `${http.method} ${url}`,
      http: request,
      unresolved: [...new Set([...plain.unresolved, ...escaped.unresolved])],
      secrets: [...new Set([...plain.secrets, ...escaped.secrets])],
    };
  }
  if (backend === "mcp") {
    const mcp = manifest.mcp!;
    const mapped: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      mapped[Object.hasOwn(mcp.field_map, k) ? mcp.field_map[k] : k] = v;
    }
    return {
      ...base,
      command: `mcp://${mcp.server}:${mcp.tool}`,
      mcp: { server: mcp.server, tool: mcp.tool, arguments: mapped },
    };
  }
  if (backend === "executor") {
    const path = manifest.command.executor!;
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) env[`TOOLCLAD_ARG_${k.toUpperCase()}`] = v;
    env.TOOLCLAD_SCAN_ID = scanId;
    env.TOOLCLAD_TOOL_NAME = manifest.tool.name;
    return { ...base, argv: [path], command: `${path} (custom executor)`, env };
  }
  if (backend === "callback") return base;

  // exec and template: build the variable table as the Rust executor does.
  const vars: Record<string, string> = { ...values };
  for (const [k, v] of Object.entries(manifest.command.defaults)) {
    if (!Object.hasOwn(vars, k)) vars[k] = scalarText(v);
  }
  for (const [arg, mapping] of Object.entries(manifest.command.mappings)) {
    if (Object.hasOwn(vars, arg) && Object.hasOwn(mapping, vars[arg])) {
      vars[`_${arg}_flags`] = mapping[vars[arg]];
      vars[`_${arg}`] = mapping[vars[arg]];
    }
  }
  const evidenceDir = options.evidenceDir ?? "/tmp/toolclad-evidence";
  vars._scan_id = scanId;
  vars._evidence_dir = evidenceDir;
  vars._output_file = `${evidenceDir}/${scanId}-output`;
  const baseVars = { ...vars };
  const interp = new Interpolator(baseVars);
  for (const name of Object.keys(manifest.command.conditionals).sort()) {
    const cond = manifest.command.conditionals[name];
    vars[`_${name}`] = evaluateCondition(cond.when, baseVars) ? interp.apply(cond.template) : "";
  }
  const final = new Interpolator(vars);
  let argv: string[];
  let command: string;
  if (backend === "exec") {
    argv = manifest.command.exec!.map((element) => final.apply(element));
    command = argv.join(" ");
  } else {
    command = final.apply(manifest.command.template!).split(/\p{White_Space}+/u).filter((w) => w)
      .join(" ");
    argv = shellSplit(command);
  }
  if (argv.length === 0 || argv[0] === "") {
    throw new ToolCladError(ToolCladErrorCode.COMMAND_INVALID, "command produced an empty argv", {
      tool: manifest.tool.name,
    });
  }
  return {
    ...base,
    argv,
    command,
    unresolved: [...new Set([...interp.unresolved, ...final.unresolved])],
    secrets: [...new Set([...interp.secrets, ...final.secrets])],
  };
}
