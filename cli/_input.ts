/**
 * Reading the CLI's inputs: files, standard input, JSON and `key=value` flags, each failure as one
 * clear line (`UsageError` for a malformed flag, `CliError` for an unreadable file).
 *
 * @module
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { CliError, type CommandContext, type Flags, UsageError } from "./_framework.ts";

function fsReason(error: unknown): string {
  const e = error as { code?: string; name?: string; message?: string };
  switch (e.code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a folder, not a file";
    case "ENOTDIR":
      return "a parent is not a folder";
  }
  if (
    e.name === "NotCapable" || e.name === "PermissionDenied" ||
    /Requires .* access/.test(e.message ?? "")
  ) {
    return "the Deno permission is missing (run with --allow-read / --allow-write)";
  }
  return (e.message ?? String(error)).split("\n")[0];
}

/**
 * Reads a text file, failing with one line.
 *
 * @param path The file.
 * @param what What the file is, for the message.
 * @returns Its UTF-8 text.
 */
export async function readText(path: string, what = "file"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read ${what} ${JSON.stringify(path)}: ${fsReason(error)}`,
      "FILE_UNREADABLE",
    );
  }
}

/**
 * Writes a text file (creating its folder), failing with one line.
 *
 * @param path The file.
 * @param text The content.
 * @param mode File mode (`0o600` for private keys).
 */
export async function writeText(path: string, text: string, mode?: number): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, mode === undefined ? "utf8" : { encoding: "utf8", mode });
  } catch (error) {
    throw new CliError(
      `cannot write ${JSON.stringify(path)}: ${fsReason(error)}`,
      "FILE_UNWRITABLE",
    );
  }
}

/**
 * Whether a path is an existing folder (false when it is missing or a file).
 *
 * @param path The path.
 * @returns True for a folder.
 */
export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return false;
    throw new CliError(
      `cannot read ${JSON.stringify(path)}: ${fsReason(error)}`,
      "FILE_UNREADABLE",
    );
  }
}

/**
 * A required path argument that must exist.
 *
 * @param path The path.
 * @param what What it is, for the message.
 */
export async function requireExists(path: string, what: string): Promise<void> {
  try {
    await stat(path);
  } catch (error) {
    throw new CliError(
      `cannot read ${what} ${JSON.stringify(path)}: ${fsReason(error)}`,
      "FILE_UNREADABLE",
    );
  }
}

/**
 * A text value given on the command line: `@path` reads a file, `-` reads standard input.
 *
 * @param ctx The command context (for stdin).
 * @param value The flag's value.
 * @returns The text.
 */
export async function textArg(ctx: CommandContext, value: string): Promise<string> {
  if (value === "-") {
    if (!ctx.io.readStdin) throw new UsageError("standard input is not available here");
    return await ctx.io.readStdin();
  }
  if (value.startsWith("@")) return await readText(value.slice(1));
  return value;
}

/**
 * Parses JSON given to a flag (inline, `@file` or `-`).
 *
 * @param ctx The command context.
 * @param flag The flag's name, for the message.
 * @param value The flag's value.
 * @returns The parsed value.
 */
export async function jsonArg(ctx: CommandContext, flag: string, value: string): Promise<unknown> {
  const text = await textArg(ctx, value);
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = value.startsWith("@") ? ` in ${value.slice(1)}` : "";
    throw new UsageError(
      `--${flag}: not valid JSON${where} (${(error as Error).message.split("\n")[0]})`,
    );
  }
}

/**
 * Parses a JSON file.
 *
 * @param path The file.
 * @param what What it is, for the message.
 * @returns The parsed value.
 */
export async function jsonFile(path: string, what: string): Promise<unknown> {
  const text = await readText(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${what} ${JSON.stringify(path)} is not valid JSON (${
        (error as Error).message.split("\n")[0]
      })`,
      "FILE_INVALID",
    );
  }
}

/**
 * Repeatable `key=value` flags as a record.
 *
 * @param flag The flag's name.
 * @param values The values given.
 * @returns The pairs.
 */
export function pairs(flag: string, values: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(values)) {
    const i = item.indexOf("=");
    if (i <= 0) throw new UsageError(`--${flag} expects key=value, got ${JSON.stringify(item)}`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/**
 * A repeatable flag's values (empty when absent).
 *
 * @param values The parsed value.
 * @returns The list.
 */
export function list(values: unknown): string[] {
  if (values === undefined) return [];
  return Array.isArray(values) ? values.map(String) : [String(values)];
}

/**
 * A required string flag.
 *
 * @param flags The parsed flags.
 * @param name The flag's name.
 * @returns Its value.
 */
export function required(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

/**
 * A positional argument that must be there.
 *
 * @param ctx The command context.
 * @param index Its index.
 * @param name Its name in the usage line.
 * @returns The value.
 */
export function arg(ctx: CommandContext, index: number, name: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === "") throw new UsageError(`missing <${name}>`);
  return value;
}

/**
 * Refuses extra positional arguments.
 *
 * @param ctx The command context.
 * @param count How many are allowed.
 */
export function noExtra(ctx: CommandContext, count: number): void {
  if (ctx.args.length > count) {
    throw new UsageError(`unexpected argument ${JSON.stringify(ctx.args[count])}`);
  }
}

/**
 * A positive number flag.
 *
 * @param flags The parsed flags.
 * @param name The flag's name.
 * @param fallback The default.
 * @param integer Whether it must be whole.
 * @returns The number.
 */
export function numberFlag(flags: Flags, name: string, fallback: number, integer = false): number {
  const raw = flags[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name} expects a positive ${integer ? "whole " : ""}number, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

/**
 * A secret from a flag naming an environment variable or a file (never from the command line, so
 * it does not end up in shell history or `ps`).
 *
 * @param ctx The command context.
 * @param envFallback The environment variable read when neither flag is given.
 * @param read Reads an environment variable.
 * @returns The secret.
 */
export async function secretArg(
  ctx: CommandContext,
  envFallback: string,
  read: (name: string) => string | undefined,
): Promise<string> {
  const fromEnv = ctx.flags["secret-env"] as string | undefined;
  const fromFile = ctx.flags["secret-file"] as string | undefined;
  if (fromEnv && fromFile) throw new UsageError("give --secret-env or --secret-file, not both");
  if (fromFile) {
    const text = (await readText(fromFile, "secret file")).replace(/\r?\n$/, "");
    if (!text) {
      throw new CliError(`the secret file ${JSON.stringify(fromFile)} is empty`, "NO_SECRET");
    }
    return text;
  }
  const name = fromEnv ?? envFallback;
  const value = read(name);
  if (!value) {
    throw new CliError(
      `no secret: set ${name}${fromEnv ? "" : `, or pass --secret-env NAME or --secret-file PATH`}`,
      "NO_SECRET",
    );
  }
  return value;
}
