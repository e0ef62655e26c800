/**
 * The single HTTP transport: URL building, bearer auth, JSON, per-attempt timeouts, the caller's
 * abort signal, retries with exponential backoff and jitter (honouring `Retry-After`), and the
 * mapping of error responses to typed errors. Every runtime call goes through here.
 *
 * @module
 */
import {
  apiErrorFromStatus,
  ConnectionError,
  RequestAbortedError,
  type RequestDescription,
  ResponseValidationError,
  TimeoutError,
} from "./errors.ts";

/** Per-call options every SDK method accepts. */
export interface RequestOptions {
  /** Aborts the call (never retried). */
  signal?: AbortSignal;
  /** Per-attempt timeout in milliseconds, overriding the client's. */
  timeout?: number;
  /** Retries for this call, overriding the client's. */
  maxRetries?: number;
  /**
   * Allow retries of a non-idempotent POST. Off by default: a retried POST may, for example,
   * create an agent twice.
   */
  retryNonIdempotent?: boolean;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

/** HTTP methods the runtime uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

/** One request, as the SDK's resource methods describe it. */
export interface TransportRequest extends RequestOptions {
  /** HTTP method. */
  method: HttpMethod;
  /** Path relative to the base URL (`/agents`), or to the server root when `root` is set. */
  path: string;
  /** JSON body. */
  body?: unknown;
  /** A body already serialised as JSON text, sent byte for byte (for signed requests). */
  jsonText?: string;
  /** Send the bearer token. Default true; false for the health probes. */
  auth?: boolean;
  /** The path is relative to the server root (`/agents.md`), not to `/api/v1`. */
  root?: boolean;
  /** How to read a successful body. Default `json` (an empty body reads as `undefined`). */
  expect?: "json" | "text";
  /** Statuses that are answers, not errors (e.g. 503 from the readiness probe); never retried. */
  acceptStatuses?: number[];
}

/** A successful (or accepted) response. */
export interface TransportResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Headers;
  /** Parsed JSON (or text with `expect: "text"`); `undefined` for an empty body. */
  data: unknown;
}

/** What a {@link Transport} is built from. */
export interface TransportConfig {
  /** Base URL without a trailing slash, e.g. `http://localhost:8080/api/v1`. */
  baseUrl: string;
  /** Bearer token, if any. */
  apiKey: string | undefined;
  /** The fetch implementation. */
  fetch: typeof fetch;
  /** Per-attempt timeout in milliseconds. */
  timeout: number;
  /** Retries of idempotent requests. */
  maxRetries: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

const RETRY_STATUSES = new Set([408, 429, 502, 503, 504]);
const IDEMPOTENT = new Set(["GET", "PUT", "DELETE"]);
const MAX_RETRY_AFTER_MS = 60_000;
// Browsers forbid setting User-Agent (and a custom one would trigger a CORS preflight).
const IN_BROWSER = typeof (globalThis as { document?: unknown }).document !== "undefined";
/** SDK version, sent in the User-Agent outside browsers. */
export const SDK_VERSION = "0.1.0";

/**
 * How long to wait before retry number `attempt + 1`: 0.5 s doubling up to 8 s, minus up to 25%
 * jitter, unless the server's `Retry-After` (seconds or HTTP date) or `retry-after-ms` says otherwise
 * (values over 60 s are ignored).
 *
 * @param attempt The attempt that just failed, from 0.
 * @param headers The failed response's headers, if there was a response.
 * @param random Source of jitter in [0, 1).
 * @returns Milliseconds to wait.
 *
 * @example Usage
 * ```ts
 * import { retryDelay } from "@symbiont/sdk/client";
 * console.assert(retryDelay(0, new Headers({ "retry-after": "2" })) === 2000);
 * console.assert(retryDelay(1, undefined, () => 0) === 1000);
 * ```
 */
export function retryDelay(
  attempt: number,
  headers?: Headers,
  random: () => number = Math.random,
): number {
  const ms = headers?.get("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) {
    const value = Number(ms);
    if (value <= MAX_RETRY_AFTER_MS) return value;
  }
  const after = headers?.get("retry-after")?.trim();
  if (after) {
    let value = Number.NaN;
    if (/^\d+(\.\d+)?$/.test(after)) value = Number(after) * 1000;
    else if (!Number.isNaN(Date.parse(after))) value = Math.max(0, Date.parse(after) - Date.now());
    if (value >= 0 && value <= MAX_RETRY_AFTER_MS) return value;
  }
  const base = Math.min(500 * 2 ** attempt, 8_000);
  return base * (1 - 0.25 * random());
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const TIMED_OUT = Symbol("timed out");

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/**
 * The one HTTP transport of a client. The API key is held in a private field: it is never
 * enumerable, never serialised, and never part of an error.
 *
 * @example Usage
 * ```ts ignore
 * import { Transport } from "@symbiont/sdk/client";
 * const transport = new Transport({
 *   baseUrl: "http://localhost:8080/api/v1",
 *   apiKey: "token",
 *   fetch,
 *   timeout: 30_000,
 *   maxRetries: 2,
 * });
 * const { data } = await transport.request({ method: "GET", path: "/health", auth: false });
 * ```
 */
export class Transport {
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;
  /** Base URL, e.g. `http://localhost:8080/api/v1`. */
  readonly baseUrl: string;
  /** Server root: the base URL without its `/api/v1` suffix. */
  readonly rootUrl: string;
  /** Per-attempt timeout in milliseconds. */
  readonly timeout: number;
  /** Retries of idempotent requests. */
  readonly maxRetries: number;
  readonly #headers: Record<string, string>;

  /**
   * Creates the transport.
   *
   * @param config Base URL, key, fetch, timeout, retries and headers.
   */
  constructor(config: TransportConfig) {
    this.baseUrl = config.baseUrl.replace(/\/+$/, "");
    this.rootUrl = this.baseUrl.replace(/\/api\/v1$/, "");
    this.#apiKey = config.apiKey;
    this.#fetch = config.fetch;
    this.timeout = config.timeout;
    this.maxRetries = config.maxRetries;
    this.#headers = {};
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower !== "authorization") this.#headers[lower] = value;
    }
  }

  /** Whether an API key is configured. */
  get hasApiKey(): boolean {
    return this.#apiKey !== undefined;
  }

  /**
   * The API key, for the few places that must send it outside the `Authorization` header (the chat
   * WebSocket's `?token=`). Never log it.
   */
  get apiKeyForQuery(): string | undefined {
    return this.#apiKey;
  }

  /**
   * Builds an absolute URL. The one place URLs are made: no doubled `/api/v1`, path segments that
   * come from callers must already be encoded (resource methods use `encodeURIComponent`).
   *
   * @param path Path starting with `/`.
   * @param root Relative to the server root instead of the base URL.
   * @returns The absolute URL.
   */
  url(path: string, root = false): string {
    if (path === "") return root ? this.rootUrl : this.baseUrl;
    let p = path.startsWith("/") ? path : `/${path}`;
    if (!root && p.startsWith("/api/v1/") && this.baseUrl.endsWith("/api/v1")) p = p.slice(7);
    return `${root ? this.rootUrl : this.baseUrl}${p}`;
  }

  #buildHeaders(req: TransportRequest): Record<string, string> {
    // A plain object with lower-case names: cheaper than a Headers instance per request.
    const headers: Record<string, string> = { ...this.#headers };
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      const lower = name.toLowerCase();
      if (lower !== "authorization") headers[lower] = value;
    }
    headers.accept = req.expect === "text" ? "text/*, application/json" : "application/json";
    if (req.body !== undefined || req.jsonText !== undefined) {
      headers["content-type"] = "application/json";
    }
    if (req.auth !== false && this.#apiKey !== undefined) {
      headers.authorization = `Bearer ${this.#apiKey}`;
    }
    if (!IN_BROWSER) headers["user-agent"] = `symbiont-sdk-ts/${SDK_VERSION}`;
    return headers;
  }

  /**
   * Sends a request, retrying idempotent ones, and returns the parsed body.
   *
   * @param req What to send.
   * @returns Status, headers and parsed body.
   * @throws {APIError} An error status (typed by status, carrying the runtime's `code`).
   * @throws {ConnectionError} No answer; {@link TimeoutError} and {@link RequestAbortedError} are kinds of it.
   */
  async request(req: TransportRequest): Promise<TransportResponse> {
    const where: RequestDescription = { method: req.method, path: req.path || "/" };
    const url = this.url(req.path, req.root);
    const headers = this.#buildHeaders(req);
    const body = req.jsonText ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    const retriable = IDEMPOTENT.has(req.method) || req.retryNonIdempotent === true;
    const maxRetries = retriable ? req.maxRetries ?? this.maxRetries : 0;
    const timeout = req.timeout ?? this.timeout;
    const signal = req.signal;

    for (let attempt = 0;; attempt++) {
      if (signal?.aborted) {
        throw new RequestAbortedError(where, "aborted by the caller", {
          code: "ABORTED",
          cause: signal.reason,
        });
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(TIMED_OUT), timeout);
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      let response: Response;
      let text: string;
      try {
        response = await this.#fetch(url, {
          method: req.method,
          headers,
          body,
          signal: controller.signal,
        });
        text = await response.text();
      } catch (cause) {
        if (signal?.aborted) {
          throw new RequestAbortedError(where, "aborted by the caller", {
            code: "ABORTED",
            cause: signal.reason,
          });
        }
        const error = controller.signal.reason === TIMED_OUT
          ? new TimeoutError(where, `no response within ${timeout} ms`, { code: "TIMEOUT" })
          : new ConnectionError(
            where,
            `could not reach ${url.split("?")[0]} (${
              cause instanceof Error ? cause.message : String(cause)
            })`,
            { cause },
          );
        if (attempt < maxRetries) {
          await this.#wait(retryDelay(attempt), where, signal);
          continue;
        }
        throw error;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      }

      const accepted = req.acceptStatuses?.includes(response.status) ?? false;
      if (!accepted && RETRY_STATUSES.has(response.status) && attempt < maxRetries) {
        await this.#wait(retryDelay(attempt, response.headers), where, signal);
        continue;
      }
      if (!response.ok && !accepted) throw this.#errorFrom(response, text, where);
      return { status: response.status, headers: response.headers, data: this.#parse(text, req) };
    }
  }

  async #wait(ms: number, where: RequestDescription, signal?: AbortSignal): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (cause) {
      throw new RequestAbortedError(where, "aborted by the caller", { code: "ABORTED", cause });
    }
  }

  #parse(text: string, req: TransportRequest): unknown {
    if (req.expect === "text") return text;
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new ResponseValidationError({ method: req.method, path: req.path }, [
        { path: "", message: `expected a JSON body, got "${excerpt(text).slice(0, 60)}"` },
      ]);
    }
  }

  #errorFrom(response: Response, text: string, where: RequestDescription): Error {
    let code = "";
    let detail = "";
    let body: unknown;
    if (text.trim()) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (body && typeof body === "object" && !Array.isArray(body)) {
        const record = body as Record<string, unknown>;
        if (typeof record.code === "string") code = record.code;
        if (typeof record.error === "string") detail = record.error;
        else if (typeof record.message === "string") detail = record.message;
      } else {
        detail = excerpt(text);
      }
    }
    if (response.status === 401 && !detail && !this.#apiKey) {
      detail = "no API key was sent; set apiKey or SYMBIONT_API_KEY";
    }
    return apiErrorFromStatus({ ...where, status: response.status, code, detail, body });
  }
}
