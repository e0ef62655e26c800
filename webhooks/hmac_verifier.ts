/**
 * HMAC signature verification and signing, for every scheme of the form
 * `header = prefix + encode(HMAC(secret, signed payload))`, with an optional signed timestamp.
 *
 * @module
 */
import { fromBase64, fromHex, toBase64, toHex, withPrefix } from "./_encoding.ts";
import { requireHeader } from "./_headers.ts";
import { checkSecret, hmac, hmacKey, type HmacSecret } from "./_keys.ts";
import { WebhookError, WebhookErrorCode } from "./errors.ts";
import { timingSafeEqual } from "./timing_safe_equal.ts";
import {
  SignatureVerifier,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookVerification,
} from "./verifier.ts";

export type { HmacSecret };

/** The hash functions an {@link HmacVerifier} can use. */
export type HmacHash = "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512";

/**
 * A signature header made of `key=value` pairs, such as Stripe's
 * `t=1492774577,v1=5257a869...,v1=...`: one timestamp, one or more signatures.
 */
export interface KeyedHeaderFormat {
  /** The key of the timestamp (Stripe: `t`). */
  timestampKey: string;
  /** The key of each signature; several may be present, one must match (Stripe: `v1`). */
  signatureKey: string;
  /** The pair separator. Default `,`. */
  separator?: string;
}

/** Options of {@link HmacVerifier}. */
export interface HmacVerifierOptions {
  /** The shared secret: text (used as UTF-8), bytes, or an HMAC `CryptoKey` allowing `sign`. */
  secret: HmacSecret;
  /** The signature header, matched case-insensitively (e.g. `X-Hub-Signature-256`). */
  headerName: string;
  /**
   * A prefix the header value must start with, such as `sha256=` (compared case-insensitively).
   * Default none. Not used with `keyedHeader`.
   */
  prefix?: string;
  /** The hash function. Default `SHA-256`. */
  hash?: HmacHash;
  /** How the MAC is written in the header. Default `hex` (either case is accepted). */
  encoding?: "hex" | "base64";
  /**
   * What is signed, as a template that ends with `{body}` and may contain `{timestamp}`.
   * Default `{body}`. Slack: `v0:{timestamp}:{body}`; Stripe: `{timestamp}.{body}`.
   */
  signedPayload?: string;
  /** A separate header holding the signed Unix timestamp in seconds (Slack's). */
  timestampHeader?: string;
  /** Parse the signature header as `key=value` pairs carrying the timestamp (Stripe's). */
  keyedHeader?: KeyedHeaderFormat;
  /**
   * For timestamped schemes: the largest accepted distance, in seconds, between the signed
   * timestamp and now, in either direction. Default 300. `Infinity` turns the check off.
   */
  tolerance?: number;
  /** Longest accepted header value, in characters. Default 4096. */
  maxHeaderLength?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link HmacVerifier.sign}. */
export interface HmacSignOptions {
  /** The Unix timestamp to sign, in seconds, for timestamped schemes. Default now. */
  timestamp?: number;
}

const LENGTHS: Record<string, number> = {
  "SHA-1": 20,
  "SHA-256": 32,
  "SHA-384": 48,
  "SHA-512": 64,
};
const TIMESTAMP = /^\d{1,12}$/;

function invalid(message: string): WebhookError {
  return new WebhookError(WebhookErrorCode.INVALID_OPTIONS, message);
}

function malformed(header: string, what: string): WebhookError {
  return new WebhookError(WebhookErrorCode.MALFORMED_HEADER, `header ${header} ${what}`, header);
}

/**
 * Verifies (and creates) HMAC webhook signatures: the header name, an optional prefix, hex or
 * base64, SHA-1/256/384/512, an optional signed timestamp with a replay window. The MAC is
 * compared in constant time; the key is imported once per secret and cached.
 *
 * @example GitHub's scheme by hand
 * ```ts
 * import { HmacVerifier } from "@symbiont/sdk/webhooks";
 * const verifier = new HmacVerifier({
 *   secret: "It's a Secret to Everybody",
 *   headerName: "X-Hub-Signature-256",
 *   prefix: "sha256=",
 * });
 * const headers = await verifier.sign("Hello, World!");
 * await verifier.verify(headers, "Hello, World!"); // resolves; a tampered body rejects
 * ```
 */
export class HmacVerifier extends SignatureVerifier {
  /** The signature header name. */
  readonly headerName: string;
  /** The required prefix of the header value ("" for none). */
  readonly prefix: string;
  /** The timestamp header, for schemes that carry the timestamp separately. */
  readonly timestampHeader?: string;
  /** The replay window in seconds (timestamped schemes only). */
  readonly tolerance: number;
  #secret: HmacSecret;
  #key?: CryptoKey;
  #canVerify = false;
  #hash: HmacHash;
  #base64: boolean;
  #head: string;
  #timed: boolean;
  #keyed?: KeyedHeaderFormat;
  #maxHeaderLength: number;
  #now: () => number;

  /**
   * Builds a verifier; the key is imported on first use and cached.
   *
   * @param options The secret, header and scheme.
   * @throws {WebhookError} `WEBHOOK_INVALID_OPTIONS` for unusable options.
   */
  constructor(options: HmacVerifierOptions) {
    super();
    const hash = options.hash ?? "SHA-256";
    if (!LENGTHS[hash]) throw invalid(`unsupported hash ${hash}`);
    if (typeof options.headerName !== "string" || !options.headerName.trim()) {
      throw invalid("headerName must be a non-empty header name");
    }
    const template = options.signedPayload ?? "{body}";
    if (!template.endsWith("{body}") || template.indexOf("{body}") !== template.length - 6) {
      throw invalid("signedPayload must end with {body} and contain it once");
    }
    const keyed = options.keyedHeader;
    if (keyed && (!keyed.timestampKey || !keyed.signatureKey)) {
      throw invalid("keyedHeader needs a timestampKey and a signatureKey");
    }
    const timed = template.includes("{timestamp}");
    if (timed !== Boolean(keyed || options.timestampHeader) || (keyed && options.timestampHeader)) {
      throw invalid(
        "a timestamp needs exactly one source (timestampHeader or keyedHeader) and {timestamp} in signedPayload",
      );
    }
    const tolerance = options.tolerance ?? 300;
    if (typeof tolerance !== "number" || !(tolerance >= 0)) {
      throw invalid("tolerance must be a number of seconds >= 0");
    }
    this.#secret = checkSecret(options.secret, hash);
    this.#hash = hash;
    this.#base64 = options.encoding === "base64";
    this.#head = template.slice(0, -6);
    this.#timed = timed;
    this.#keyed = keyed;
    this.#maxHeaderLength = options.maxHeaderLength ?? 4096;
    this.#now = options.now ?? Date.now;
    this.headerName = options.headerName;
    this.prefix = options.prefix ?? "";
    this.tolerance = tolerance;
    if (options.timestampHeader) this.timestampHeader = options.timestampHeader;
  }

  #decode(text: string): Uint8Array<ArrayBuffer> | undefined {
    const bytes = this.#base64 ? fromBase64(text) : fromHex(text);
    return bytes && bytes.length === LENGTHS[this.#hash] ? bytes : undefined;
  }

  /**
   * Checks the signature of a raw body.
   *
   * @param headers The request headers (any case).
   * @param body The raw body, exactly as received (a string is encoded as UTF-8).
   * @returns The signed timestamp for timestamped schemes.
   * @throws {WebhookError} `WEBHOOK_MISSING_HEADER`, `WEBHOOK_MALFORMED_HEADER`,
   * `WEBHOOK_SIGNATURE_MISMATCH` or `WEBHOOK_TIMESTAMP_EXPIRED`.
   *
   * @example Verifying a Slack request
   * ```ts ignore
   * const verifier = WebhookProvider.SLACK.verifier({ secret: env.SLACK_SIGNING_SECRET });
   * const { timestamp } = await verifier.verify(request.headers, rawBody);
   * ```
   */
  async verify(headers: WebhookHeaders, body: WebhookBody): Promise<WebhookVerification> {
    const name = this.headerName;
    const raw = requireHeader(headers, name, this.#maxHeaderLength);
    const signatures: Uint8Array<ArrayBuffer>[] = [];
    let timestamp: string | undefined;
    let timestampSource = name;
    const keyed = this.#keyed;
    if (keyed) {
      let seen = 0;
      for (const part of raw.split(keyed.separator ?? ",")) {
        const at = part.indexOf("=");
        if (at < 0) continue;
        const key = part.slice(0, at).trim();
        const value = part.slice(at + 1).trim();
        if (key === keyed.timestampKey) {
          if (timestamp !== undefined) throw malformed(name, `has more than one ${key}=`);
          timestamp = value;
        } else if (key === keyed.signatureKey) {
          seen++;
          const bytes = this.#decode(value);
          if (bytes) signatures.push(bytes);
        }
      }
      if (timestamp === undefined) throw malformed(name, `has no ${keyed.timestampKey}= timestamp`);
      if (!signatures.length) {
        throw malformed(
          name,
          seen
            ? `has no well-formed ${keyed.signatureKey}= signature`
            : `has no ${keyed.signatureKey}= signature`,
        );
      }
    } else {
      if (
        this.prefix && raw.slice(0, this.prefix.length).toLowerCase() !== this.prefix.toLowerCase()
      ) {
        throw malformed(name, `does not start with ${this.prefix}`);
      }
      const bytes = this.#decode(raw.slice(this.prefix.length).trim());
      if (!bytes) {
        throw malformed(
          name,
          `is not a ${this.#base64 ? "base64" : "hex"} ${this.#hash} HMAC (${
            LENGTHS[this.#hash]
          } bytes)`,
        );
      }
      signatures.push(bytes);
      if (this.timestampHeader) {
        timestampSource = this.timestampHeader;
        timestamp = requireHeader(headers, timestampSource, 64);
      }
    }
    if (timestamp !== undefined && !TIMESTAMP.test(timestamp)) {
      throw malformed(timestampSource, "has a timestamp that is not Unix seconds");
    }
    const head = this.#timed ? this.#head.split("{timestamp}").join(timestamp) : this.#head;
    const message = withPrefix(head, body);
    let key = this.#key;
    if (!key) {
      key = this.#key = await hmacKey(this.#secret, this.#hash);
      this.#canVerify = key.usages.includes("verify");
    }
    let match = false;
    if (signatures.length === 1 && this.#canVerify) {
      // WebCrypto's HMAC verify compares in constant time (required by the specification).
      match = await crypto.subtle.verify("HMAC", key, signatures[0], message);
    } else {
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message));
      for (const candidate of signatures) match = timingSafeEqual(mac, candidate) || match;
    }
    if (!match) {
      throw new WebhookError(
        WebhookErrorCode.SIGNATURE_MISMATCH,
        `header ${name} does not match the body and secret`,
        name,
      );
    }
    if (timestamp === undefined) return {};
    const seconds = Number(timestamp);
    if (Math.abs(this.#now() / 1000 - seconds) > this.tolerance) {
      throw new WebhookError(
        WebhookErrorCode.TIMESTAMP_EXPIRED,
        `signed timestamp ${seconds} is more than ${this.tolerance} s from now`,
        timestampSource,
      );
    }
    return { timestamp: seconds };
  }

  /**
   * Signs a body the way this scheme's sender does, for tests and for the sending side.
   *
   * @param body The exact body that will be sent.
   * @param options The timestamp to sign (timestamped schemes). Default now.
   * @returns The headers to send: the signature header, and the timestamp header if separate.
   *
   * @example Signing an outgoing request
   * ```ts
   * import { HmacVerifier } from "@symbiont/sdk/webhooks";
   * const signer = new HmacVerifier({ secret: "s3cret", headerName: "X-Signature" });
   * const body = JSON.stringify({ prompt: "hello" });
   * const headers = await signer.sign(body);
   * console.log(Object.keys(headers)); // ["X-Signature"]
   * ```
   */
  async sign(body: WebhookBody, options: HmacSignOptions = {}): Promise<Record<string, string>> {
    const ts = options.timestamp ?? Math.floor(this.#now() / 1000);
    if (this.#timed && !(Number.isSafeInteger(ts) && ts >= 0)) {
      throw invalid("timestamp must be a non-negative integer of Unix seconds");
    }
    const head = this.#timed ? this.#head.split("{timestamp}").join(String(ts)) : this.#head;
    const mac = await hmac(this.#secret, this.#hash, withPrefix(head, body));
    const encoded = this.#base64 ? toBase64(mac) : toHex(mac);
    const keyed = this.#keyed;
    if (keyed) {
      return {
        [this.headerName]: `${keyed.timestampKey}=${ts}${
          keyed.separator ?? ","
        }${keyed.signatureKey}=${encoded}`,
      };
    }
    const headers: Record<string, string> = { [this.headerName]: this.prefix + encoded };
    if (this.timestampHeader) headers[this.timestampHeader] = String(ts);
    return headers;
  }
}
