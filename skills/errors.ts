/**
 * The error classes of the skills module and their stable codes.
 *
 * @module
 */

/**
 * The stable codes of {@link SkillError}, for `switch (error.code)`.
 *
 * - `SKILL_INVALID_OPTION`: a bad constructor or call option (an unknown rule set, a negative limit).
 * - `SKILL_INVALID_RULE`: a custom rule whose pattern is not a valid regular expression, or that
 *   uses a feature the JavaScript engine cannot express the way the runtime's Rust `regex` does.
 * - `SKILL_INVALID_PATH`: a relative path in a `{relativePath: bytes}` map that is empty, absolute,
 *   holds `..` or `.` segments, a backslash or a NUL.
 * - `SKILL_NOT_FOUND`: a folder, or its `SKILL.md`, that does not exist.
 * - `SKILL_FRONTMATTER_INVALID`: a `SKILL.md` whose YAML frontmatter has no closing `---` fence,
 *   is not valid YAML, or is not a mapping.
 * - `SKILL_READ_FAILED`: the filesystem refused a read (permissions, I/O error).
 * - `SKILL_FS_UNAVAILABLE`: a folder path was given on a runtime with no filesystem (Workers,
 *   browsers); pass a `{relativePath: bytes}` map there instead.
 *
 * @example Switching on a code
 * ```ts
 * import { SkillError, SkillErrorCode } from "@symbiont/sdk/skills";
 * const error = new SkillError(SkillErrorCode.NotFound, "no SKILL.md in ./skills/a");
 * if (error.code === "SKILL_NOT_FOUND") console.log("missing");
 * ```
 */
export const SkillErrorCode = {
  InvalidOption: "SKILL_INVALID_OPTION",
  InvalidRule: "SKILL_INVALID_RULE",
  InvalidPath: "SKILL_INVALID_PATH",
  NotFound: "SKILL_NOT_FOUND",
  FrontmatterInvalid: "SKILL_FRONTMATTER_INVALID",
  ReadFailed: "SKILL_READ_FAILED",
  FsUnavailable: "SKILL_FS_UNAVAILABLE",
} as const;

/**
 * One of the {@link SkillErrorCode} values.
 *
 * @example Narrowing
 * ```ts
 * import type { SkillErrorCodeValue } from "@symbiont/sdk/skills";
 * const code: SkillErrorCodeValue = "SKILL_NOT_FOUND";
 * ```
 */
export type SkillErrorCodeValue = typeof SkillErrorCode[keyof typeof SkillErrorCode];

/**
 * Thrown by the scanner and loader for bad input. `code` is stable; `path` names the skill folder
 * or file concerned when there is one.
 *
 * @example Catching a frontmatter error
 * ```ts
 * import { SkillError } from "@symbiont/sdk/skills";
 * try {
 *   throw new SkillError("SKILL_FRONTMATTER_INVALID", "no closing ---", "skills/a/SKILL.md");
 * } catch (error) {
 *   if (error instanceof SkillError) console.log(error.code, error.path);
 * }
 * ```
 */
export class SkillError extends Error {
  /** The stable code. */
  readonly code: SkillErrorCodeValue;
  /** The folder or file concerned, when there is one. */
  readonly path: string | undefined;

  /**
   * Creates the error.
   *
   * @param code The stable code.
   * @param message What was wrong and where.
   * @param path The folder or file concerned.
   */
  constructor(code: SkillErrorCodeValue, message: string, path?: string) {
    super(message);
    this.name = "SkillError";
    this.code = code;
    this.path = path;
  }
}

/**
 * The SchemaPin error codes, spelled as the Rust reference and the Symbiont runtime spell them
 * (the JS and Python SchemaPin packages use the same words in lower case).
 *
 * - `SIGNATURE_INVALID`: the `.schemapin.sig` is missing, not JSON, or its signature does not
 *   verify over the folder's root hash (a tampered, added or removed file).
 * - `CANONICALIZATION_UNSUPPORTED`: the signature names a canonicalisation other than
 *   `schemapin-v1`.
 * - `DISCOVERY_INVALID`: the discovery document has no usable `public_key_pem`.
 * - `DISCOVERY_FETCH_FAILED`: no discovery document or pinned key could be found for the domain.
 * - `KEY_NOT_FOUND`: the public key does not parse as a P-256 SPKI key.
 * - `KEY_REVOKED`: the key's fingerprint is revoked, inline or in a standalone revocation document.
 * - `KEY_PIN_MISMATCH`: the key differs from the one pinned for `tool_id@domain`.
 * - `SCHEMA_CANONICALIZATION_FAILED`: the folder cannot be canonicalised (no files in it).
 * - `DOMAIN_MISMATCH`: the signature's `domain` differs from the domain the caller expected.
 *
 * @example Switching on a code
 * ```ts
 * import { SchemaPinErrorCode } from "@symbiont/sdk/skills";
 * const code: string = SchemaPinErrorCode.KeyRevoked;
 * if (code === "KEY_REVOKED") console.log("revoked");
 * ```
 */
export const SchemaPinErrorCode = {
  SignatureInvalid: "SIGNATURE_INVALID",
  CanonicalizationUnsupported: "CANONICALIZATION_UNSUPPORTED",
  DiscoveryInvalid: "DISCOVERY_INVALID",
  DiscoveryFetchFailed: "DISCOVERY_FETCH_FAILED",
  KeyNotFound: "KEY_NOT_FOUND",
  KeyRevoked: "KEY_REVOKED",
  KeyPinMismatch: "KEY_PIN_MISMATCH",
  SchemaCanonicalizationFailed: "SCHEMA_CANONICALIZATION_FAILED",
  DomainMismatch: "DOMAIN_MISMATCH",
} as const;

/**
 * One of the {@link SchemaPinErrorCode} values.
 *
 * @example Narrowing
 * ```ts
 * import type { SchemaPinErrorCodeValue } from "@symbiont/sdk/skills";
 * const code: SchemaPinErrorCodeValue = "KEY_PIN_MISMATCH";
 * ```
 */
export type SchemaPinErrorCodeValue = typeof SchemaPinErrorCode[keyof typeof SchemaPinErrorCode];

/**
 * Thrown by {@link signSkill} and the key helpers for bad input (an unreadable key, a folder with
 * no files). Verification never throws this: it reports the code in its result.
 *
 * @example Catching a signing error
 * ```ts
 * import { SchemaPinError } from "@symbiont/sdk/skills";
 * const error = new SchemaPinError("KEY_NOT_FOUND", "private key is not PKCS#8 PEM");
 * console.log(error.code);
 * ```
 */
export class SchemaPinError extends Error {
  /** The stable code. */
  readonly code: SchemaPinErrorCodeValue;

  /**
   * Creates the error.
   *
   * @param code The stable code.
   * @param message What was wrong, never containing key material.
   */
  constructor(code: SchemaPinErrorCodeValue, message: string) {
    super(message);
    this.name = "SchemaPinError";
    this.code = code;
  }
}
