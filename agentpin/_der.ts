/**
 * ECDSA P-256 signature encodings: ASN.1 DER (what the reference AgentPin packages emit) and raw
 * r||s (JOSE / WebCrypto). Internal.
 */

function trimInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = bytes.subarray(i);
  if (v[0] & 0x80) {
    const out = new Uint8Array(v.length + 1);
    out.set(v, 1);
    return out;
  }
  return v;
}

/** Raw 64-byte r||s to DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const r = trimInteger(raw.subarray(0, 32));
  const s = trimInteger(raw.subarray(32, 64));
  const body = 4 + r.length + s.length; // at most 70, so a short-form length
  const out = new Uint8Array(2 + body);
  out[0] = 0x30;
  out[1] = body;
  out[2] = 0x02;
  out[3] = r.length;
  out.set(r, 4);
  out[4 + r.length] = 0x02;
  out[5 + r.length] = s.length;
  out.set(s, 6 + r.length);
  return out;
}

function readInteger(der: Uint8Array, at: number, into: Uint8Array, offset: number): number {
  if (der[at] !== 0x02) return -1;
  const len = der[at + 1];
  if (len === undefined || len < 1 || len > 33 || at + 2 + len > der.length) return -1;
  const start = at + 2;
  const v = der.subarray(start, start + len);
  if (v[0] & 0x80) return -1; // negative
  if (len > 1 && v[0] === 0 && !(v[1] & 0x80)) return -1; // non-minimal
  const digits = v[0] === 0 && len > 1 ? v.subarray(1) : v;
  if (digits.length > 32) return -1;
  into.set(digits, offset + 32 - digits.length);
  return start + len;
}

/** Strict DER to raw 64-byte r||s; `undefined` when not a minimal DER ECDSA P-256 signature. */
export function derToRaw(der: Uint8Array): Uint8Array | undefined {
  if (der.length < 8 || der.length > 72 || der[0] !== 0x30 || der[1] !== der.length - 2) {
    return undefined;
  }
  const raw = new Uint8Array(64);
  const next = readInteger(der, 2, raw, 0);
  if (next < 0) return undefined;
  const end = readInteger(der, next, raw, 32);
  if (end !== der.length) return undefined;
  return raw;
}

/** Splits a PEM block; `undefined` when the text is not exactly one block with that label. */
export function pemBody(pem: string, label: string): string | undefined {
  const text = pem.trim();
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  if (!text.startsWith(begin) || !text.endsWith(end)) return undefined;
  return text.slice(begin.length, text.length - end.length).replace(/[\r\n\t ]+/g, "");
}

/** The label of the first PEM block, if any (for error messages). */
export function pemLabel(pem: string): string | undefined {
  return /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
}

/** Wraps DER in a PEM block with 64-character lines and LF line endings. */
export function toPem(b64: string, label: string): string {
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
