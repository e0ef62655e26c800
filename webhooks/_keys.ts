// One imported HMAC CryptoKey per (hash, secret), shared by every verifier and signer. Importing
// costs two to three times a verification, so it happens once per secret. The cache is bounded.
import { type Bytes, toBytes } from "./_encoding.ts";
import { WebhookError, WebhookErrorCode } from "./errors.ts";

/** An HMAC secret: text (UTF-8), raw bytes, or an HMAC `CryptoKey` that allows `sign`. */
export type HmacSecret = string | Uint8Array | CryptoKey;

const MAX_CACHED = 256;
const cache = new Map<string, Promise<CryptoKey>>();

function invalid(message: string): WebhookError {
  return new WebhookError(WebhookErrorCode.INVALID_OPTIONS, message);
}

/** Checks a secret up front, and copies byte secrets so later mutation cannot change them. */
export function checkSecret(secret: unknown, hash: string): HmacSecret {
  if (typeof secret === "string" || secret instanceof Uint8Array) {
    if (secret.length === 0) throw invalid("the secret is empty");
    return typeof secret === "string" ? secret : secret.slice();
  }
  if (secret instanceof CryptoKey) {
    const algorithm = secret.algorithm as HmacKeyAlgorithm;
    if (algorithm.name !== "HMAC" || !secret.usages.includes("sign")) {
      throw invalid("the secret CryptoKey must be an HMAC key that allows sign");
    }
    if (algorithm.hash.name !== hash) {
      throw invalid(`the secret CryptoKey uses ${algorithm.hash.name}, not ${hash}`);
    }
    return secret;
  }
  throw invalid("the secret must be a non-empty string, a Uint8Array or an HMAC CryptoKey");
}

/** The HMAC `CryptoKey` for a checked secret, imported once and cached. */
export function hmacKey(secret: HmacSecret, hash: string): Promise<CryptoKey> {
  if (typeof secret === "object" && !(secret instanceof Uint8Array)) return Promise.resolve(secret);
  const id = hash + (typeof secret === "string" ? "s" + secret : "b" + secret.join());
  let key = cache.get(id);
  if (!key) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    key = crypto.subtle.importKey("raw", toBytes(secret), { name: "HMAC", hash }, false, [
      "sign",
      "verify",
    ]);
    key.catch(() => cache.delete(id));
    cache.set(id, key);
  }
  return key;
}

/** HMAC of `message` under `secret`. */
export async function hmac(
  secret: HmacSecret,
  hash: string,
  message: Bytes,
): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret, hash), message));
}
