// Byte helpers shared by the verifiers: UTF-8, hex, base64 and base64url. Decoders return
// undefined on any invalid input instead of throwing, so callers choose the error.

const encoder = new TextEncoder();

/** Bytes backed by an ArrayBuffer, as WebCrypto wants them. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** UTF-8 bytes of a string, or the bytes themselves. */
export function toBytes(data: string | Uint8Array | ArrayBuffer): Bytes {
  if (typeof data === "string") return encoder.encode(data);
  return (data instanceof Uint8Array ? data : new Uint8Array(data)) as Bytes;
}

/** `prefix` (UTF-8) followed by `body`, as one byte array. */
export function withPrefix(prefix: string, body: string | Uint8Array | ArrayBuffer): Bytes {
  if (!prefix) return toBytes(body);
  if (typeof body === "string") return encoder.encode(prefix + body);
  const head = encoder.encode(prefix);
  const tail = toBytes(body);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const HEX = "0123456789abcdef";

/** Lowercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

function nibble(c: number): number {
  // 0-9, A-F, a-f; anything else gives -1.
  if (c >= 48 && c <= 57) return c - 48;
  c |= 32;
  return c >= 97 && c <= 102 ? c - 87 : -1;
}

/** Bytes of a hex string (either case), or undefined when it is not even-length hex. */
export function fromHex(text: string): Bytes | undefined {
  if (text.length % 2) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = hi * 16 + lo;
  }
  return out;
}

/** Standard base64 (with padding) of bytes. */
export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

/** Bytes of standard base64 (padding optional), or undefined when invalid. */
export function fromBase64(text: string): Bytes | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** Bytes of unpadded base64url (JWS), or undefined when invalid. */
export function fromBase64Url(text: string): Bytes | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));
}
