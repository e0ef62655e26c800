/**
 * The webhook module's typed errors: one class with a stable `code`.
 *
 * @module
 */

/**
 * Stable codes of {@link WebhookError}, so callers can `switch (error.code)`.
 *
 * @example Answering by code
 * ```ts
 * import { WebhookError, WebhookErrorCode } from "@symbiont/sdk/webhooks";
 * const error = new WebhookError(WebhookErrorCode.SIGNATURE_MISMATCH, "no signature matched");
 * const status = error.code === WebhookErrorCode.BODY_TOO_LARGE ? 413 : 401;
 * console.log(status);
 * ```
 */
export const WebhookErrorCode = {
  /** A verifier or signer was built with unusable options (empty secret, bad tolerance, ...). */
  INVALID_OPTIONS: "WEBHOOK_INVALID_OPTIONS",
  /** The signature (or timestamp, or token) header is absent. */
  MISSING_HEADER: "WEBHOOK_MISSING_HEADER",
  /** The header is present but cannot be parsed: bad prefix, bad hex, wrong length, too long. */
  MALFORMED_HEADER: "WEBHOOK_MALFORMED_HEADER",
  /** The signature is well formed but does not match the body and secret. */
  SIGNATURE_MISMATCH: "WEBHOOK_SIGNATURE_MISMATCH",
  /** The signed timestamp lies outside the tolerance window (a replay, or a skewed clock). */
  TIMESTAMP_EXPIRED: "WEBHOOK_TIMESTAMP_EXPIRED",
  /** The request body is larger than the configured limit. */
  BODY_TOO_LARGE: "WEBHOOK_BODY_TOO_LARGE",
  /** The request body was already read, or reading it failed. */
  BODY_UNAVAILABLE: "WEBHOOK_BODY_UNAVAILABLE",
  /** The token's `alg` is not on the verifier's allow-list (including `none`). */
  ALGORITHM_NOT_ALLOWED: "WEBHOOK_ALGORITHM_NOT_ALLOWED",
  /** The token's `exp` has passed. */
  TOKEN_EXPIRED: "WEBHOOK_TOKEN_EXPIRED",
  /** The token's `nbf` or `iat` lies in the future. */
  TOKEN_NOT_YET_VALID: "WEBHOOK_TOKEN_NOT_YET_VALID",
  /** A required claim is missing, mistyped, or has the wrong issuer or audience. */
  CLAIM_INVALID: "WEBHOOK_CLAIM_INVALID",
} as const;

/** One of the {@link WebhookErrorCode} values. */
export type WebhookErrorCode = typeof WebhookErrorCode[keyof typeof WebhookErrorCode];

/**
 * The error every verifier and signer of this module throws. Messages name the header at fault but
 * never contain a secret, a full signature or a token.
 *
 * @example Mapping verification failures to 401
 * ```ts ignore
 * import { WebhookError, WebhookProvider } from "@symbiont/sdk/webhooks";
 * const verifier = WebhookProvider.GITHUB.verifier({ secret: "s3cret" });
 * try {
 *   await verifier.verify(request.headers, body);
 * } catch (error) {
 *   if (error instanceof WebhookError) return new Response(error.code, { status: 401 });
 *   throw error;
 * }
 * ```
 */
export class WebhookError extends Error {
  /** Stable machine-readable code, one of {@link WebhookErrorCode}. */
  readonly code: WebhookErrorCode;
  /** The header the problem was found in, when there is one. */
  readonly headerName?: string;

  /**
   * Creates an error with a stable code.
   *
   * @param code One of {@link WebhookErrorCode}.
   * @param message What went wrong and where; never a secret.
   * @param headerName The header at fault, if any.
   */
  constructor(code: WebhookErrorCode, message: string, headerName?: string) {
    super(message);
    this.name = "WebhookError";
    this.code = code;
    if (headerName !== undefined) this.headerName = headerName;
  }
}
