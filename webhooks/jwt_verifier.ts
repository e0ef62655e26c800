/**
 * JWT (compact JWS) verification for webhooks that authenticate with a bearer token.
 *
 * @module
 */
import { fromBase64, fromBase64Url, toBytes } from "./_encoding.ts";
import { requireHeader } from "./_headers.ts";
import { checkSecret, hmac, type HmacSecret } from "./_keys.ts";
import { WebhookError, WebhookErrorCode } from "./errors.ts";
import { timingSafeEqual } from "./timing_safe_equal.ts";
import {
  SignatureVerifier,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookVerification,
} from "./verifier.ts";

/**
 * The JWS algorithms {@link JwtVerifier} implements: HMAC with a shared secret, ECDSA, RSA
 * PKCS#1 v1.5 and Ed25519 (`EdDSA`, or its fully specified name `Ed25519`) with a public key.
 */
export type JwtAlgorithm =
  | "HS256"
  | "HS384"
  | "HS512"
  | "ES256"
  | "ES384"
  | "RS256"
  | "EdDSA"
  | "Ed25519";

/** Options of {@link JwtVerifier}. Give exactly one of `secret` and `publicKey`. */
export interface JwtVerifierOptions {
  /** The shared secret of HS256/384/512 tokens (text is used as UTF-8). */
  secret?: string | Uint8Array;
  /** The public key of ES256/ES384/RS256/EdDSA tokens: a `CryptoKey`, a JWK, or an SPKI PEM. */
  publicKey?: CryptoKey | JsonWebKey | string;
  /** The header carrying the token, with or without `Bearer `. Default `Authorization`. */
  headerName?: string;
  /** The `iss` the token must carry. Default: not checked. */
  requiredIssuer?: string;
  /** An `aud` the token must carry (one of them, when a list). Default: not checked. */
  audience?: string | string[];
  /**
   * The accepted algorithms. Default `["HS256"]` with a secret; with a public key, the one its JWK
   * or `CryptoKey` implies (required for PEM keys). `none` is never accepted.
   */
  algorithms?: JwtAlgorithm[];
  /** Clock skew allowed for `exp`, `nbf` and `iat`, in seconds. Default 5. */
  leeway?: number;
  /** Reject tokens without `exp`. Default `true`. */
  requireExpiration?: boolean;
  /** Reject tokens whose `iat` is older than this many seconds (then `iat` is required). */
  maxAge?: number;
  /** Longest accepted header value, in characters. Default 8192. */
  maxTokenLength?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

// [importKey algorithm, verify algorithm] of each asymmetric JWS algorithm.
const ASYMMETRIC: Record<
  string,
  [EcKeyImportParams | RsaHashedImportParams | Algorithm, Algorithm]
> = {
  ES256: [{ name: "ECDSA", namedCurve: "P-256" } as EcKeyImportParams, {
    name: "ECDSA",
    hash: "SHA-256",
  } as EcdsaParams],
  ES384: [{ name: "ECDSA", namedCurve: "P-384" } as EcKeyImportParams, {
    name: "ECDSA",
    hash: "SHA-384",
  } as EcdsaParams],
  RS256: [{ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as RsaHashedImportParams, {
    name: "RSASSA-PKCS1-v1_5",
  }],
  EdDSA: [{ name: "Ed25519" }, { name: "Ed25519" }],
  Ed25519: [{ name: "Ed25519" }, { name: "Ed25519" }],
};
const HS = /^HS(256|384|512)$/;

function invalid(message: string): WebhookError {
  return new WebhookError(WebhookErrorCode.INVALID_OPTIONS, message);
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = fromBase64Url(part);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(strictDecoder.decode(bytes));
    return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

// The algorithm a public key implies, when it implies exactly one.
function impliedAlgorithm(key: CryptoKey | JsonWebKey): string | undefined {
  if (key instanceof CryptoKey) {
    const a = key.algorithm as EcKeyAlgorithm & RsaHashedKeyAlgorithm;
    if (a.name === "ECDSA") return a.namedCurve === "P-256" ? "ES256" : "ES384";
    if (a.name === "RSASSA-PKCS1-v1_5" && a.hash.name === "SHA-256") return "RS256";
    return a.name === "Ed25519" ? "EdDSA" : undefined;
  }
  const jwk = key as JsonWebKey;
  if (jwk.alg) return jwk.alg;
  if (jwk.kty === "EC") {
    return jwk.crv === "P-256" ? "ES256" : jwk.crv === "P-384" ? "ES384" : undefined;
  }
  if (jwk.kty === "RSA") return "RS256";
  return jwk.kty === "OKP" && jwk.crv === "Ed25519" ? "EdDSA" : undefined;
}

function fitsCryptoKey(key: CryptoKey, alg: string): boolean {
  const [params] = ASYMMETRIC[alg];
  const a = key.algorithm as EcKeyAlgorithm & RsaHashedKeyAlgorithm;
  const p = params as EcKeyImportParams & { hash?: string };
  return key.type === "public" && key.usages.includes("verify") && a.name === p.name &&
    (!p.namedCurve || a.namedCurve === p.namedCurve) && (!p.hash || a.hash.name === p.hash);
}

/**
 * Verifies a JWT carried in a header (by default `Authorization: Bearer <jwt>`): the signature
 * under an allow-list of algorithms (never `none`, never an algorithm of the other key family),
 * then `exp`, `nbf` and `iat` with leeway, the issuer and the audience. The token authenticates
 * the sender; it does not sign the body.
 *
 * @example An HS256 token with a required issuer
 * ```ts ignore
 * import { JwtVerifier } from "@symbiont/sdk/webhooks";
 * const verifier = new JwtVerifier({ secret: "s3cret", requiredIssuer: "https://issuer.example" });
 * const { claims } = await verifier.verify(request.headers, body);
 * console.log(claims?.sub);
 * ```
 */
export class JwtVerifier extends SignatureVerifier {
  /** The header carrying the token. */
  readonly headerName: string;
  /** The accepted algorithms. */
  readonly algorithms: readonly JwtAlgorithm[];
  #secret?: HmacSecret;
  #publicKey?: CryptoKey | JsonWebKey | string;
  #keys = new Map<string, Promise<CryptoKey>>();
  #issuer?: string;
  #audience?: string[];
  #leeway: number;
  #requireExp: boolean;
  #maxAge?: number;
  #maxLength: number;
  #now: () => number;

  /**
   * Builds a verifier; keys are imported on first use and cached.
   *
   * @param options The key, header, algorithms and claim checks.
   * @throws {WebhookError} `WEBHOOK_INVALID_OPTIONS` for unusable options.
   */
  constructor(options: JwtVerifierOptions) {
    super();
    const { secret, publicKey } = options;
    if ((secret === undefined) === (publicKey === undefined)) {
      throw invalid("give exactly one of secret and publicKey");
    }
    let algorithms: string[] | undefined = options.algorithms;
    if (secret !== undefined) {
      if (typeof secret === "object" && !(secret instanceof Uint8Array)) {
        throw invalid("the secret must be a non-empty string or Uint8Array");
      }
      this.#secret = checkSecret(secret, "");
      algorithms ??= ["HS256"];
    } else {
      if (typeof publicKey === "string") {
        if (!algorithms) throw invalid("algorithms is required with a PEM public key");
      } else if (!publicKey || typeof publicKey !== "object") {
        throw invalid("publicKey must be a CryptoKey, a JWK or an SPKI PEM string");
      } else {
        const implied = impliedAlgorithm(publicKey);
        algorithms ??= implied ? [implied] : [];
      }
      this.#publicKey = publicKey;
    }
    if (!Array.isArray(algorithms) || !algorithms.length) {
      throw invalid("algorithms must list at least one algorithm");
    }
    for (const alg of algorithms) {
      const fits = secret !== undefined ? HS.test(alg) : alg in ASYMMETRIC;
      if (!fits) {
        throw invalid(
          `algorithm ${String(alg).slice(0, 16)} cannot be used with ${
            secret !== undefined ? "a secret" : "a public key"
          }`,
        );
      }
      if (
        publicKey instanceof CryptoKey &&
        !fitsCryptoKey(publicKey, alg)
      ) {
        throw invalid(`the public CryptoKey cannot verify ${alg}`);
      }
    }
    const leeway = options.leeway ?? 5;
    if (typeof leeway !== "number" || !(leeway >= 0)) throw invalid("leeway must be seconds >= 0");
    if (options.maxAge !== undefined && !(options.maxAge >= 0)) {
      throw invalid("maxAge must be seconds >= 0");
    }
    const audience = options.audience;
    this.#audience = audience === undefined ? undefined : [audience].flat();
    this.#issuer = options.requiredIssuer;
    this.#leeway = leeway;
    this.#requireExp = options.requireExpiration ?? true;
    this.#maxAge = options.maxAge;
    this.#maxLength = options.maxTokenLength ?? 8192;
    this.#now = options.now ?? Date.now;
    this.headerName = options.headerName ?? "Authorization";
    this.algorithms = algorithms as JwtAlgorithm[];
  }

  #publicCryptoKey(alg: string): Promise<CryptoKey> {
    let key = this.#keys.get(alg);
    if (!key) {
      const source = this.#publicKey!;
      const [params] = ASYMMETRIC[alg];
      if (source instanceof CryptoKey) {
        key = Promise.resolve(source);
      } else if (typeof source === "string") {
        const body = source.replace(/-----(BEGIN|END) PUBLIC KEY-----|\s/g, "");
        const der = !source.includes("-----BEGIN PUBLIC KEY-----") ? undefined : fromBase64(body);
        key = der
          ? crypto.subtle.importKey("spki", der, params, false, ["verify"])
          : Promise.reject(new Error("not an SPKI PEM"));
      } else {
        const { alg: _alg, key_ops: _ops, use: _use, ...jwk } = source as JsonWebKey & {
          use?: string;
        };
        key = crypto.subtle.importKey("jwk", jwk, params, false, ["verify"]);
      }
      key = key.catch(() => {
        this.#keys.delete(alg);
        throw invalid(`the public key cannot be used to verify ${alg}`);
      });
      this.#keys.set(alg, key);
    }
    return key;
  }

  /**
   * Checks the token in the configured header. The body is not covered by the token.
   *
   * @param headers The request headers (any case).
   * @param _body The raw body (not signed by the token; accepted for a uniform interface).
   * @returns The verified claims, and `iat` as the timestamp when present.
   * @throws {WebhookError} `WEBHOOK_MISSING_HEADER`, `WEBHOOK_MALFORMED_HEADER`,
   * `WEBHOOK_ALGORITHM_NOT_ALLOWED`, `WEBHOOK_SIGNATURE_MISMATCH`, `WEBHOOK_TOKEN_EXPIRED`,
   * `WEBHOOK_TOKEN_NOT_YET_VALID` or `WEBHOOK_CLAIM_INVALID`.
   *
   * @example Reading the subject
   * ```ts ignore
   * const { claims } = await verifier.verify({ authorization: `Bearer ${token}` }, "");
   * ```
   */
  async verify(headers: WebhookHeaders, _body?: WebhookBody): Promise<WebhookVerification> {
    const name = this.headerName;
    const fail = (code: WebhookErrorCode, what: string): WebhookError =>
      new WebhookError(code, `token in header ${name} ${what}`, name);
    const raw = requireHeader(headers, name, this.#maxLength);
    const token = /^bearer\s/i.test(raw) ? raw.slice(7).trim() : raw;
    const parts = token.split(".");
    const header = decodeJson(parts[0]);
    const claims = parts.length === 3 ? decodeJson(parts[1]) : undefined;
    const signature = fromBase64Url(parts[2] ?? "");
    if (!header || !claims || !signature) {
      throw fail(WebhookErrorCode.MALFORMED_HEADER, "is not a well-formed compact JWS");
    }
    const alg = header.alg;
    if (typeof alg !== "string" || !this.algorithms.includes(alg as JwtAlgorithm)) {
      throw fail(
        WebhookErrorCode.ALGORITHM_NOT_ALLOWED,
        `uses algorithm ${JSON.stringify(alg)?.slice(0, 24)}, not one of ${
          this.algorithms.join(", ")
        }`,
      );
    }
    if (header.crit !== undefined) {
      throw fail(
        WebhookErrorCode.MALFORMED_HEADER,
        "has critical extensions this verifier does not know",
      );
    }
    const input = toBytes(parts[0] + "." + parts[1]);
    let valid: boolean;
    if (this.#secret !== undefined) {
      valid = timingSafeEqual(await hmac(this.#secret, "SHA-" + alg.slice(2), input), signature);
    } else {
      const key = await this.#publicCryptoKey(alg);
      valid = await crypto.subtle.verify(ASYMMETRIC[alg][1], key, signature, input).catch(() => {
        // Some runtimes accept a bad key at import and fail only here.
        throw invalid(`the public key cannot be used to verify ${alg}`);
      });
    }
    if (!valid) throw fail(WebhookErrorCode.SIGNATURE_MISMATCH, "has an invalid signature");
    const now = this.#now() / 1000;
    const leeway = this.#leeway;
    const time = (claim: string): number | undefined => {
      const value = claims[claim];
      if (value === undefined) return undefined;
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw fail(WebhookErrorCode.CLAIM_INVALID, `has a non-numeric ${claim}`);
      }
      return value;
    };
    const exp = time("exp");
    const nbf = time("nbf");
    const iat = time("iat");
    if (exp === undefined && this.#requireExp) {
      throw fail(WebhookErrorCode.CLAIM_INVALID, "has no exp claim");
    }
    if (exp !== undefined && exp <= now - leeway) {
      throw fail(WebhookErrorCode.TOKEN_EXPIRED, "has expired");
    }
    if (nbf !== undefined && nbf > now + leeway) {
      throw fail(WebhookErrorCode.TOKEN_NOT_YET_VALID, "is not valid yet (nbf)");
    }
    if (iat !== undefined && iat > now + leeway) {
      throw fail(WebhookErrorCode.TOKEN_NOT_YET_VALID, "was issued in the future (iat)");
    }
    if (this.#maxAge !== undefined) {
      if (iat === undefined) throw fail(WebhookErrorCode.CLAIM_INVALID, "has no iat claim");
      if (now - iat > this.#maxAge + leeway) {
        throw fail(WebhookErrorCode.TOKEN_EXPIRED, `is older than ${this.#maxAge} s (iat)`);
      }
    }
    if (this.#issuer !== undefined && claims.iss !== this.#issuer) {
      throw fail(WebhookErrorCode.CLAIM_INVALID, "has the wrong issuer");
    }
    if (this.#audience) {
      const aud = claims.aud;
      const list = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
      if (!list.some((a) => this.#audience!.includes(a))) {
        throw fail(WebhookErrorCode.CLAIM_INVALID, "is not for this audience");
      }
    }
    return iat === undefined ? { claims } : { claims, timestamp: iat };
  }
}
