/**
 * The `Client`: one transport shared by namespaced resource clients, plus the seed's flat methods.
 *
 * @module
 */
import { type ClientContext, createContext } from "./_context.ts";
import type { ClientOptions } from "./options.ts";
import {
  type HealthResponse,
  type SchedulerHealthResponse,
  type StatusResponse,
  SystemClient,
} from "./system.ts";
import type { RequestOptions } from "./transport.ts";

/**
 * The Symbiont runtime client. Options fall back to the environment (`SYMBIONT_API_KEY` or
 * `SYMBIONT_API_TOKEN`, `SYMBIONT_BASE_URL`, `SYMBIONT_TIMEOUT`, `SYMBIONT_VALIDATION_MODE`,
 * `SYMBIONT_MAX_RETRIES`, `SYMBIONT_HTTP_INPUT_URL`), then to defaults. The API key is held in a
 * private field: it never shows in `toString()`, `JSON.stringify`, `console.log` or an error.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client({ apiKey: "…", baseUrl: "http://localhost:8080/api/v1" });
 * console.log(await client.healthCheck());
 * ```
 */
export class Client {
  /** Shared transport, validator and options (no secrets in readable fields). */
  readonly context: ClientContext;
  /** Health probes, status, scheduler health, metrics, agents.md. */
  readonly system: SystemClient;

  /** @param options Client options; anything left out comes from the environment or defaults. */
  constructor(options: ClientOptions = {}) {
    this.context = createContext(options);
    this.system = new SystemClient(this);
  }

  /** The runtime API base URL in use. */
  get baseUrl(): string {
    return this.context.transport.baseUrl;
  }

  /**
   * `GET /health`, as the seed's `health_check()`.
   *
   * @param options Per-call options.
   * @returns The health response.
   */
  healthCheck(options?: RequestOptions): Promise<HealthResponse> {
    return this.system.health(options);
  }

  /**
   * `GET /status`.
   *
   * @param options Per-call options.
   * @returns Version, health and counts.
   */
  getStatus(options?: RequestOptions): Promise<StatusResponse> {
    return this.system.status(options);
  }

  /**
   * `GET /health/scheduler`.
   *
   * @param options Per-call options.
   * @returns The scheduler's counters.
   */
  getSchedulerHealth(options?: RequestOptions): Promise<SchedulerHealthResponse> {
    return this.system.schedulerHealth(options);
  }

  /**
   * A description without secrets.
   *
   * @returns e.g. `Client(baseUrl=http://localhost:8080/api/v1, apiKey=set)`.
   */
  toString(): string {
    return `Client(baseUrl=${this.baseUrl}, apiKey=${
      this.context.transport.hasApiKey ? "set" : "unset"
    }, validationMode=${this.context.options.validationMode})`;
  }

  /**
   * What `JSON.stringify` shows: no secrets.
   *
   * @returns Base URL, whether a key is set, and the validation mode.
   */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      apiKey: this.context.transport.hasApiKey ? "[redacted]" : null,
      validationMode: this.context.options.validationMode,
    };
  }

  /** Deno's and Node's inspectors (console.log) show the same redacted view. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Node's and Bun's `util.inspect`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
