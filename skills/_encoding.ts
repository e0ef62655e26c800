/**
 * Byte encodings for SchemaPin: hex, standard base64, PEM, and ECDSA P-256 signatures in ASN.1
 * DER (what SchemaPin writes) versus raw r||s (what WebCrypto reads and writes). Internal.
 */

const HEX = "0123456789abcdef";

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** Standard base64 (padding optional, whitespace ignored); `undefined` when malformed. */
export function fromBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) return undefined;
  try {
    const bin = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** The DER body of a PEM block with the given label; `undefined` when absent or malformed. */
export function pemBody(pem: string, label: string): Uint8Array | undefined {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`);
  const m = re.exec(pem);
  if (!m) return undefined;
  const der = fromBase64(m[1]);
  return der && der.length > 0 ? der : undefined;
}

/** PEM with 64-character lines and LF endings. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = toBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function derInteger(value: Uint8Array): Uint8Array {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  let v = value.subarray(i);
  if (v[0] & 0x80) {
    const padded = new Uint8Array(v.length + 1);
    padded.set(v, 1);
    v = padded;
  }
  const out = new Uint8Array(2 + v.length);
  out[0] = 0x02;
  out[1] = v.length;
  out.set(v, 2);
  return out;
}

/** Raw 64-byte r||s to DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const r = derInteger(raw.subarray(0, 32));
  const s = derInteger(raw.subarray(32, 64));
  const out = new Uint8Array(2 + r.length + s.length);
  out[0] = 0x30;
  out[1] = r.length + s.length;
  out.set(r, 2);
  out.set(s, 2 + r.length);
  return out;
}

/**
 * DER `SEQUENCE { INTEGER r, INTEGER s }` to raw 64-byte r||s; `undefined` unless the encoding is
 * strict DER for P-256 (short lengths, minimal positive integers of at most 32 bytes, nothing
 * trailing).
 */
export function derToRaw(der: Uint8Array): Uint8Array | undefined {
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return undefined;
  const out = new Uint8Array(64);
  let pos = 2;
  for (let part = 0; part < 2; part++) {
    if (der[pos] !== 0x02) return undefined;
    const len = der[pos + 1];
    if (len === 0 || len > 33 || pos + 2 + len > der.length) return undefined;
    let v = der.subarray(pos + 2, pos + 2 + len);
    if (v[0] & 0x80) return undefined; // negative
    if (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) return undefined; // not minimal
    if (v[0] === 0 && v.length > 1) v = v.subarray(1);
    if (v.length > 32) return undefined;
    out.set(v, part * 32 + 32 - v.length);
    pos += 2 + len;
  }
  return pos === der.length ? out : undefined;
}
