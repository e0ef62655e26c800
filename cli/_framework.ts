/**
 * The CLI's small framework: command groups, flag parsing (`node:util` parseArgs, which Deno, Node
 * and Bun all provide), output (`--json` or human text), exit codes and error reporting.
 */
import { parseArgs } from "node:util";
import { Client } from "../client/client.ts";
import { loadConfig } from "../client/config_files.ts";
import { SymbiontError } from "../client/errors.ts";
import type { ClientOptions } from "../client/options.ts";

/** Exit codes: success, failure (operational or API), usage error. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

/** Where the CLI writes; injectable so tests and embedders can capture output. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (colour and progress only then). */
  isTTY: boolean;
}

/** A bad command line: reported in one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Flag definitions in parseArgs' shape. */
export type FlagSpec = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean; description: string }
>;

/** What a running command gets. */
export interface CommandContext {
  /** Positional arguments after the command's name. */
  args: string[];
  /** Parsed flags (global and the command's own). */
  flags: Record<string, string | boolean | string[] | undefined>;
  /** A client built from flags, `.env`/config files and the environment. */
  client(): Promise<Client>;
  /** Client options as resolved from flags and files (before environment fallbacks). */
  clientOptions(): Promise<ClientOptions>;
  /** Output channel. */
  io: CliIO;
  /** Reports progress on stderr (TTY only, never with --json). */
  progress(message: string): void;
}

/** One command, e.g. `system health`. */
export interface Command {
  summary: string;
  /** Usage line after the command path, e.g. `<agent-id> [--payload TEXT]`. */
  usage?: string;
  examples?: string[];
  flags?: FlagSpec;
  /** Runs the command; the value is printed as JSON with --json, else through `human`. */
  run(ctx: CommandContext): Promise<unknown>;
  /** Human rendering of the value (default: an indented key/value listing). */
  human?(value: unknown): string;
}

/** A group of commands, e.g. `system`. */
export interface CommandGroup {
  summary: string;
  commands: Record<string, Command>;
}

/** Flags every command accepts. */
export const GLOBAL_FLAGS: FlagSpec = {
  "base-url": { type: "string", description: "runtime API base URL (env SYMBIONT_BASE_URL)" },
  "api-key": { type: "string", description: "API key (env SYMBIONT_API_KEY / SYMBIONT_API_TOKEN)" },
  "timeout": {
    type: "string",
    description: "per-attempt timeout in seconds (env SYMBIONT_TIMEOUT)",
  },
  "env-file": { type: "string", description: "read settings from this .env file" },
  "config": { type: "string", description: "read settings from this YAML config file" },
  "json": { type: "boolean", description: "print one JSON document on stdout" },
  "debug": { type: "boolean", description: "print stack traces of errors" },
  "help": { type: "boolean", short: "h", description: "show help" },
};

function flagLines(spec: FlagSpec): string[] {
  return Object.entries(spec).map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${
      f.type === "string" ? " VALUE" : ""
    }`;
    return `  ${left.padEnd(28)} ${f.description}`;
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
    const c = groups[group].commands[command];
    return [
      `${program} ${group} ${command}${c.usage ? ` ${c.usage}` : ""}`,
      "",
      c.summary,
      ...(c.flags ? ["", "Options:", ...flagLines(c.flags)] : []),
      "",
      "Global options:",
      ...flagLines(GLOBAL_FLAGS),
      ...(c.examples?.length ? ["", "Examples:", ...c.examples.map((e) => `  ${e}`)] : []),
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
    "Exit codes: 0 success, 1 failure, 2 usage error.",
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

/** Runs the CLI over `argv`; returns the exit code. Never throws. */
export async function runCli(
  program: string,
  groups: Record<string, CommandGroup>,
  argv: string[],
  io: CliIO,
): Promise<number> {
  const debug = argv.includes("--debug");
  const json = argv.includes("--json");
  try {
    const [group, command] = argv.filter((a) => !a.startsWith("-")).slice(0, 2);
    if (!group) {
      if (argv.includes("--help") || argv.includes("-h") || argv.length === 0) {
        io.stdout(helpText(program, groups));
        return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
      }
      throw new UsageError("missing command");
    }
    if (!groups[group]) throw new UsageError(`unknown command group "${group}"`);
    if (!command || !groups[group].commands[command]) {
      if (argv.includes("--help") || argv.includes("-h")) {
        io.stdout(helpText(program, groups, group));
        return EXIT.OK;
      }
      throw new UsageError(
        command ? `unknown command "${group} ${command}"` : `"${group}" needs a command`,
      );
    }
    const spec = groups[group].commands[command];
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: { ...GLOBAL_FLAGS, ...spec.flags },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message.split("\n")[0].split(". To specify")[0]);
    }
    const flags = parsed.values as CommandContext["flags"];
    if (flags.help) {
      io.stdout(helpText(program, groups, group, command));
      return EXIT.OK;
    }
    const args = parsed.positionals.slice(2);
    let options: ClientOptions | undefined;
    const clientOptions = async (): Promise<ClientOptions> => {
      if (options) return options;
      const fromFiles = flags["env-file"] || flags.config
        ? await loadConfig({
          envFile: flags["env-file"] as string | undefined,
          configFile: flags.config as string | undefined,
        })
        : {};
      options = { ...fromFiles };
      if (flags["base-url"]) options.baseUrl = flags["base-url"] as string;
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
      io,
      clientOptions,
      client: async () => new Client(await clientOptions()),
      progress: (message) => {
        if (io.isTTY && !json) io.stderr(message);
      },
    };
    const value = await spec.run(ctx);
    if (value !== undefined) {
      io.stdout(json ? JSON.stringify(value, null, 2) : (spec.human ?? renderHuman)(value));
    }
    return EXIT.OK;
  } catch (error) {
    const usage = error instanceof UsageError;
    const code = error instanceof SymbiontError ? error.code : usage ? "USAGE" : "UNEXPECTED";
    const message = error instanceof Error ? error.message : String(error);
    if (json) {
      io.stdout(JSON.stringify({ error: { code, message } }, null, 2));
    }
    io.stderr(
      usage
        ? `error: ${message} (see '${program} --help')`
        : `error: ${message}${error instanceof SymbiontError ? ` [${code}]` : ""}`,
    );
    if (debug && error instanceof Error && error.stack) io.stderr(error.stack);
    return usage ? EXIT.USAGE : EXIT.FAILURE;
  }
}
