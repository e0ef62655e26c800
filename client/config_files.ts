/**
 * Explicit configuration loading from a `.env` file and a YAML config file. Nothing is read on
 * import; call {@link loadConfig} (or the pure parsers) yourself.
 *
 * Precedence for each option: the real environment, then the `.env` file, then the YAML file. In
 * files and the environment `timeout` is in seconds (as the Python SDK reads it); in code it is in
 * milliseconds.
 *
 * @module
 */
import { load as loadYaml } from "js-yaml";
import type * as NodeFs from "node:fs/promises";
import { nodeBuiltin, readEnv } from "./_env.ts";
import { ConfigError } from "./errors.ts";
import type { ClientOptions, ValidationMode } from "./options.ts";

const ENV_KEYS = [
  "SYMBIONT_API_KEY",
  "SYMBIONT_API_TOKEN",
  "SYMBIONT_BASE_URL",
  "SYMBIONT_TIMEOUT",
  "SYMBIONT_VALIDATION_MODE",
  "SYMBIONT_MAX_RETRIES",
  "SYMBIONT_HTTP_INPUT_URL",
  "SYMBIONT_HTTP_INPUT_TOKEN",
] as const;

/**
 * Parses `.env` text: `KEY=value` lines, optional `export `, `#` comments, single quotes (literal),
 * double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may span lines), and unquoted values with
 * trailing ` # comments`.
 *
 * @param text The file's text.
 * @param source Name used in error messages.
 * @returns The variables, in file order (a later duplicate wins).
 * @throws {ConfigError} A malformed line; the message gives the line number, never the value.
 *
 * @example Usage
 * ```ts
 * import { parseDotEnv } from "@symbiont/sdk/client";
 * const vars = parseDotEnv('SYMBIONT_BASE_URL=http://h:8080\nexport SYMBIONT_API_KEY="k"\n');
 * console.assert(vars.SYMBIONT_API_KEY === "k");
 * ```
 */
export function parseDotEnv(text: string, source = ".env"): Record<string, string> {
  const vars: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      throw new ConfigError(`${source} line ${lineNo}: expected KEY=VALUE`);
    }
    const [, key, rest] = match;
    let value: string;
    if (rest.startsWith('"')) {
      let raw = rest.slice(1);
      let end = findClosingQuote(raw);
      while (end < 0 && i + 1 < lines.length) {
        raw += "\n" + lines[++i];
        end = findClosingQuote(raw);
      }
      if (end < 0) {
        throw new ConfigError(`${source} line ${lineNo}: unterminated double quote for ${key}`);
      }
      checkTrailing(raw.slice(end + 1), source, lineNo, key);
      value = raw.slice(0, end).replace(
        /\\(["\\nrt])/g,
        (_m, c: string) => c === "n" ? "\n" : c === "r" ? "\r" : c === "t" ? "\t" : c,
      );
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end < 0) {
        throw new ConfigError(`${source} line ${lineNo}: unterminated single quote for ${key}`);
      }
      checkTrailing(rest.slice(end + 1), source, lineNo, key);
      value = rest.slice(1, end);
    } else {
      value = rest.replace(/\s+#.*$/, "").trim();
    }
    vars[key] = value;
  }
  return vars;
}

function findClosingQuote(raw: string): number {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "\\") i++;
    else if (raw[i] === '"') return i;
  }
  return -1;
}

function checkTrailing(rest: string, source: string, lineNo: number, key: string): void {
  if (rest.trim() !== "" && !rest.trim().startsWith("#")) {
    throw new ConfigError(
      `${source} line ${lineNo}: unexpected text after the quoted value of ${key}`,
    );
  }
}

/** Keys the Python SDK's config files carry that have no meaning here; accepted and ignored. */
const PYTHON_ONLY_KEYS = new Set([
  "auth",
  "database",
  "vector",
  "logging",
  "enable_caching",
  "enable_metrics",
  "enable_debug",
]);

function asString(source: string, key: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  throw new ConfigError(`${source}: "${key}" must be a string`);
}

function asPositive(source: string, key: string, value: unknown): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
    throw new ConfigError(`${source}: "${key}" must be a non-negative number`);
  }
  return n;
}

/**
 * Parses a YAML (or JSON) client config file. Keys: `api_key`, `base_url`, `timeout` (seconds),
 * `validation_mode`, `max_retries`, `http_input_url`, `http_input_token`, `headers` (a map);
 * camelCase spellings are accepted too. The Python SDK's extra sections (`auth`, `database`, ...)
 * are ignored; any other key is an error, so typos surface.
 *
 * @param text The file's text.
 * @param source Name used in error messages.
 * @returns The options it sets.
 * @throws {ConfigError} Broken YAML (with its line), a non-mapping document, an unknown key, a wrong type.
 *
 * @example Usage
 * ```ts
 * import { parseConfigYaml } from "@symbiont/sdk/client";
 * const options = parseConfigYaml("base_url: http://h:8080/api/v1\ntimeout: 5\n");
 * console.assert(options.timeout === 5000);
 * ```
 */
export function parseConfigYaml(text: string, source = "config"): ClientOptions {
  if (text.replace(/#.*$/gm, "").trim() === "") return {};
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch (cause) {
    const mark = (cause as { mark?: { line?: number } }).mark;
    const reason = (cause as { reason?: string }).reason ?? "invalid YAML";
    throw new ConfigError(
      `${source}${mark?.line !== undefined ? ` line ${mark.line + 1}` : ""}: ${reason}`,
      "CONFIG_INVALID",
      cause,
    );
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw new ConfigError(`${source}: expected a mapping of settings at the top level`);
  }
  const options: ClientOptions = {};
  for (const [rawKey, value] of Object.entries(doc as Record<string, unknown>)) {
    const key = rawKey.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (PYTHON_ONLY_KEYS.has(key)) continue;
    if (value === null || value === undefined) continue;
    switch (key) {
      case "api_key":
        options.apiKey = asString(source, rawKey, value);
        break;
      case "base_url":
        options.baseUrl = asString(source, rawKey, value);
        break;
      case "timeout":
        options.timeout = asPositive(source, rawKey, value) * 1000;
        break;
      case "validation_mode":
        options.validationMode = asString(source, rawKey, value) as ValidationMode;
        break;
      case "max_retries":
        options.maxRetries = asPositive(source, rawKey, value);
        break;
      case "http_input_url":
        options.httpInputUrl = asString(source, rawKey, value);
        break;
      case "http_input_token":
        options.httpInputToken = asString(source, rawKey, value);
        break;
      case "headers": {
        if (typeof value !== "object" || Array.isArray(value)) {
          throw new ConfigError(`${source}: "headers" must be a mapping of names to values`);
        }
        options.headers = {};
        for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
          options.headers[name] = asString(source, `headers.${name}`, v);
        }
        break;
      }
      default:
        throw new ConfigError(`${source}: unknown setting "${rawKey}"`);
    }
  }
  return options;
}

function fromEnvVars(vars: Record<string, string | undefined>): ClientOptions {
  const options: ClientOptions = {};
  const get = (k: string) => vars[k]?.trim() || undefined;
  const key = get("SYMBIONT_API_KEY") ?? get("SYMBIONT_API_TOKEN");
  if (key) options.apiKey = key;
  if (get("SYMBIONT_BASE_URL")) options.baseUrl = get("SYMBIONT_BASE_URL");
  const timeout = get("SYMBIONT_TIMEOUT");
  if (timeout) {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw new ConfigError("SYMBIONT_TIMEOUT: expected a positive number of seconds");
    }
    options.timeout = seconds * 1000;
  }
  const mode = get("SYMBIONT_VALIDATION_MODE");
  if (mode) options.validationMode = mode as ValidationMode;
  const retries = get("SYMBIONT_MAX_RETRIES");
  if (retries) options.maxRetries = Number(retries);
  if (get("SYMBIONT_HTTP_INPUT_URL")) options.httpInputUrl = get("SYMBIONT_HTTP_INPUT_URL");
  if (get("SYMBIONT_HTTP_INPUT_TOKEN")) options.httpInputToken = get("SYMBIONT_HTTP_INPUT_TOKEN");
  return options;
}

async function readText(path: string, what: string): Promise<string> {
  const fs = nodeBuiltin<typeof NodeFs>("node:fs/promises");
  if (!fs) throw new ConfigError(`${what}: this runtime cannot read files`, "CONFIG_INVALID");
  try {
    return await fs.readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === "ENOENT") throw new ConfigError(`${what} not found: ${path}`, "CONFIG_NOT_FOUND");
    throw new ConfigError(
      `${what} could not be read: ${path} (${code ?? "error"})`,
      "CONFIG_INVALID",
      cause,
    );
  }
}

/** Which files {@link loadConfig} reads. */
export interface LoadConfigOptions {
  /** Path of a `.env` file. */
  envFile?: string;
  /** Path of a YAML (or JSON) config file. */
  configFile?: string;
}

/**
 * Reads the given `.env` and YAML files (Deno, Node and Bun) and merges them under the real
 * environment. Pass the result to `new Client(...)`, optionally spread with overrides.
 *
 * @param files The files to read.
 * @returns Client options.
 * @throws {ConfigError} A file is missing (`CONFIG_NOT_FOUND`) or malformed (`CONFIG_INVALID`).
 *
 * @example Usage
 * ```ts ignore
 * import { Client, loadConfig } from "@symbiont/sdk/client";
 * const client = new Client(await loadConfig({ envFile: ".env", configFile: "symbiont.yaml" }));
 * ```
 */
export async function loadConfig(files: LoadConfigOptions): Promise<ClientOptions> {
  const yaml = files.configFile
    ? parseConfigYaml(await readText(files.configFile, "config file"), files.configFile)
    : {};
  const dotenv = files.envFile
    ? fromEnvVars(parseDotEnv(await readText(files.envFile, ".env file"), files.envFile))
    : {};
  const envVars: Record<string, string | undefined> = {};
  for (const key of ENV_KEYS) envVars[key] = readEnv(key);
  const env = fromEnvVars(envVars);
  return {
    ...yaml,
    ...dotenv,
    ...env,
    headers: yaml.headers ? { ...yaml.headers } : undefined,
  };
}
