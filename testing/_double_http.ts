/**
 * Wire helpers shared by the runtime doubles: responses with the runtime's shapes (empty bodies,
 * ErrorResponse, axum's text/plain rejections), body decoding with axum's order of checks, a small
 * serde-like validator that answers 422 where the runtime's typed extractor would, UUID parsing as the
 * `uuid` crate accepts it, and chrono's two timestamp formats. Web standards only.
 *
 * @module
 */

/** The security headers the runtime's outermost layer adds to every response on port 8080. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
};

/** A response with no body (401, 429, 404 for unknown paths, 200 for heartbeat, 204, ...). */
export function empty(status: number, headers?: Record<string, string>): Response {
  return new Response(null, { status, headers });
}

/** A JSON response, as axum's `Json` writes it. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/** The runtime's ErrorResponse: `{error, code, details: null}`. */
export function errorBody(status: number, code: string, error: string): Response {
  return json(status, { error, code, details: null });
}

/** An axum framework rejection: text/plain with a short sentence. */
export function text(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/** A response ready to be returned at once by the request pipeline. */
export class Reject {
  readonly response: Response;
  constructor(response: Response) {
    this.response = response;
  }
}

// ---- timestamps ----

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

/** A `DateTime<Utc>` field as serde writes it: RFC 3339, `Z`, fraction only when non-zero. */
export function timestampZ(ms: number): string {
  return iso(ms);
}

/** A string built with chrono's `to_rfc3339()`: RFC 3339 with `+00:00`. */
export function timestampOffset(ms: number): string {
  return iso(ms).replace(/Z$/, "+00:00");
}

// ---- UUIDs ----

const HEX32 = /^[0-9a-fA-F]{32}$/;
const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Parses a UUID in any form the `uuid` crate accepts (hyphenated, simple, braced, `urn:uuid:`) and
 * returns it lowercase and hyphenated, or `undefined`.
 */
export function parseUuid(value: string): string | undefined {
  let v = value;
  if (v.startsWith("urn:uuid:")) v = v.slice(9);
  else if (v.startsWith("{") && v.endsWith("}")) v = v.slice(1, -1);
  let hex: string;
  if (HYPHENATED.test(v)) hex = v.replaceAll("-", "");
  else if (HEX32.test(v)) hex = v;
  else return undefined;
  hex = hex.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

/** A fresh random (v4) UUID. */
export function uuid(): string {
  return crypto.randomUUID();
}

// ---- a serde-like validator ----

/** Thrown by validators; becomes axum's 422 "Failed to deserialize the JSON body ...". */
export class DataError extends Error {}

/** Reads one JSON value into a typed value, or throws {@link DataError}. */
export type Validator<T> = (value: unknown, path: string) => T;

/** Marks a struct field that may be absent (`Option<T>` or `#[serde(default)]`). */
interface OptionalValidator<T> extends Validator<T> {
  optional: true;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "number") {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
  }
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return "sequence";
  return "map";
}

function typeError(path: string, value: unknown, expected: string): DataError {
  return new DataError(`${path}: invalid type: ${describe(value)}, expected ${expected}`);
}

/** A JSON string. */
export const str: Validator<string> = (v, p) => {
  if (typeof v !== "string") throw typeError(p, v, "a string");
  return v;
};

/** A JSON boolean. */
export const bool: Validator<boolean> = (v, p) => {
  if (typeof v !== "boolean") throw typeError(p, v, "a boolean");
  return v;
};

/** An unsigned integer no larger than `max` (u64 by default, as far as JSON numbers go). */
export function uint(max = Number.MAX_SAFE_INTEGER, what = "u64"): Validator<number> {
  return (v, p) => {
    if (typeof v !== "number" || !Number.isInteger(v)) throw typeError(p, v, what);
    if (v < 0 || v > max) {
      throw new DataError(`${p}: invalid value: integer \`${v}\`, expected ${what}`);
    }
    return v;
  };
}

/** Any JSON value (`serde_json::Value`): present, possibly `null`. */
export const anyValue: Validator<unknown> = (v) => v;

/** A UUID string (`AgentId`, `Uuid`), returned canonical. */
export const uuidValue: Validator<string> = (v, p) => {
  if (typeof v !== "string") throw typeError(p, v, "a UUID string");
  const id = parseUuid(v);
  if (!id) throw new DataError(`${p}: UUID parsing failed: invalid UUID ${JSON.stringify(v)}`);
  return id;
};

/** One of the given strings (a unit enum). */
export function oneOf<T extends string>(values: readonly T[]): Validator<T> {
  return (v, p) => {
    if (typeof v !== "string") throw typeError(p, v, "a unit variant");
    if (!values.includes(v as T)) {
      throw new DataError(
        `${p}: unknown variant \`${v}\`, expected one of ${
          values.map((x) => `\`${x}\``).join(", ")
        }`,
      );
    }
    return v as T;
  };
}

/** A JSON array of one type. */
export function arrayOf<T>(item: Validator<T>): Validator<T[]> {
  return (v, p) => {
    if (!Array.isArray(v)) throw typeError(p, v, "a sequence");
    return v.map((x, i) => item(x, `${p}[${i}]`));
  };
}

/** A JSON object with string values (`HashMap<String, String>`). */
export const stringMap: Validator<Record<string, string>> = (v, p) => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw typeError(p, v, "a map");
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = str(x, `${p}.${k}`);
  return out;
};

/** `Option<T>`: absent or `null` reads as `undefined`. */
export function optional<T>(inner: Validator<T>): OptionalValidator<T | undefined> {
  const f =
    ((v: unknown, p: string) =>
      v === undefined || v === null ? undefined : inner(v, p)) as OptionalValidator<T | undefined>;
  f.optional = true;
  return f;
}

/** `#[serde(default)]` on a non-Option field: absent reads as the default, `null` is an error. */
export function withDefault<T>(inner: Validator<T>, fallback: () => T): OptionalValidator<T> {
  const f =
    ((v: unknown, p: string) => v === undefined ? fallback() : inner(v, p)) as OptionalValidator<T>;
  f.optional = true;
  return f;
}

type Shape = Record<string, Validator<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Validator<infer T> ? T : never };

/** A struct: unknown fields ignored, required fields must be present. */
export function struct<S extends Shape>(shape: S, name = "struct"): Validator<Out<S>> {
  return (v, p) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      throw typeError(p, v, `struct ${name}`);
    }
    const record = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, validator] of Object.entries(shape)) {
      const present = Object.prototype.hasOwnProperty.call(record, key);
      if (!present && !(validator as Partial<OptionalValidator<unknown>>).optional) {
        throw new DataError(`${p}: missing field \`${key}\``);
      }
      out[key] = validator(present ? record[key] : undefined, p === "." ? key : `${p}.${key}`);
    }
    return out as Out<S>;
  };
}

// ---- request bodies ----

/** axum's default body limit (2 MiB). */
export const DEFAULT_BODY_LIMIT = 2 * 1024 * 1024;

function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const mime = value.split(";")[0].trim().toLowerCase();
  const [type, subtype] = mime.split("/");
  if (type !== "application" || !subtype) return false;
  return subtype === "json" || subtype.endsWith("+json");
}

/** Reads a body up to `limit` bytes; undefined when it is longer (checked while streaming). */
export async function readLimited(
  request: Request,
  limit: number,
): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) return undefined;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * axum's `Json<T>` extractor: 415 without a JSON content type, 413 over the limit, 400 for bytes that
 * are not JSON, 422 when the JSON does not fit `validator`. All text/plain.
 */
export async function readJson<T>(
  request: Request,
  validator: Validator<T>,
  limit = DEFAULT_BODY_LIMIT,
): Promise<T> {
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new Reject(text(415, "Expected request with `Content-Type: application/json`"));
  }
  const bytes = await readLimited(request, limit);
  if (!bytes) {
    throw new Reject(text(413, "Failed to buffer the request body: length limit exceeded"));
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    const reason = bytes.length === 0
      ? "EOF while parsing a value at line 1 column 0"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new Reject(text(400, `Failed to parse the request body as JSON: ${reason}`));
  }
  try {
    return validator(value, ".");
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    throw new Reject(
      text(422, `Failed to deserialize the JSON body into the target type: ${error.message}`),
    );
  }
}

/**
 * axum's `Option<Json<T>>`: any problem with the body (missing, not JSON, wrong shape, too large)
 * reads as `undefined` instead of a rejection.
 */
export async function readOptionalJson<T>(
  request: Request,
  validator: Validator<T>,
  limit = DEFAULT_BODY_LIMIT,
): Promise<T | undefined> {
  try {
    return await readJson(request, validator, limit);
  } catch (error) {
    if (error instanceof Reject) return undefined;
    throw error;
  }
}

/** The constant-time comparison the runtime uses for the legacy token. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
