/**
 * The CLI's small framework: command groups, flag parsing (`node:util` parseArgs, which Deno, Node
 * and Bun all provide), output (`--json` or human text), exit codes, colour and error reporting.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readEnv } from "../client/_env.ts";
import { Client } from "../client/client.ts";
import { loadConfig } from "../client/config_files.ts";
import { ConnectionError, SymbiontError } from "../client/errors.ts";
import { type ClientOptions, resolveClientOptions } from "../client/options.ts";

/** Exit codes: success, failure (operational or API), usage error. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/**
 * Where the CLI writes and reads; injectable so tests and embedders can capture output.
 *
 * @example Capturing output
 * ```ts
 * import type { CliIO } from "@symbiont/sdk/cli";
 * const out: string[] = [];
 * const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), isTTY: false };
 * ```
 */
export interface CliIO {
  /** Writes one block of text to standard output (a newline is added when missing). */
  stdout(text: string): void;
  /** Writes one block of text to standard error (a newline is added when missing). */
  stderr(text: string): void;
  /** Whether stderr is a terminal: progress lines only then. */
  isTTY: boolean;
  /** Whether to colour output (a terminal and `NO_COLOR` unset). Default false. */
  color?: boolean;
  /** Reads the whole of standard input (for `-` arguments). */
  readStdin?(): Promise<string>;
  /** Standard input line by line (interactive chat). */
  stdinLines?(): AsyncIterable<string>;
  /** Resolves when the user interrupts (Ctrl-C, SIGTERM); long-running commands stop then. */
  interrupted?(): Promise<void>;
}

/** A bad command line: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An operational failure with a stable code: reported in one line, exit code 1. */
export class CliError extends Error {
  override name = "CliError";
  /** Stable machine-readable code. */
  readonly code: string;
  /** Extra data for the `--json` error document. */
  readonly details?: unknown;

  /**
   * Creates a failure.
   *
   * @param message What went wrong, one line, no secrets.
   * @param code Stable code.
   * @param details Extra data for `--json`.
   */
  constructor(message: string, code: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** Flag definitions in parseArgs' shape. */
export type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean; description: string }
>;

/** Parsed flag values. */
export type Flags = Record<string, string | boolean | string[] | undefined>;

/** What a running command gets. */
export interface CommandContext {
  /** Positional arguments after the command's name. */
  args: string[];
  /** Parsed flags (global and the command's own). */
  flags: Flags;
  /** Whether `--json` was given. */
  json: boolean;
  /**
   * A client built from flags, `--dotenv`/`--config` files and the environment. Unless
   * `requireKey` is false, fails (exit 1) when no API key is configured anywhere.
   */
  client(options?: { requireKey?: boolean }): Promise<Client>;
  /** Client options as resolved from flags and files (before environment fallbacks). */
  clientOptions(): Promise<ClientOptions>;
  /** Output channel. */
  io: CliIO;
  /** Reports progress on stderr (TTY only, never with --json). */
  progress(message: string): void;
  /** Colour helpers (no-ops unless colour is on). */
  style: Style;
}

/** One command, e.g. `system health`. */
export interface Command {
  /** One line shown in listings and help. */
  summary: string;
  /** Usage line after the command path, e.g. `<agent-id> [--payload TEXT]`. */
  usage?: string;
  /** Example command lines shown in `--help`. */
  examples?: string[];
  /** The command's own flags. */
  flags?: FlagSpec;
  /** Deno permissions the command needs (documented in help and the compile task). */
  permissions?: string;
  /** Runs the command; the value is printed as JSON with --json, else through `human`. */
  run(ctx: CommandContext): Promise<unknown>;
  /** Human rendering of the value (default: an indented key/value listing). */
  human?(value: unknown, style: Style): string;
}

/** A group of commands, e.g. `system`. */
export interface CommandGroup {
  /** One line shown in the top-level listing. */
  summary: string;
  /** The group's commands. */
  commands: Record<string, Command>;
  /** Command run when the word after the group is not a command name (`symbiont tour`). */
  default?: string;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec = {
  "base-url": { type: "string", description: "runtime API base URL (env SYMBIONT_BASE_URL)" },
  "api-key": { type: "string", description: "API key (env SYMBIONT_API_KEY / SYMBIONT_API_TOKEN)" },
  "timeout": {
    type: "string",
    description: "per-attempt timeout in seconds (env SYMBIONT_TIMEOUT)",
  },
  // Not `--env-file`: Node intercepts that name even after the script path (nodejs/node#54232).
  "dotenv": { type: "string", description: "read settings from this .env file (only on request)" },
  "config": { type: "string", description: "read settings from this YAML config file" },
  "json": { type: "boolean", description: "print one JSON document on stdout" },
  "debug": { type: "boolean", description: "print stack traces of errors" },
  "help": { type: "boolean", short: "h", description: "show help" },
};

/** ANSI colour helpers; identity functions when colour is off. */
export interface Style {
  /** Green. */
  ok(text: string): string;
  /** Red. */
  bad(text: string): string;
  /** Yellow. */
  warn(text: string): string;
  /** Dim. */
  dim(text: string): string;
  /** Bold. */
  bold(text: string): string;
}

/**
 * Colour helpers for `on`.
 *
 * @param on Whether to emit ANSI escapes.
 * @returns The helpers.
 */
export function makeStyle(on: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    ok: wrap(32, 39),
    bad: wrap(31, 39),
    warn: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/**
 * Whether output should be coloured: only on a terminal and when `NO_COLOR` is unset.
 *
 * @param isTTY Whether the stream is a terminal.
 * @returns True to colour.
 */
export function colorWanted(isTTY: boolean): boolean {
  return isTTY && readEnv("NO_COLOR") === undefined && readEnv("TERM") !== "dumb";
}

function flagLines(spec: FlagSpec): string[] {
  return Object.entries(spec).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${
      f.type === "string" ? " VALUE" : ""
    }`;
    return `  ${left.padEnd(30)} ${f.description}${f.multiple ? " (repeatable)" : ""}`;
  });
}

/** Renders help for the whole CLI, a group, or one command. */
export function helpText(
  program: string,
  groups: Record<string, CommandGroup>,
  group?: string,
  command?: string,
): string {
  if (group && command) {
    const g = groups[group];
    const c = g.commands[command];
    const path = g.default === command && Object.keys(g.commands).length === 1
      ? `${program} ${group}`
      : `${program} ${group} ${command}`;
    return [
      `${path}${c.usage ? ` ${c.usage}` : ""}`,
      "",
      c.summary,
      ...(c.flags ? ["", "Options:", ...flagLines(c.flags)] : []),
      "",
      "Global options:",
      ...flagLines(GLOBAL_FLAGS),
      ...(c.examples?.length ? ["", "Examples:", ...c.examples.map((e) => `  ${e}`)] : []),
      ...(c.permissions ? ["", `Deno permissions: ${c.permissions}`] : []),
    ].join("\n");
  }
  if (group) {
    const g = groups[group];
    return [
      `${program} ${group} <command>`,
      "",
      g.summary,
      "",
      "Commands:",
      ...Object.entries(g.commands).map(([name, c]) => `  ${name.padEnd(16)} ${c.summary}`),
      "",
      "Examples:",
      ...Object.values(g.commands).flatMap((c) => c.examples?.slice(0, 1) ?? []).slice(0, 4)
        .map((e) => `  ${e}`),
      "",
      `Run '${program} ${group} <command> --help' for a command's options and examples.`,
    ].join("\n");
  }
  return [
    `${program} <group> <command> [options]`,
    "",
    "The Symbiont SDK command line.",
    "",
    "Groups:",
    ...Object.entries(groups).map(([name, g]) => `  ${name.padEnd(16)} ${g.summary}`),
    "",
    "Global options:",
    ...flagLines(GLOBAL_FLAGS),
    "",
    "Examples:",
    `  ${program} tour`,
    `  ${program} system health --base-url http://localhost:8080`,
    `  ${program} agents list --json`,
    "",
    "Environment: SYMBIONT_BASE_URL, SYMBIONT_API_KEY (or SYMBIONT_API_TOKEN), SYMBIONT_TIMEOUT,",
    "SYMBIONT_HTTP_INPUT_URL, SYMBIONT_HTTP_INPUT_TOKEN; --dotenv FILE loads a .env file (only on request).",
    "Exit codes: 0 success, 1 failure, 2 usage error. Stack traces only with --debug.",
  ].join("\n");
}

/** Default human rendering: an indented key/value listing. */
export function renderHuman(value: unknown, indent = ""): string {
  if (value === undefined || value === null) return `${indent}-`;
  if (typeof value !== "object") return `${indent}${String(value)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}(none)`;
    return value.map((v) =>
      typeof v === "object" && v !== null
        ? `${indent}-\n${renderHuman(v, indent + "  ")}`
        : `${indent}- ${String(v)}`
    ).join("\n");
  }
  return Object.entries(value as Record<string, unknown>).map(([k, v]) =>
    typeof v === "object" && v !== null && Object.keys(v).length > 0
      ? `${indent}${k}:\n${renderHuman(v, indent + "  ")}`
      : `${indent}${k}: ${
        typeof v === "object" && v !== null ? (Array.isArray(v) ? "[]" : "{}") : String(v ?? "-")
      }`
  ).join("\n");
}

/** Names of flags that take a value (with `--`), and short letters that take one. */
function valueFlags(groups: Record<string, CommandGroup>): Set<string> {
  const names = new Set<string>();
  const add = (spec: FlagSpec | undefined) => {
    for (const [name, f] of Object.entries(spec ?? {})) {
      if (f.type !== "string") continue;
      names.add(`--${name}`);
      if (f.short) names.add(`-${f.short}`);
    }
  };
  add(GLOBAL_FLAGS);
  for (const g of Object.values(groups)) for (const c of Object.values(g.commands)) add(c.flags);
  return names;
}

/** The words of `argv` that are not flags or flag values, in order. */
function words(argv: string[], takesValue: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      if (!a.includes("=") && takesValue.has(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** The stable code of any error that carries one. */
export function errorCode(error: unknown): string {
  if (error instanceof UsageError) return "USAGE";
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code ? code : "UNEXPECTED";
}

function oneLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(" ");
}

function checkBaseUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--base-url expects an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--base-url expects an http(s) URL, got ${url.protocol}`);
  }
}

/** Runs the CLI over `argv`; returns the exit code. Never throws. */
export async function runCli(
  program: string,
  groups: Record<string, CommandGroup>,
  argv: string[],
  io: CliIO,
): Promise<number> {
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  const style = makeStyle(io.color ?? false);
  let baseUrlInUse: string | undefined;
  let helpHint = `${program} --help`;
  try {
    const [group, second] = words(argv, valueFlags(groups));
    if (!group) {
      if (wantsHelp || argv.length === 0) {
        io.stdout(helpText(program, groups));
        return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
      }
      throw new UsageError("missing command");
    }
    if (group === "help") {
      io.stdout(helpText(program, groups));
      return EXIT.OK;
    }
    if (!Object.hasOwn(groups, group)) throw new UsageError(`unknown command group "${group}"`);
    const g = groups[group];
    helpHint = `${program} ${group} --help`;
    let command = second;
    let skip = 2;
    if (!command || !Object.hasOwn(g.commands, command)) {
      if (g.default) {
        command = g.default;
        skip = 1;
      } else {
        if (wantsHelp) {
          io.stdout(helpText(program, groups, group));
          return EXIT.OK;
        }
        throw new UsageError(
          command ? `unknown command "${group} ${command}"` : `"${group}" needs a command`,
        );
      }
    }
    helpHint = g.default === command && skip === 1
      ? `${program} ${group} --help`
      : `${program} ${group} ${command} --help`;
    const spec = g.commands[command];
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: { ...GLOBAL_FLAGS, ...spec.flags },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      const message = (error as Error).message.split("\n")[0].split(". To specify")[0];
      throw new UsageError(message.replace(/^Unknown option/, "unknown option"));
    }
    const flags = parsed.values as Flags;
    if (flags.help) {
      io.stdout(helpText(program, groups, group, command));
      return EXIT.OK;
    }
    const args = parsed.positionals.slice(skip);
    let options: ClientOptions | undefined;
    const clientOptions = async (): Promise<ClientOptions> => {
      if (options) return options;
      const fromFiles = flags.dotenv || flags.config
        ? await loadConfig({
          envFile: flags.dotenv as string | undefined,
          configFile: flags.config as string | undefined,
        })
        : {};
      options = { ...fromFiles };
      if (flags["base-url"]) {
        checkBaseUrl(flags["base-url"] as string);
        options.baseUrl = flags["base-url"] as string;
      }
      if (flags["api-key"]) options.apiKey = flags["api-key"] as string;
      if (flags.timeout) {
        const seconds = Number(flags.timeout);
        if (!Number.isFinite(seconds) || seconds <= 0) {
          throw new UsageError("--timeout expects a positive number of seconds");
        }
        options.timeout = seconds * 1000;
      }
      options.logger = { warn: (m) => io.stderr(m) };
      return options;
    };
    const ctx: CommandContext = {
      args,
      flags,
      json,
      io,
      style,
      clientOptions,
      client: async (opts = {}) => {
        const o = await clientOptions();
        const resolved = resolveClientOptions(o);
        baseUrlInUse = resolved.baseUrl;
        if ((opts.requireKey ?? true) && !resolved.apiKey) {
          throw new CliError(
            "no API key: set SYMBIONT_API_KEY (or SYMBIONT_API_TOKEN), pass --api-key, or load a .env file with --dotenv",
            "NO_API_KEY",
          );
        }
        return new Client(o);
      },
      progress: (message) => {
        if (io.isTTY && !json) io.stderr(style.dim(message));
      },
    };
    const value = await spec.run(ctx);
    if (value !== undefined) {
      io.stdout(
        json
          ? JSON.stringify(value, null, 2)
          : spec.human
          ? spec.human(value, style)
          : renderHuman(value),
      );
    }
    return EXIT.OK;
  } catch (error) {
    const usage = error instanceof UsageError;
    const code = errorCode(error);
    let message = oneLine(error instanceof Error ? error.message : String(error));
    if (error instanceof ConnectionError && baseUrlInUse) {
      message +=
        ` (is the runtime at ${baseUrlInUse} running? set SYMBIONT_BASE_URL or --base-url)`;
    }
    if (json) {
      const details = error instanceof CliError && error.details !== undefined
        ? { details: error.details }
        : {};
      io.stdout(JSON.stringify({ error: { code, message, ...details } }, null, 2));
    }
    const known = usage || error instanceof CliError || error instanceof SymbiontError ||
      code !== "UNEXPECTED";
    io.stderr(
      style.bad("error:") + " " +
        (usage ? `${message} (see '${helpHint}')` : `${message}${known ? ` [${code}]` : ""}`),
    );
    if (debug && error instanceof Error && error.stack) io.stderr(error.stack);
    return usage ? EXIT.USAGE : EXIT.FAILURE;
  }
}
