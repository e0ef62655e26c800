/**
 * AgentPin error codes and the error class the module throws.
 *
 * @module
 */

/**
 * Stable error codes. The first 18 are the SCREAMING_SNAKE codes of the AgentPin specification
 * (§6.7), used both in {@link VerificationResult.error_code} and in thrown errors; the rest are this
 * SDK's codes for bad input to the helpers.
 *
 * @example Switching on a code
 * ```ts
 * import { AgentPinError, ErrorCode } from "@symbiont/sdk/agentpin";
 * const error = new AgentPinError(ErrorCode.KEY_NOT_FOUND, "no key 'k1'");
 * if (error.code === ErrorCode.KEY_NOT_FOUND) console.log("unknown key");
 * ```
 */
export const ErrorCode = {
  SIGNATURE_INVALID: "SIGNATURE_INVALID",
  KEY_NOT_FOUND: "KEY_NOT_FOUND",
  KEY_EXPIRED: "KEY_EXPIRED",
  KEY_REVOKED: "KEY_REVOKED",
  CREDENTIAL_EXPIRED: "CREDENTIAL_EXPIRED",
  CREDENTIAL_REVOKED: "CREDENTIAL_REVOKED",
  AGENT_NOT_FOUND: "AGENT_NOT_FOUND",
  AGENT_INACTIVE: "AGENT_INACTIVE",
  CAPABILITY_EXCEEDED: "CAPABILITY_EXCEEDED",
  CONSTRAINT_VIOLATION: "CONSTRAINT_VIOLATION",
  DELEGATION_INVALID: "DELEGATION_INVALID",
  DELEGATION_DEPTH_EXCEEDED: "DELEGATION_DEPTH_EXCEEDED",
  DISCOVERY_FETCH_FAILED: "DISCOVERY_FETCH_FAILED",
  DISCOVERY_INVALID: "DISCOVERY_INVALID",
  DOMAIN_MISMATCH: "DOMAIN_MISMATCH",
  AUDIENCE_MISMATCH: "AUDIENCE_MISMATCH",
  ALGORITHM_REJECTED: "ALGORITHM_REJECTED",
  KEY_PIN_MISMATCH: "KEY_PIN_MISMATCH",
  /** A PEM, JWK or CryptoKey that is not a usable ECDSA P-256 key. */
  INVALID_KEY: "INVALID_KEY",
  /** A capability string outside the `action:resource` grammar, or `admin:*`. */
  INVALID_CAPABILITY: "INVALID_CAPABILITY",
  /** A credential lifetime outside 1 s .. 24 h, or not an integer. */
  INVALID_TTL: "INVALID_TTL",
  /** Any other malformed argument (domain, agent id, audience, claims, JSON text). */
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  /** A trust bundle that is not `agentpin_bundle_version` 0.1 or holds invalid documents. */
  BUNDLE_INVALID: "BUNDLE_INVALID",
  /** A revocation document of the wrong shape or version. */
  REVOCATION_INVALID: "REVOCATION_INVALID",
  /** Mutual auth: the response answers another challenge, or is malformed. */
  CHALLENGE_INVALID: "CHALLENGE_INVALID",
  /** Mutual auth: the challenge is older than its maximum age. */
  NONCE_EXPIRED: "NONCE_EXPIRED",
  /** Mutual auth: the nonce was already used once. */
  NONCE_REPLAYED: "NONCE_REPLAYED",
} as const;

/** One of the {@link ErrorCode} strings. */
export type ErrorCode = typeof ErrorCode[keyof typeof ErrorCode];

/**
 * The error every AgentPin function throws for bad input or a failed check. `code` is stable;
 * `message` says what and where and never contains a key or a full token.
 *
 * @example Catching by code
 * ```ts
 * import { AgentPinError, importPrivateKey } from "@symbiont/sdk/agentpin";
 * try {
 *   await importPrivateKey("not a pem");
 * } catch (error) {
 *   if (error instanceof AgentPinError) console.log(error.code); // "INVALID_KEY"
 * }
 * ```
 */
export class AgentPinError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;

  /**
   * Creates an error with a stable code.
   *
   * @param code The stable error code.
   * @param message What went wrong, without secrets.
   * @param options Optional `cause`.
   */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AgentPinError";
    this.code = code;
  }
}
