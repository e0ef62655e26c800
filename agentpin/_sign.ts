/** ECDSA P-256 signing helpers for attestations and mutual auth (DER, standard base64). Internal. */
import { b64Decode, b64Encode, b64urlDecode } from "./_base64.ts";
import { derToRaw, rawToDer } from "./_der.ts";

const ECDSA = { name: "ECDSA", hash: "SHA-256" } as const;

/** Signs bytes; returns the DER signature in standard base64, as the reference does. */
export async function signB64Der(key: CryptoKey, data: Uint8Array): Promise<string> {
  const raw = new Uint8Array(await crypto.subtle.sign(ECDSA, key, data as BufferSource));
  return b64Encode(rawToDer(raw));
}

/** Verifies a base64 (standard, or base64url) signature, DER or raw r||s. */
export async function verifyB64(
  key: CryptoKey,
  data: Uint8Array,
  signature: unknown,
): Promise<boolean> {
  if (typeof signature !== "string" || signature.length > 200) return false;
  const bytes = b64Decode(signature) ?? b64urlDecode(signature);
  if (!bytes) return false;
  const candidates: Uint8Array[] = [];
  if (bytes.length === 64) candidates.push(bytes);
  const raw = bytes[0] === 0x30 ? derToRaw(bytes) : undefined;
  if (raw) candidates.push(raw);
  for (const sig of candidates) {
    if (await crypto.subtle.verify(ECDSA, key, sig as BufferSource, data as BufferSource)) {
      return true;
    }
  }
  return false;
}
