/**
 * Client options and how each falls back to the environment.
 *
 * @module
 */
import type { AgentPinClientOptions } from "../agentpin/client.ts";
import { readEnv } from "./_env.ts";
import { ConfigError } from "./errors.ts";

/**
 * How responses are checked against the SDK's models.
 *
 * - `strict`: a missing or mistyped known field throws {@link ResponseValidationError}.
 * - `lenient`: such a mismatch is logged once per route as a warning and the data is returned.
 * - `off`: nothing is checked.
 *
 * Unknown fields are accepted in every mode: runtimes add fields.
 *
 * @example Usage
 * ```ts
 * import { ValidationMode } from "@symbiont/sdk/client";
 * console.assert(ValidationMode.LENIENT === "lenient");
 * ```
 */
export const ValidationMode = {
  STRICT: "strict",
  LENIENT: "lenient",
  OFF: "off",
} as const;

/** One of `"strict"`, `"lenient"`, `"off"`. */
export type ValidationMode = typeof ValidationMode[keyof typeof ValidationMode];

/** Where the SDK writes warnings (lenient validation, oversized prompts). Never given secrets. */
export interface Logger {
  /** Writes a warning. */
  warn(message: string): void;
}

/** Options of {@link Client}. Every option falls back to an environment variable, then a default. */
export interface ClientOptions {
  /**
   * API key sent as `Authorization: Bearer <key>`: the runtime's `SYMBIONT_API_TOKEN` value or a
   * `keyid.secret` key-store key (passed through unchanged). Env: `SYMBIONT_API_KEY`, then
   * `SYMBIONT_API_TOKEN`.
   */
  apiKey?: string;
  /**
   * Base URL of the runtime API. Env `SYMBIONT_BASE_URL`.
   * A URL without a path (`http://host:8080`) gets `/api/v1` appended.
   * @default {"http://localhost:8080/api/v1"}
   */
  baseUrl?: string;
  /**
   * Per-attempt timeout in milliseconds. Env `SYMBIONT_TIMEOUT`, in **seconds** (as the Python SDK
   * reads it, so one `.env` serves both).
   * @default {30000}
   */
  timeout?: number;
  /** Response validation. Env `SYMBIONT_VALIDATION_MODE`. @default {"strict"} */
  validationMode?: ValidationMode;
  /** Retries of idempotent requests. Env `SYMBIONT_MAX_RETRIES`. @default {2} */
  maxRetries?: number;
  /** The fetch implementation (for proxies, tests, Workers service bindings). @default {globalThis.fetch} */
  fetch?: typeof fetch;
  /** Extra headers on every request (an `Authorization` here is ignored; use `apiKey`). */
  headers?: Record<string, string>;
  /**
   * URL of the runtime's HTTP Input server. Env `SYMBIONT_HTTP_INPUT_URL`.
   * @default {"http://localhost:8081/webhook"}
   */
  httpInputUrl?: string;
  /** Bearer token of the HTTP Input server. Env `SYMBIONT_HTTP_INPUT_TOKEN`. */
  httpInputToken?: string;
  /** Where warnings go. @default {console} */
  logger?: Logger;
  /** Options of `client.agentpin` (pin storage, nonce store, clock); its fetch defaults to `fetch`. */
  agentpin?: AgentPinClientOptions;
}

/** Options after environment fallbacks and defaults: what a {@link Client} runs with. */
export interface ResolvedClientOptions {
  /** The API key, if any. */
  apiKey: string | undefined;
  /** Normalised base URL without a trailing slash. */
  baseUrl: string;
  /** Per-attempt timeout in milliseconds. */
  timeout: number;
  /** Response validation mode. */
  validationMode: ValidationMode;
  /** Retries of idempotent requests. */
  maxRetries: number;
  /** The fetch implementation. */
  fetch: typeof fetch;
  /** Extra headers. */
  headers: Record<string, string>;
  /** HTTP Input URL. */
  httpInputUrl: string;
  /** HTTP Input bearer token, if any. */
  httpInputToken: string | undefined;
  /** Where warnings go. */
  logger: Logger;
}

/** Default runtime API base URL. */
export const DEFAULT_BASE_URL = "http://localhost:8080/api/v1";
/** Default HTTP Input URL. */
export const DEFAULT_HTTP_INPUT_URL = "http://localhost:8081/webhook";

// deno-lint-ignore no-console
const consoleLogger: Logger = { warn: (message) => console.warn(message) };

function parseHttpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}: not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`${name}: must be an http or https URL, got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new ConfigError(`${name}: credentials in the URL are not allowed; use apiKey`);
  }
  return url;
}

/**
 * Normalises a base URL: no trailing slash, no query, and `/api/v1` appended when the URL has no path.
 *
 * @param value The URL as given.
 * @returns The normalised URL.
 *
 * @example Usage
 * ```ts
 * import { normalizeBaseUrl } from "@symbiont/sdk/client";
 * console.assert(normalizeBaseUrl("http://h:8080/") === "http://h:8080/api/v1");
 * console.assert(normalizeBaseUrl("http://h:8080/api/v1/") === "http://h:8080/api/v1");
 * ```
 */
export function normalizeBaseUrl(value: string): string {
  const url = parseHttpUrl("baseUrl", value);
  let path = url.pathname.replace(/\/+$/, "");
  if (path === "") path = "/api/v1";
  return `${url.origin}${path}`;
}

function parseNumber(name: string, raw: string, unitsToMs: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name}: expected a positive number, got "${raw.slice(0, 40)}"`);
  }
  return value * unitsToMs;
}

function checkMode(name: string, value: string): ValidationMode {
  const mode = value.toLowerCase();
  if (mode === "strict" || mode === "lenient" || mode === "off") return mode;
  throw new ConfigError(`${name}: expected strict, lenient or off, got "${value.slice(0, 40)}"`);
}

/**
 * Applies environment fallbacks and defaults, and checks every value.
 *
 * @param options What the caller gave.
 * @returns The options a client runs with.
 * @throws {ConfigError} A value is malformed (the message names it, never a secret's value).
 *
 * @example Usage
 * ```ts
 * import { resolveClientOptions } from "@symbiont/sdk/client";
 * const resolved = resolveClientOptions({ baseUrl: "http://127.0.0.1:8080", timeout: 5_000 });
 * console.assert(resolved.baseUrl === "http://127.0.0.1:8080/api/v1");
 * ```
 */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  const envTimeout = readEnv("SYMBIONT_TIMEOUT");
  const envRetries = readEnv("SYMBIONT_MAX_RETRIES");
  const envMode = readEnv("SYMBIONT_VALIDATION_MODE");

  const timeout = options.timeout ??
    (envTimeout ? parseNumber("SYMBIONT_TIMEOUT", envTimeout, 1000) : 30_000);
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigError(`timeout: expected a positive number of milliseconds`);
  }
  let maxRetries = options.maxRetries;
  if (maxRetries === undefined && envRetries) {
    maxRetries = Number(envRetries);
    if (!Number.isInteger(maxRetries)) {
      throw new ConfigError(`SYMBIONT_MAX_RETRIES: expected a whole number`);
    }
  }
  maxRetries ??= 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw new ConfigError(`maxRetries: expected a whole number from 0 to 10`);
  }
  const validationMode = options.validationMode !== undefined
    ? checkMode("validationMode", options.validationMode)
    : envMode
    ? checkMode("SYMBIONT_VALIDATION_MODE", envMode)
    : "strict";

  const httpInputUrl = options.httpInputUrl ?? readEnv("SYMBIONT_HTTP_INPUT_URL") ??
    DEFAULT_HTTP_INPUT_URL;
  parseHttpUrl("httpInputUrl", httpInputUrl);

  if (options.fetch === undefined && typeof globalThis.fetch !== "function") {
    throw new ConfigError("fetch: no fetch implementation available; pass one in options.fetch");
  }
  // Called through a wrapper: Workers refuse `fetch` invoked with any `this` but the global.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  return {
    apiKey: options.apiKey ?? readEnv("SYMBIONT_API_KEY") ?? readEnv("SYMBIONT_API_TOKEN"),
    baseUrl: normalizeBaseUrl(options.baseUrl ?? readEnv("SYMBIONT_BASE_URL") ?? DEFAULT_BASE_URL),
    timeout,
    validationMode,
    maxRetries,
    fetch: fetchImpl,
    headers: { ...options.headers },
    httpInputUrl: httpInputUrl.replace(/\/+$/, ""),
    httpInputToken: options.httpInputToken ?? readEnv("SYMBIONT_HTTP_INPUT_TOKEN"),
    logger: options.logger ?? consoleLogger,
  };
}
