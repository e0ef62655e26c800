/**
 * The client's typed errors. Every error has a stable `code` string (the runtime's own code, such as
 * `AGENT_NOT_FOUND`, when the runtime sent one) so callers can `switch (error.code)`; HTTP errors also
 * carry the status and the request's method and path. No message ever contains the API key.
 *
 * @module
 */

/** Options shared by every SDK error. */
export interface SymbiontErrorOptions {
  /** Stable machine-readable code. */
  code: string;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Base class of every error the SDK throws.
 *
 * @example Usage
 * ```ts ignore
 * import { SymbiontError } from "@symbiont/sdk/client";
 * try {
 *   await client.agents.status(id);
 * } catch (error) {
 *   if (error instanceof SymbiontError && error.code === "AGENT_NOT_FOUND") console.log("gone");
 * }
 * ```
 */
export class SymbiontError extends Error {
  /** Stable machine-readable code. */
  readonly code: string;

  /**
   * Creates an SDK error.
   *
   * @param message What went wrong, for people.
   * @param options The code and optional cause.
   */
  constructor(message: string, options: SymbiontErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
  }
}

/** The request an error belongs to. */
export interface RequestDescription {
  /** HTTP method. */
  method: string;
  /** Path relative to the base URL, without the query string. */
  path: string;
}

/** What an {@link APIError} is built from. */
export interface APIErrorInit extends RequestDescription {
  /** HTTP status. */
  status: number;
  /** The runtime's `code`, or a code derived from the status. */
  code: string;
  /** The runtime's `error` text, or a short excerpt of a text body. */
  detail: string;
  /** The parsed error body, when it was JSON. */
  body?: unknown;
}

/**
 * The runtime answered with an error status.
 *
 * @example Usage
 * ```ts ignore
 * import { APIError } from "@symbiont/sdk/client";
 * try {
 *   await client.schedules.get("nope");
 * } catch (error) {
 *   if (error instanceof APIError) console.log(error.status, error.code, error.method, error.path);
 * }
 * ```
 */
export class APIError extends SymbiontError {
  /** HTTP status. */
  readonly status: number;
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request, relative to the base URL. */
  readonly path: string;
  /** The runtime's `error` text (or a short excerpt of a text body). */
  readonly detail: string;
  /** The parsed error body, when it was JSON. */
  readonly body: unknown;

  /**
   * Creates an error for an error response.
   *
   * @param init Status, code, detail and request.
   */
  constructor(init: APIErrorInit) {
    super(
      `${init.method} ${init.path} failed with ${init.status} ${init.code}${
        init.detail ? `: ${init.detail}` : ""
      }`,
      { code: init.code },
    );
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.detail = init.detail;
    this.body = init.body;
  }
}

/**
 * 400, 413, 415 or 422: the runtime refused the request's shape or size.
 *
 * @example Usage
 * ```ts ignore
 * import { RequestValidationError } from "@symbiont/sdk/client";
 * // thrown e.g. for a 413 on a message larger than 256 KiB
 * ```
 */
export class RequestValidationError extends APIError {}

/**
 * 401: missing, wrong or revoked credentials (the runtime sends an empty body).
 *
 * @example Usage
 * ```ts ignore
 * import { AuthenticationError } from "@symbiont/sdk/client";
 * // error.code === "UNAUTHENTICATED" for the runtime's empty-body 401
 * ```
 */
export class AuthenticationError extends APIError {}

/**
 * 403: the key is valid but not allowed here (`ADMIN_REQUIRED`, `AGENT_SCOPE_DENIED`).
 *
 * @example Usage
 * ```ts ignore
 * import { PermissionDeniedError } from "@symbiont/sdk/client";
 * // error.code === "ADMIN_REQUIRED" for a scoped key on an admin route
 * ```
 */
export class PermissionDeniedError extends APIError {}

/**
 * 404: the resource does not exist.
 *
 * @example Usage
 * ```ts ignore
 * import { NotFoundError } from "@symbiont/sdk/client";
 * // error.code === "AGENT_NOT_FOUND", "SCHEDULE_NOT_FOUND", ...
 * ```
 */
export class NotFoundError extends APIError {}

/**
 * 409: the resource is in a state that forbids the call (an approval already resolved).
 *
 * @example Usage
 * ```ts ignore
 * import { ConflictError } from "@symbiont/sdk/client";
 * // error.code === "already_resolved"
 * ```
 */
export class ConflictError extends APIError {}

/**
 * 429: rate limited. Idempotent requests are retried first; this is thrown when retries run out.
 *
 * @example Usage
 * ```ts ignore
 * import { RateLimitError } from "@symbiont/sdk/client";
 * // error.code === "RATE_LIMITED"
 * ```
 */
export class RateLimitError extends APIError {}

/**
 * 5xx: the runtime failed (it also uses 500 for many validation failures, e.g. `AGENT_CREATION_FAILED`).
 *
 * @example Usage
 * ```ts ignore
 * import { ServerError } from "@symbiont/sdk/client";
 * // error.code === "AGENT_CREATION_FAILED"
 * ```
 */
export class ServerError extends APIError {}

/** What a {@link NotOfferedError} is built from. */
export interface NotOfferedErrorInit extends RequestDescription {
  /** What the caller wanted, e.g. "reasoning loops". */
  feature: string;
  /** The runtime's version from `/health`, when it could be read. */
  runtimeVersion?: string;
}

/**
 * The runtime has no route for this feature: it answered 404 with an empty body on a route the SDK
 * knows is an extension (reasoning, ToolClad and communication routes are absent from runtime 1.19).
 *
 * @example Usage
 * ```ts ignore
 * import { NotOfferedError } from "@symbiont/sdk/client";
 * try {
 *   await client.reasoning.runLoop(agentId, { initial_message: "hi" });
 * } catch (error) {
 *   if (error instanceof NotOfferedError) console.log(error.message);
 * }
 * ```
 */
export class NotOfferedError extends APIError {
  /** The feature that is missing. */
  readonly feature: string;
  /** The runtime's version, when known. */
  readonly runtimeVersion: string | undefined;

  /**
   * Creates the error for a route the runtime does not offer.
   *
   * @param init The request, the feature and the runtime version.
   */
  constructor(init: NotOfferedErrorInit) {
    super({
      status: 404,
      code: "NOT_OFFERED",
      method: init.method,
      path: init.path,
      detail: `this runtime${
        init.runtimeVersion ? ` (version ${init.runtimeVersion})` : ""
      } does not offer ${init.feature}`,
    });
    this.feature = init.feature;
    this.runtimeVersion = init.runtimeVersion;
  }
}

/**
 * The request never got an answer: connection refused or reset, DNS failure, TLS failure.
 *
 * @example Usage
 * ```ts ignore
 * import { ConnectionError } from "@symbiont/sdk/client";
 * // error.code === "CONNECTION_FAILED"
 * ```
 */
export class ConnectionError extends SymbiontError {
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request. */
  readonly path: string;

  /**
   * Creates a connection error.
   *
   * @param request The request that failed.
   * @param message What happened.
   * @param options Code (default `CONNECTION_FAILED`) and cause.
   */
  constructor(
    request: RequestDescription,
    message: string,
    options: Partial<SymbiontErrorOptions> = {},
  ) {
    super(`${request.method} ${request.path}: ${message}`, {
      code: options.code ?? "CONNECTION_FAILED",
      cause: options.cause,
    });
    this.method = request.method;
    this.path = request.path;
  }
}

/**
 * An attempt took longer than the configured timeout (code `TIMEOUT`).
 *
 * @example Usage
 * ```ts ignore
 * import { TimeoutError } from "@symbiont/sdk/client";
 * // new Client({ timeout: 2_000 }) throws this after 2 s without an answer (per attempt)
 * ```
 */
export class TimeoutError extends ConnectionError {}

/**
 * The caller's `AbortSignal` aborted the request (code `ABORTED`); it is never retried.
 *
 * @example Usage
 * ```ts ignore
 * import { RequestAbortedError } from "@symbiont/sdk/client";
 * const controller = new AbortController();
 * const pending = client.agents.list({ signal: controller.signal });
 * controller.abort(); // pending rejects with RequestAbortedError
 * ```
 */
export class RequestAbortedError extends ConnectionError {}

/** One problem found while validating a response. */
export interface ValidationIssue {
  /** Where in the body, e.g. `[0].state`. */
  path: string;
  /** What was wrong. */
  message: string;
}

/**
 * A response did not match its model (strict validation mode), code `RESPONSE_VALIDATION_FAILED`.
 *
 * @example Usage
 * ```ts ignore
 * import { ResponseValidationError } from "@symbiont/sdk/client";
 * // error.issues → [{ path: "[0].state", message: "Invalid option: ..." }]
 * ```
 */
export class ResponseValidationError extends SymbiontError {
  /** HTTP method of the request. */
  readonly method: string;
  /** Path of the request. */
  readonly path: string;
  /** Each mismatch found. */
  readonly issues: ValidationIssue[];

  /**
   * Creates a response validation error.
   *
   * @param request The request whose response failed validation.
   * @param issues Each mismatch.
   */
  constructor(request: RequestDescription, issues: ValidationIssue[]) {
    super(
      `${request.method} ${request.path}: the response does not match the model: ${
        issues.slice(0, 3).map((i) => `${i.path || "(body)"}: ${i.message}`).join("; ")
      }${issues.length > 3 ? ` (+${issues.length - 3} more)` : ""}`,
      { code: "RESPONSE_VALIDATION_FAILED" },
    );
    this.method = request.method;
    this.path = request.path;
    this.issues = issues;
  }
}

/**
 * An argument was refused before anything was sent (code `INVALID_ARGUMENT`, or a more specific one
 * such as `INVALID_CRON`).
 *
 * @example Usage
 * ```ts ignore
 * import { InvalidArgumentError } from "@symbiont/sdk/client";
 * // client.agents.status("not-a-uuid") throws InvalidArgumentError before any request
 * ```
 */
export class InvalidArgumentError extends SymbiontError {
  /** The argument or field at fault. */
  readonly argument: string;

  /**
   * Creates an invalid-argument error.
   *
   * @param argument The argument or field at fault.
   * @param message Why it was refused.
   * @param code Stable code (default `INVALID_ARGUMENT`).
   */
  constructor(argument: string, message: string, code = "INVALID_ARGUMENT") {
    super(`${argument}: ${message}`, { code });
    this.argument = argument;
  }
}

/**
 * Configuration could not be used: a malformed `.env` or YAML file, an unknown key, a bad value
 * (code `CONFIG_INVALID`, or `CONFIG_NOT_FOUND` for a missing file).
 *
 * @example Usage
 * ```ts ignore
 * import { ConfigError } from "@symbiont/sdk/client";
 * // parseDotEnv("=x") throws ConfigError ".env line 1: expected KEY=VALUE"
 * ```
 */
export class ConfigError extends SymbiontError {
  /**
   * Creates a configuration error.
   *
   * @param message What is wrong and where (never the value of a secret).
   * @param code Stable code (default `CONFIG_INVALID`).
   * @param cause The underlying error.
   */
  constructor(message: string, code = "CONFIG_INVALID", cause?: unknown) {
    super(message, { code, cause });
  }
}

/**
 * Maps an error status to its class and default code; the runtime's `code` wins when present.
 *
 * @param init Status, code (may be empty), detail, body and request.
 * @returns The typed error.
 *
 * @example Usage
 * ```ts
 * import { apiErrorFromStatus, NotFoundError } from "@symbiont/sdk/client";
 * const error = apiErrorFromStatus({ status: 404, code: "", detail: "", method: "GET", path: "/x" });
 * console.assert(error instanceof NotFoundError && error.code === "NOT_FOUND");
 * ```
 */
export function apiErrorFromStatus(init: APIErrorInit): APIError {
  const { status } = init;
  const withCode = (fallback: string): APIErrorInit => ({ ...init, code: init.code || fallback });
  if (status === 401) return new AuthenticationError(withCode("UNAUTHENTICATED"));
  if (status === 403) return new PermissionDeniedError(withCode("PERMISSION_DENIED"));
  if (status === 404) return new NotFoundError(withCode("NOT_FOUND"));
  if (status === 409) return new ConflictError(withCode("CONFLICT"));
  if (status === 429) return new RateLimitError(withCode("RATE_LIMITED"));
  if (status === 413) return new RequestValidationError(withCode("PAYLOAD_TOO_LARGE"));
  if (status === 415) return new RequestValidationError(withCode("UNSUPPORTED_MEDIA_TYPE"));
  if (status === 400 || status === 422) return new RequestValidationError(withCode("BAD_REQUEST"));
  if (status >= 500) return new ServerError(withCode("SERVER_ERROR"));
  return new APIError(withCode(`HTTP_${status}`));
}
