/**
 * ECDSA P-256 keys for AgentPin on WebCrypto: generation, PEM (PKCS#8 / SPKI) and JWK conversion,
 * key ids and thumbprints.
 *
 * @module
 */
import { b64Decode, b64Encode, b64urlDecode, b64urlEncode, sha256, toHex } from "./_base64.ts";
import { pemBody, pemLabel, toPem } from "./_der.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import type { AgentPinJwk } from "./types.ts";

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;

/**
 * A freshly generated key pair, in every form AgentPin uses.
 *
 * @example Reading the parts
 * ```ts
 * import { generateKeyPair } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * console.log(keys.kid.length, keys.publicKeyJwk.kid === keys.kid); // 64 true
 * ```
 */
export interface GeneratedKeyPair {
  /** PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), LF line endings. Keep it secret. */
  privateKeyPem: string;
  /** SPKI PEM (`-----BEGIN PUBLIC KEY-----`). */
  publicKeyPem: string;
  /** The public key as a discovery-ready JWK, with `kid` set to {@link kid}. */
  publicKeyJwk: AgentPinJwk;
  /** {@link generateKeyId} of the public key: hex SHA-256 of the DER SPKI. */
  kid: string;
}

/** A public key as a PEM SPKI string, a JWK or a WebCrypto key. */
export type PublicKeyInput = string | AgentPinJwk | JsonWebKey | CryptoKey;
/** A private key as a PEM PKCS#8 string or a WebCrypto ECDSA P-256 signing key. */
export type PrivateKeyInput = string | CryptoKey;

function invalidKey(message: string, cause?: unknown): AgentPinError {
  return new AgentPinError(ErrorCode.INVALID_KEY, message, cause ? { cause } : undefined);
}

function derFromPem(pem: unknown, label: "PRIVATE KEY" | "PUBLIC KEY"): Uint8Array {
  if (typeof pem !== "string") throw invalidKey(`expected a PEM string (${label})`);
  const body = pemBody(pem, label);
  if (body === undefined) {
    const found = pemLabel(pem);
    const hint = found === "EC PRIVATE KEY"
      ? "; SEC1 'EC PRIVATE KEY' is not supported, convert it to PKCS#8"
      : found === "ENCRYPTED PRIVATE KEY"
      ? "; encrypted keys are not supported"
      : "";
    throw invalidKey(
      `expected a PEM '${label}' block, found ${found ? `'${found}'` : "no PEM block"}${hint}`,
    );
  }
  const der = b64Decode(body);
  if (!der || der.length === 0) throw invalidKey(`the PEM '${label}' body is not valid base64`);
  return der;
}

/**
 * Imports a PKCS#8 PEM ECDSA P-256 private key as a non-extractable signing key. Import once and
 * reuse the key: importing costs more than signing.
 *
 * @param privateKeyPem PEM `-----BEGIN PRIVATE KEY-----`.
 * @returns A WebCrypto signing key.
 * @throws {AgentPinError} `INVALID_KEY` for anything but an unencrypted P-256 PKCS#8 key.
 *
 * @example Import once, issue many
 * ```ts
 * import { generateKeyPair, importPrivateKey } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const key = await importPrivateKey(keys.privateKeyPem);
 * console.log(key.type); // "private"
 * ```
 */
export async function importPrivateKey(privateKeyPem: string): Promise<CryptoKey> {
  const der = derFromPem(privateKeyPem, "PRIVATE KEY");
  try {
    return await crypto.subtle.importKey("pkcs8", der as BufferSource, EC, false, ["sign"]);
  } catch (error) {
    throw invalidKey("the private key is not an ECDSA P-256 PKCS#8 key", error);
  }
}

/** Resolves a private key input to a signing CryptoKey. */
export async function toSigningKey(key: PrivateKeyInput): Promise<CryptoKey> {
  if (typeof key === "string") return await importPrivateKey(key);
  if (
    typeof CryptoKey !== "undefined" && key instanceof CryptoKey && key.type === "private" &&
    (key.algorithm as EcKeyAlgorithm).namedCurve === "P-256" && key.algorithm.name === "ECDSA"
  ) {
    return key;
  }
  throw invalidKey("expected a PKCS#8 PEM string or an ECDSA P-256 private CryptoKey");
}

function checkCoordinate(value: unknown, name: string): string {
  if (typeof value !== "string") throw invalidKey(`JWK member '${name}' must be a string`);
  const bytes = b64urlDecode(value);
  if (!bytes || bytes.length !== 32) {
    throw invalidKey(`JWK member '${name}' must be 32 bytes of unpadded base64url`);
  }
  return value;
}

/**
 * Checks that a JWK is an EC P-256 public key with 32-byte coordinates and returns its canonical
 * members.
 */
export function checkJwk(jwk: unknown): { crv: "P-256"; kty: "EC"; x: string; y: string } {
  if (typeof jwk !== "object" || jwk === null) throw invalidKey("a JWK must be an object");
  const j = jwk as Record<string, unknown>;
  if (j.kty !== "EC" || j.crv !== "P-256") throw invalidKey("the JWK must be kty EC, crv P-256");
  if ("d" in j) throw invalidKey("the JWK holds a private key ('d'); publish public keys only");
  return { crv: "P-256", kty: "EC", x: checkCoordinate(j.x, "x"), y: checkCoordinate(j.y, "y") };
}

async function importJwkPublic(jwk: unknown): Promise<CryptoKey> {
  const { crv, kty, x, y } = checkJwk(jwk);
  try {
    return await crypto.subtle.importKey("jwk", { crv, kty, x, y, ext: true }, EC, true, [
      "verify",
    ]);
  } catch (error) {
    throw invalidKey("the JWK is not a point on P-256", error);
  }
}

async function importSpkiPublic(pem: string): Promise<CryptoKey> {
  const der = derFromPem(pem, "PUBLIC KEY");
  try {
    return await crypto.subtle.importKey("spki", der as BufferSource, EC, true, ["verify"]);
  } catch (error) {
    throw invalidKey("the public key is not an ECDSA P-256 SPKI key", error);
  }
}

/**
 * Imports a public key (SPKI PEM, JWK or CryptoKey) as an extractable verification key.
 *
 * @param key The public key.
 * @returns A WebCrypto verification key.
 * @throws {AgentPinError} `INVALID_KEY` for anything but an EC P-256 public key.
 *
 * @example From a PEM
 * ```ts
 * import { generateKeyPair, importPublicKey } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const key = await importPublicKey(keys.publicKeyPem);
 * console.log(key.type); // "public"
 * ```
 */
export async function importPublicKey(key: PublicKeyInput): Promise<CryptoKey> {
  if (typeof key === "string") return await importSpkiPublic(key);
  if (typeof CryptoKey !== "undefined" && key instanceof CryptoKey) {
    if (
      key.type !== "public" || key.algorithm.name !== "ECDSA" ||
      (key.algorithm as EcKeyAlgorithm).namedCurve !== "P-256"
    ) {
      throw invalidKey("expected an ECDSA P-256 public CryptoKey");
    }
    return key;
  }
  return await importJwkPublic(key);
}

async function spkiDer(key: PublicKeyInput): Promise<Uint8Array> {
  const imported = await importPublicKey(key);
  try {
    return new Uint8Array(await crypto.subtle.exportKey("spki", imported));
  } catch (error) {
    throw invalidKey("the public key is not extractable", error);
  }
}

/**
 * Generates an ECDSA P-256 key pair with WebCrypto and returns it as PEM (PKCS#8 and SPKI) and
 * as a JWK, with its key id.
 *
 * @returns The key pair.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * console.log(keys.privateKeyPem.startsWith("-----BEGIN PRIVATE KEY-----")); // true
 * ```
 */
export async function generateKeyPair(): Promise<GeneratedKeyPair> {
  const pair = await crypto.subtle.generateKey(EC, true, ["sign", "verify"]) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const kid = toHex(await sha256(spki));
  return {
    privateKeyPem: toPem(b64Encode(pkcs8), "PRIVATE KEY"),
    publicKeyPem: toPem(b64Encode(spki), "PUBLIC KEY"),
    publicKeyJwk: {
      kid,
      kty: "EC",
      crv: "P-256",
      x: jwk.x as string,
      y: jwk.y as string,
      use: "sig",
      key_ops: ["verify"],
    },
    kid,
  };
}

/**
 * The reference key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (64 characters).
 * The same digest SchemaPin prints as `sha256:<hex>`.
 *
 * @param publicKey SPKI PEM, JWK or CryptoKey.
 * @returns 64 lowercase hex characters.
 * @throws {AgentPinError} `INVALID_KEY`.
 *
 * @example Usage
 * ```ts
 * import { generateKeyId, generateKeyPair } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * console.log(await generateKeyId(keys.publicKeyPem) === keys.kid); // true
 * ```
 */
export async function generateKeyId(publicKey: PublicKeyInput): Promise<string> {
  return toHex(await sha256(await spkiDer(publicKey)));
}

/**
 * Converts an SPKI PEM public key to a discovery JWK
 * (`{kid, kty, crv, x, y, use: "sig", key_ops: ["verify"]}`).
 *
 * @param publicKeyPem SPKI PEM.
 * @param kid The key id to set.
 * @returns The JWK.
 * @throws {AgentPinError} `INVALID_KEY`, or `INVALID_ARGUMENT` for a bad kid.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, pemToJwk } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * const jwk = await pemToJwk(keys.publicKeyPem, "example-2026-01");
 * console.log(jwk.crv); // "P-256"
 * ```
 */
export async function pemToJwk(publicKeyPem: string, kid: string): Promise<AgentPinJwk> {
  checkKid(kid);
  const key = await importSpkiPublic(publicKeyPem);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return {
    kid,
    kty: "EC",
    crv: "P-256",
    x: jwk.x as string,
    y: jwk.y as string,
    use: "sig",
    key_ops: ["verify"],
  };
}

/**
 * Converts an EC P-256 public JWK to an SPKI PEM string.
 *
 * @param jwk The JWK (`kty` EC, `crv` P-256, 32-byte `x`/`y`).
 * @returns SPKI PEM with LF line endings.
 * @throws {AgentPinError} `INVALID_KEY`.
 *
 * @example Round trip
 * ```ts
 * import { generateKeyPair, jwkToPem } from "@symbiont/sdk/agentpin";
 * const keys = await generateKeyPair();
 * console.log(await jwkToPem(keys.publicKeyJwk) === keys.publicKeyPem); // true
 * ```
 */
export async function jwkToPem(jwk: AgentPinJwk | JsonWebKey): Promise<string> {
  return toPem(b64Encode(await spkiDer(jwk as AgentPinJwk)), "PUBLIC KEY");
}

function thumbprintInput(jwk: unknown): string {
  const { crv, kty, x, y } = checkJwk(jwk);
  return `{"crv":"${crv}","kty":"${kty}","x":"${x}","y":"${y}"}`;
}

/**
 * The JWK thumbprint as the reference packages pin it: SHA-256 over RFC 7638's canonical
 * `{"crv","kty","x","y"}` JSON, **hex**-encoded. Used as `public_key_hash` in pin stores.
 *
 * @param jwk The public JWK.
 * @returns 64 lowercase hex characters.
 * @throws {AgentPinError} `INVALID_KEY`.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, jwkThumbprint } from "@symbiont/sdk/agentpin";
 * const { publicKeyJwk } = await generateKeyPair();
 * console.log((await jwkThumbprint(publicKeyJwk)).length); // 64
 * ```
 */
export async function jwkThumbprint(jwk: AgentPinJwk | JsonWebKey): Promise<string> {
  return toHex(await sha256(thumbprintInput(jwk)));
}

/**
 * The RFC 7638 JWK thumbprint: the same SHA-256 as {@link jwkThumbprint}, base64url-encoded
 * (what jose's `calculateJwkThumbprint` returns).
 *
 * @param jwk The public JWK.
 * @returns 43 base64url characters.
 * @throws {AgentPinError} `INVALID_KEY`.
 *
 * @example Usage
 * ```ts
 * import { generateKeyPair, jwkThumbprintBase64url } from "@symbiont/sdk/agentpin";
 * const { publicKeyJwk } = await generateKeyPair();
 * console.log((await jwkThumbprintBase64url(publicKeyJwk)).length); // 43
 * ```
 */
export async function jwkThumbprintBase64url(jwk: AgentPinJwk | JsonWebKey): Promise<string> {
  return b64urlEncode(await sha256(thumbprintInput(jwk)));
}

/** Validates a key id: a non-empty string of at most 128 characters, no control characters. */
export function checkKid(kid: unknown): string {
  // deno-lint-ignore no-control-regex
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 128 || /[\x00-\x1f]/.test(kid)) {
    throw new AgentPinError(
      ErrorCode.INVALID_ARGUMENT,
      "kid must be a non-empty string of at most 128 printable characters",
    );
  }
  return kid;
}

interface CachedKey {
  key: CryptoKey;
  thumbprint: string;
}
const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, Promise<CachedKey>>();

/**
 * Imports (once, then from a bounded cache) the verification key and pin thumbprint of a JWK.
 * Internal to the module.
 */
export function cachedVerifyKey(jwk: unknown): Promise<CachedKey> {
  const j = jwk as Record<string, unknown> | null;
  const id = typeof j?.x === "string" && typeof j.y === "string" ? j.x + "." + j.y : "";
  let hit = id ? keyCache.get(id) : undefined;
  if (hit && j?.kty === "EC" && j.crv === "P-256" && !("d" in j)) return hit;
  checkJwk(jwk);
  hit = (async () => ({
    key: await importJwkPublic(jwk),
    thumbprint: toHex(await sha256(thumbprintInput(jwk))),
  }))();
  hit.catch(() => keyCache.delete(id));
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
  keyCache.set(id, hit);
  return hit;
}
