/**
 * Argument validation for the 15 ToolClad types, following the Rust reference (trust-stack.md §C.2).
 * Pure functions; no I/O.
 *
 * @module
 */
import { ToolCladError, ToolCladErrorCode } from "./errors.ts";
import type { ArgDef, ArgType, ArgValue, CustomTypes } from "./types.ts";
import { ARG_TYPES } from "./types.ts";

/**
 * Characters rejected by the injection check: the Rust reference's set (newline, CR and
 * `; | & $ \` ( ) { } [ ] < >  !`) plus NUL, which no argv element can carry.
 */
export const SHELL_METACHARACTERS: readonly string[] = Object.freeze([
  "\n",
  "\r",
  ";",
  "|",
  "&",
  "$",
  "`",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "<",
  ">",
  "!",
  "\0",
]);

const MSF_VALUE_DENY = SHELL_METACHARACTERS.filter((c) => c !== ";");
const NETWORK_TYPES = new Set(["scope_target", "url", "ip_address", "cidr"]);
const SCOPE_TARGET_MAX_BYTES = 253;
const IPV4_SHAPE = /^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/;
const CIDR_V4 = /^([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})\/([0-9]{1,2})$/;
const HOSTNAME =
  /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/;
const URL_SHAPE = /^https?:\/\/[a-zA-Z0-9\-.]+(\/\S*)?$/u;
const MSF_KEY = /^[A-Z][A-Z0-9_]*$/;
const DURATION = /^(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const utf8 = new TextEncoder();

/**
 * Returns the first rejected metacharacter in `value`, or `undefined` when there is none.
 *
 * @param value The text to scan.
 * @returns The offending character, or `undefined`.
 *
 * @example Spotting command substitution
 * ```ts
 * import { findMetacharacter } from "@symbiont/sdk/toolclad";
 *
 * findMetacharacter("$(whoami)"); // "$"
 * findMetacharacter("example.com"); // undefined
 * ```
 */
export function findMetacharacter(value: string): string | undefined {
  for (const ch of SHELL_METACHARACTERS) if (value.includes(ch)) return ch;
  return undefined;
}

/**
 * Parses a dotted-quad IPv4 address as strictly as Rust's `Ipv4Addr` (four decimal octets
 * 0–255, no leading zeros).
 *
 * @param text The candidate address.
 * @returns The four octets, or `null` when `text` is not an IPv4 address.
 *
 * @example Octal-looking octets are refused
 * ```ts
 * import { parseIpv4 } from "@symbiont/sdk/toolclad";
 *
 * parseIpv4("10.0.0.1"); // [10, 0, 0, 1]
 * parseIpv4("010.0.0.1"); // null
 * ```
 */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return null;
    if (part.length > 1 && part[0] === "0") return null;
    const n = Number(part);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

/**
 * Parses an IPv6 address as Rust's `Ipv6Addr` does: hex groups, one `::`, an optional trailing
 * IPv4 part; no zone ids or brackets.
 *
 * @param text The candidate address.
 * @returns The eight 16-bit groups, or `null` when `text` is not an IPv6 address.
 *
 * @example Junk that loose regexes accept is refused
 * ```ts
 * import { parseIpv6 } from "@symbiont/sdk/toolclad";
 *
 * parseIpv6("2001:db8::1")?.length; // 8
 * parseIpv6(":::"); // null
 * ```
 */
export function parseIpv6(text: string): number[] | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const readGroups = (part: string, limit: number): number[] | null => {
    if (part === "") return [];
    const items = part.split(":");
    const groups: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes(".")) {
        const v4 = parseIpv4(item);
        if (!v4) return null;
        groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return null;
      groups.push(parseInt(item, 16));
    }
    return groups.length > limit ? null : groups;
  };
  if (halves.length === 1) {
    const groups = readGroups(halves[0], 8);
    return groups && groups.length === 8 ? groups : null;
  }
  const head = readGroups(halves[0], 7);
  const tail = readGroups(halves[1], 7);
  if (!head || !tail || head.length + tail.length > 7) return null;
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

/**
 * Compiles a manifest regex. Patterns are searched anywhere in the value (as Rust `is_match`);
 * a leading inline flag group such as `(?i)` is turned into the JavaScript flag.
 *
 * @param pattern The manifest's `pattern`.
 * @returns The compiled expression (Unicode mode).
 * @throws {ToolCladError} `TOOLCLAD_MANIFEST_INVALID` when the pattern does not compile.
 *
 * @example Case-insensitive pattern
 * ```ts
 * import { compilePattern } from "@symbiont/sdk/toolclad";
 *
 * compilePattern("(?i)^abc$").test("ABC"); // true
 * ```
 */
export function compilePattern(pattern: string): RegExp {
  let source = pattern;
  let flags = "u";
  const inline = /^\(\?([imsx]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]) {
      if (f === "x") {
        throw new ToolCladError(
          ToolCladErrorCode.MANIFEST_INVALID,
          `pattern '${pattern}' uses the (?x) flag, which JavaScript regexes do not support`,
        );
      }
      if (!flags.includes(f)) flags += f;
    }
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new ToolCladError(
      ToolCladErrorCode.MANIFEST_INVALID,
      `pattern '${pattern}' is not a valid regular expression: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Formats a float the way Rust's `f64` `Display` does (no exponent; `1.0` prints as `1`).
 *
 * @param n A finite number.
 * @returns The decimal text.
 *
 * @example
 * ```ts
 * import { formatFloat } from "@symbiont/sdk/toolclad";
 *
 * formatFloat(1e21); // "1000000000000000000000"
 * ```
 */
export function formatFloat(n: number): string {
  if (Object.is(n, -0)) return "-0";
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac = "", expText] = m;
  const digits = int + frac;
  const exp = Number(expText) - frac.length;
  if (exp >= 0) return sign + digits + "0".repeat(exp);
  const point = digits.length + exp;
  if (point > 0) return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${sign}0.${"0".repeat(-point)}${digits}`;
}

/**
 * Converts a caller's value to the string the validators work on: strings as they are, numbers
 * and booleans as their text (so MCP clients may send JSON numbers).
 *
 * @param name Argument name, for the error.
 * @param value The supplied value.
 * @returns The string form.
 * @throws {ToolCladError} `TOOLCLAD_ARG_INVALID` for objects, arrays, null and non-finite numbers.
 *
 * @example
 * ```ts
 * import { argValueToString } from "@symbiont/sdk/toolclad";
 *
 * argValueToString("port", 443); // "443"
 * ```
 */
export function argValueToString(name: string, value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw argError(name, `argument '${name}' must be a finite number`);
    }
    return formatFloat(value);
  }
  throw argError(
    name,
    `argument '${name}' must be a string, number or boolean, got ${
      value === null ? "null" : Array.isArray(value) ? "an array" : typeof value
    }`,
  );
}

function argError(name: string, message: string): ToolCladError {
  return new ToolCladError(ToolCladErrorCode.ARG_INVALID, message, { arg: name });
}

function rejectInjection(
  name: string,
  value: string,
  set: readonly string[] = SHELL_METACHARACTERS,
) {
  for (const ch of set) {
    if (value.includes(ch)) {
      throw argError(
        name,
        `argument '${name}' contains disallowed shell metacharacter ${JSON.stringify(ch)}`,
      );
    }
  }
}

function trimUnicode(value: string): string {
  return value.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, "");
}

function parseI64(text: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const n = BigInt(text);
  return n < I64_MIN || n > I64_MAX ? null : n;
}

function parseF64(text: string): number | null {
  if (/^[+-]?(inf|infinity|nan)$/i.test(text)) return Number.NaN; // parses, then fails finiteness
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return null;
  return Number(text);
}

function validateString(name: string, def: ArgDef, value: string): string {
  rejectInjection(name, value);
  if (def.pattern !== undefined && !compilePattern(def.pattern).test(value)) {
    throw argError(name, `argument '${name}' does not match pattern '${def.pattern}'`);
  }
  return value;
}

function validateInteger(name: string, def: ArgDef, value: string): string {
  let n = parseI64(value);
  if (n === null) throw argError(name, `argument '${name}' is not a valid integer`);
  if (def.min !== undefined && n < def.min) {
    if (!def.clamp) {
      throw argError(name, `argument '${name}' value ${n} is below minimum ${def.min}`);
    }
    n = def.min;
  }
  if (def.max !== undefined && n > def.max) {
    if (!def.clamp) {
      throw argError(name, `argument '${name}' value ${n} is above maximum ${def.max}`);
    }
    n = def.max;
  }
  return n.toString();
}

function validateNumber(name: string, def: ArgDef, value: string): string {
  let n = parseF64(value);
  if (n === null) throw argError(name, `argument '${name}' is not a valid number`);
  if (!Number.isFinite(n)) {
    throw argError(name, `argument '${name}' must be a finite number (no NaN or infinity)`);
  }
  const lo = def.min_float ?? (def.min === undefined ? undefined : Number(def.min));
  const hi = def.max_float ?? (def.max === undefined ? undefined : Number(def.max));
  if (lo !== undefined && n < lo) {
    if (!def.clamp) {
      throw argError(
        name,
        `argument '${name}' value ${formatFloat(n)} is below minimum ${formatFloat(lo)}`,
      );
    }
    n = lo;
  }
  if (hi !== undefined && n > hi) {
    if (!def.clamp) {
      throw argError(
        name,
        `argument '${name}' value ${formatFloat(n)} is above maximum ${formatFloat(hi)}`,
      );
    }
    n = hi;
  }
  return formatFloat(n);
}

function validatePort(name: string, value: string): string {
  if (!/^\+?[0-9]+$/.test(value)) {
    throw argError(name, `argument '${name}' is not a valid port number`);
  }
  const n = BigInt(value);
  if (n > 65535n) throw argError(name, `argument '${name}' is not a valid port number`);
  if (n === 0n) throw argError(name, `argument '${name}' port must be 1-65535`);
  return n.toString();
}

function validateEnum(name: string, def: ArgDef, value: string): string {
  if (!def.allowed) {
    throw new ToolCladError(
      ToolCladErrorCode.MANIFEST_INVALID,
      `argument '${name}' is type 'enum' but has no 'allowed' list`,
      {
        arg: name,
        issues: [{ path: `args.${name}.allowed`, message: "required for type 'enum'" }],
      },
    );
  }
  if (def.allowed.includes(value)) return value;
  throw argError(
    name,
    `argument '${name}' value '${value}' is not in allowed list: [${def.allowed.join(", ")}]`,
  );
}

function isValidCidrV4(value: string): boolean {
  const m = CIDR_V4.exec(value);
  return m !== null && parseIpv4(m[1]) !== null && Number(m[2]) <= 32;
}

function validateScopeTarget(name: string, value: string): string {
  rejectInjection(name, value);
  if (value === "") throw argError(name, `argument '${name}' scope_target must not be empty`);
  if (utf8.encode(value).length > SCOPE_TARGET_MAX_BYTES) {
    throw argError(
      name,
      `argument '${name}' scope_target exceeds ${SCOPE_TARGET_MAX_BYTES}-character limit (RFC 1035 §2.3.4)`,
    );
  }
  if (value.includes("*")) {
    throw argError(name, `argument '${name}' scope_target must not contain wildcards`);
  }
  if (value.includes("../") || value.includes("..\\") || value.includes("/..")) {
    throw argError(
      name,
      `argument '${name}' scope_target must not contain path traversal sequences`,
    );
  }
  if (value.includes("/") && !isValidCidrV4(value)) {
    throw argError(
      name,
      `argument '${name}' scope_target must not contain '/' unless it is valid IPv4 CIDR notation (prefix 0-32)`,
    );
  }
  if (value.includes("\\")) {
    throw argError(
      name,
      `argument '${name}' scope_target must not contain backslash escape sequences`,
    );
  }
  if ([...value].some((ch) => ch.codePointAt(0)! > 0x7f)) {
    throw argError(
      name,
      `argument '${name}' scope_target must be ASCII (non-ASCII hostnames, including IDN homoglyphs, are rejected)`,
    );
  }
  if (value.split(".").some((label) => label.slice(0, 4).toLowerCase() === "xn--")) {
    throw argError(
      name,
      `argument '${name}' scope_target must not contain punycode (xn--) labels (IDN homoglyph bypass)`,
    );
  }
  if (
    IPV4_SHAPE.test(value) || parseIpv6(value) !== null || CIDR_V4.test(value) ||
    HOSTNAME.test(value)
  ) {
    return value;
  }
  throw argError(name, `argument '${name}' is not a valid scope target (IP, CIDR, or hostname)`);
}

function validateUrl(name: string, def: ArgDef, value: string): string {
  rejectInjection(name, value);
  if (!URL_SHAPE.test(value)) throw argError(name, `argument '${name}' is not a valid URL`);
  if (def.schemes.length > 0) {
    const scheme = value.slice(0, value.indexOf(":"));
    if (!def.schemes.includes(scheme)) {
      throw argError(
        name,
        `argument '${name}' URL scheme '${scheme}' is not allowed (allowed: ${
          def.schemes.join(", ")
        })`,
      );
    }
  }
  return value;
}

function checkRelativePath(name: string, value: string): void {
  if (value.includes("../") || value.includes("..\\")) {
    throw argError(name, `argument '${name}' path must not contain traversal sequences (../)`);
  }
  if (value.startsWith("/") || (value.length >= 2 && value[1] === ":")) {
    throw argError(name, `argument '${name}' must be a relative path, not absolute`);
  }
}

function validateCidr(name: string, value: string): string {
  const m = CIDR_V4.exec(value);
  if (!m) {
    throw argError(name, `argument '${name}' is not valid CIDR notation (e.g. 10.0.0.0/24)`);
  }
  if (parseIpv4(m[1]) === null) {
    throw argError(name, `argument '${name}' has invalid IPv4 address in CIDR`);
  }
  if (Number(m[2]) > 32) throw argError(name, `argument '${name}' CIDR prefix must be 0-32`);
  return value;
}

function validateMsfOptions(name: string, value: string): string {
  for (const raw of value.split(";")) {
    const pair = trimUnicode(raw);
    if (pair === "") continue;
    const space = pair.indexOf(" ");
    if (space < 0) {
      throw argError(
        name,
        `argument '${name}' msf_options: invalid pair '${pair}' (expected 'KEY VALUE')`,
      );
    }
    const key = pair.slice(0, space);
    const val = pair.slice(space + 1);
    if (!MSF_KEY.test(key)) {
      throw argError(
        name,
        `argument '${name}' msf_options: invalid key '${key}' (must be uppercase alphanumeric)`,
      );
    }
    for (const ch of MSF_VALUE_DENY) {
      if (val.includes(ch)) {
        throw argError(
          name,
          `argument '${name}' msf_options: value contains disallowed character ${
            JSON.stringify(ch)
          }`,
        );
      }
    }
  }
  return value;
}

function validateDuration(name: string, value: string): string {
  if (/^\+?[0-9]+$/.test(value) && BigInt(value) < 2n ** 64n) return value;
  if (!DURATION.test(value)) {
    throw argError(
      name,
      `argument '${name}' is not a valid duration (e.g. '30', '5m', '2h', '1h30m', '500ms')`,
    );
  }
  return value;
}

function validateRegexMatch(name: string, def: ArgDef, value: string): string {
  rejectInjection(name, value);
  if (def.pattern === undefined) {
    throw new ToolCladError(
      ToolCladErrorCode.MANIFEST_INVALID,
      `argument '${name}' is type 'regex_match' but has no 'pattern' field`,
      {
        arg: name,
        issues: [{ path: `args.${name}.pattern`, message: "required for type 'regex_match'" }],
      },
    );
  }
  if (!compilePattern(def.pattern).test(value)) {
    throw argError(name, `argument '${name}' does not match required pattern '${def.pattern}'`);
  }
  return value;
}

function isBuiltIn(type: string): type is ArgType {
  return (ARG_TYPES as readonly string[]).includes(type);
}

/**
 * Validates one argument value against its definition with the Rust reference's rules and returns
 * the normalised value (trimmed; integers and numbers re-printed; clamped when `clamp` is set).
 *
 * Network types (`scope_target`, `url`, `ip_address`, `cidr`) reject leading or trailing
 * whitespace instead of trimming it. A custom type (from `toolclad.toml`) is validated as its base
 * type with its constraints replacing the argument's.
 *
 * @param name The argument name (used in messages).
 * @param def The argument definition.
 * @param value The supplied value; numbers and booleans are converted to text first.
 * @param customTypes Custom types by name, if the manifest uses any.
 * @returns The normalised value.
 * @throws {ToolCladError} `TOOLCLAD_ARG_INVALID` with `arg` set, or `TOOLCLAD_MANIFEST_INVALID`
 * when the definition itself is broken (unknown type, enum without `allowed`, bad pattern).
 *
 * @example Injection is refused, clamping normalises
 * ```ts
 * import { validateArg } from "@symbiont/sdk/toolclad";
 *
 * const def = {
 *   type: "integer", position: 1, required: true, description: "",
 *   min: 1n, max: 10n, clamp: true, schemes: [], scope_check: false,
 * };
 * validateArg("rate", def, "100"); // "10"
 * ```
 */
export function validateArg(
  name: string,
  def: ArgDef,
  value: ArgValue,
  customTypes: CustomTypes = {},
): string {
  let effective = def;
  if (!isBuiltIn(def.type)) {
    const custom = Object.hasOwn(customTypes, def.type) ? customTypes[def.type] : undefined;
    if (!custom) {
      throw new ToolCladError(
        ToolCladErrorCode.MANIFEST_INVALID,
        `unknown type '${def.type}' for argument '${name}'`,
        {
          arg: name,
          issues: [{ path: `args.${name}.type`, message: `unknown type '${def.type}'` }],
        },
      );
    }
    if (!isBuiltIn(custom.base)) {
      throw new ToolCladError(
        ToolCladErrorCode.MANIFEST_INVALID,
        `custom type '${def.type}' has invalid base type '${custom.base}'`,
        { arg: name },
      );
    }
    effective = {
      ...def,
      type: custom.base,
      allowed: custom.allowed ?? def.allowed,
      pattern: custom.pattern ?? def.pattern,
      min: custom.min ?? def.min,
      max: custom.max ?? def.max,
      min_float: custom.min_float ?? def.min_float,
      max_float: custom.max_float ?? def.max_float,
    };
  }
  const raw = argValueToString(name, value);
  const val = trimUnicode(raw);
  if (NETWORK_TYPES.has(effective.type) && val.length !== raw.length) {
    throw argError(name, `argument '${name}' must not contain leading or trailing whitespace`);
  }
  switch (effective.type as ArgType) {
    case "string":
      return validateString(name, effective, val);
    case "integer":
      return validateInteger(name, effective, val);
    case "number":
      return validateNumber(name, effective, val);
    case "port":
      return validatePort(name, val);
    case "boolean":
      if (val === "true" || val === "false") return val;
      throw argError(name, `argument '${name}' must be exactly 'true' or 'false'`);
    case "enum":
      return validateEnum(name, effective, val);
    case "scope_target":
      return validateScopeTarget(name, val);
    case "url":
      return validateUrl(name, effective, val);
    case "path":
      rejectInjection(name, val);
      checkRelativePath(name, val);
      return val;
    case "ip_address":
      if (parseIpv4(val) !== null || parseIpv6(val) !== null) return val;
      throw argError(name, `argument '${name}' is not a valid IP address`);
    case "cidr":
      return validateCidr(name, val);
    case "msf_options":
      return validateMsfOptions(name, val);
    case "credential_file":
      rejectInjection(name, val);
      checkRelativePath(name, val);
      return val;
    case "duration":
      return validateDuration(name, val);
    case "regex_match":
      return validateRegexMatch(name, effective, val);
  }
}
