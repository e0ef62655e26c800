/**
 * Strict base64 and base64url codecs (no padding for base64url, canonical trailing bits), shared by
 * the AgentPin module. Internal: not exported from mod.ts.
 */

const URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function table(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const URL_TABLE = table(URL_ALPHABET);
const STD_TABLE = table(STD_ALPHABET);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + alphabet[(v >> 6) & 63] +
      alphabet[v & 63];
  }
  const rest = n - i;
  if (rest === 1) {
    const v = bytes[i] << 16;
    out += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + (pad ? "==" : "");
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += alphabet[v >> 18] + alphabet[(v >> 12) & 63] + alphabet[(v >> 6) & 63] +
      (pad ? "=" : "");
  }
  return out;
}

function decode(text: string, t: Int16Array): Uint8Array | undefined {
  const len = text.length;
  if (len % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const a = sextet(text, i, t), b = sextet(text, i + 1, t);
    const c = sextet(text, i + 2, t), d = sextet(text, i + 3, t);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = len - i;
  if (rest === 2) {
    const a = sextet(text, i, t), b = sextet(text, i + 1, t);
    if ((a | b) < 0 || (b & 15) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = sextet(text, i, t), b = sextet(text, i + 1, t), c = sextet(text, i + 2, t);
    if ((a | b | c) < 0 || (c & 3) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

function sextet(text: string, i: number, t: Int16Array): number {
  const code = text.charCodeAt(i);
  return code < 128 ? t[code] : -1;
}

/** base64url without padding. */
export function b64urlEncode(bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, false);
}

/** Strict base64url decode (no padding, canonical); `undefined` when malformed. */
export function b64urlDecode(text: string): Uint8Array | undefined {
  return decode(text, URL_TABLE);
}

/** Standard base64 with padding. */
export function b64Encode(bytes: Uint8Array): string {
  return encode(bytes, STD_ALPHABET, true);
}

/** Standard base64 decode; padding optional but must be correct; `undefined` when malformed. */
export function b64Decode(text: string): Uint8Array | undefined {
  let body = text;
  if (body.endsWith("==")) body = body.slice(0, -2);
  else if (body.endsWith("=")) body = body.slice(0, -1);
  if (body.length !== text.length && text.length % 4 !== 0) return undefined;
  return decode(body, STD_TABLE);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
  return out;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** SHA-256 of bytes or a UTF-8 string. */
export async function sha256(data: Uint8Array | string): Promise<Uint8Array> {
  const bytes = typeof data === "string" ? utf8(data) : data;
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
}
