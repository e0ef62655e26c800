/**
 * Response validation against the SDK's zod models, in the three modes of {@link ValidationMode}.
 *
 * @module
 */
import type { WireModel } from "./_models.ts";
import {
  type RequestDescription,
  ResponseValidationError,
  type ValidationIssue,
} from "./errors.ts";
import type { Logger, ValidationMode } from "./options.ts";

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => typeof p === "number" ? `[${p}]` : `.${String(p)}`).join("").replace(
    /^\./,
    "",
  );
}

/**
 * Checks responses in one validation mode. In `lenient` mode each route warns once.
 *
 * @example Usage
 * ```ts
 * import * as z from "zod";
 * import { ResponseValidator } from "@symbiont/sdk/client";
 * const validator = new ResponseValidator("strict", { warn: () => {} });
 * const data = validator.check(z.object({ id: z.string() }), { id: "a" }, {
 *   method: "GET",
 *   path: "/x",
 * });
 * console.assert(data.id === "a");
 * ```
 */
export class ResponseValidator {
  /** The mode in force. */
  readonly mode: ValidationMode;
  readonly #logger: Logger;
  readonly #warned = new Set<string>();

  /**
   * Creates a validator.
   *
   * @param mode Validation mode.
   * @param logger Where lenient-mode warnings go.
   */
  constructor(mode: ValidationMode, logger: Logger) {
    this.mode = mode;
    this.#logger = logger;
  }

  /**
   * Validates `data` against `schema`.
   *
   * @param schema The model.
   * @param data The parsed body.
   * @param request The request, for error messages; `route` groups lenient warnings.
   * @returns The parsed data in `strict` mode (unknown fields kept), else `data` as it came.
   * @throws {ResponseValidationError} In `strict` mode, on any mismatch.
   */
  check<T>(
    schema: WireModel<T>,
    data: unknown,
    request: RequestDescription & { route?: string },
  ): T {
    if (this.mode === "off") return data as T;
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
      path: issuePath(issue.path),
      message: issue.message,
    }));
    const error = new ResponseValidationError(
      { method: request.method, path: request.path },
      issues,
    );
    if (this.mode === "strict") throw error;
    const key = request.route ?? `${request.method} ${request.path}`;
    if (!this.#warned.has(key)) {
      this.#warned.add(key);
      this.#logger.warn(`[symbiont] lenient validation: ${error.message}`);
    }
    return data as T;
  }
}
