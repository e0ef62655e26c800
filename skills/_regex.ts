/**
 * Turns a pattern written for Rust's `regex` crate (what the Symbiont runtime compiles) into a
 * JavaScript `RegExp` with the same meaning on one line of text. Internal.
 *
 * The differences bridged:
 * - a leading `(?i)` becomes the `i` flag; Unicode simple case folding needs the `u` flag
 *   (so `ſ` matches `s` and the Kelvin sign matches `k`, as in Rust);
 * - `\b`, `\w`, `\d`, `\s` are Unicode-aware in Rust and ASCII-only (or slightly different) in
 *   JavaScript: they are spelled out with Unicode property classes;
 * - `.` in Rust matches everything but `\n`; a line never holds `\n`, so the `s` flag gives the
 *   same meaning (JavaScript's `.` would otherwise also refuse `\r`, U+2028 and U+2029);
 * - escaped punctuation that `u`-mode JavaScript refuses (`\-`, `\#`, ...) becomes `\u{..}`.
 */
import { SkillError, SkillErrorCode } from "./errors.ts";

const WORD_SET = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WORD = `[${WORD_SET}]`;
const NOT_WORD = `[^${WORD_SET}]`;
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
const SPACE = "\\p{White_Space}";
const DIGIT = "\\p{Nd}";
const JS_SYNTAX = "^$\\.*+?()[]{}|/";

/** The result of a translation: JavaScript source and flags. */
export interface TranslatedPattern {
  source: string;
  flags: string;
  caseInsensitive: boolean;
}

function fail(pattern: string, why: string): never {
  throw new SkillError(
    SkillErrorCode.InvalidRule,
    `pattern ${JSON.stringify(pattern.slice(0, 80))} ${why}`,
  );
}

/**
 * Translates a Rust `regex` pattern. `internal` also allows lookarounds and back-references,
 * which Rust refuses (custom rules from users are checked without it).
 */
export function translateRustPattern(pattern: string, internal = false): TranslatedPattern {
  let src = pattern;
  let caseInsensitive = false;
  // Leading inline flags such as (?i), (?is), (?m); scoped groups (?i:...) are not supported.
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(src);
  if (lead) {
    for (const flag of lead[1]) {
      if (flag === "i") caseInsensitive = true;
      else if (flag === "s" || flag === "m") {
        // A line holds no \n: dot-all and multi-line change nothing.
      } else fail(pattern, `uses the inline flag '${flag}', which the SDK cannot translate`);
    }
    src = src.slice(lead[0].length);
  }
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "\\") {
      const x = src[i + 1];
      if (x === undefined) fail(pattern, "ends with a lone backslash");
      i++;
      if (x === "d") out += inClass ? DIGIT : `[${DIGIT}]`;
      else if (x === "D") out += inClass ? "\\P{Nd}" : "\\P{Nd}";
      else if (x === "s") out += inClass ? SPACE : `[${SPACE}]`;
      else if (x === "S") out += "\\P{White_Space}";
      else if (x === "w") out += inClass ? WORD_SET : WORD;
      else if (x === "W") {
        if (inClass) fail(pattern, "uses \\W inside a character class");
        out += NOT_WORD;
      } else if (x === "b" && !inClass) out += BOUNDARY;
      else if (x === "B" && !inClass) out += NOT_BOUNDARY;
      else if (x === "x" && src[i + 1] === "{") {
        const end = src.indexOf("}", i);
        if (end < 0) fail(pattern, "has an unterminated \\x{...}");
        out += `\\u{${src.slice(i + 2, end)}}`;
        i = end;
      } else if (/[0-9]/.test(x)) {
        if (!internal) fail(pattern, "uses a back-reference, which Rust's regex does not support");
        out += `\\${x}`;
      } else if (/[A-Za-z]/.test(x)) {
        // \n \t \r \f \v \p{..} \P{..} \xHH \uHHHH and the like mean the same in u-mode.
        if ("AzZ".includes(x)) fail(pattern, `uses \\${x}, which the SDK cannot translate`);
        out += `\\${x}`;
      } else if (JS_SYNTAX.includes(x) || (inClass && x === "-")) out += `\\${x}`;
      else out += `\\u{${x.codePointAt(0)!.toString(16)}}`;
      continue;
    }
    if (inClass) {
      if (c === "[" && src[i + 1] === ":") fail(pattern, "uses a POSIX class like [[:alpha:]]");
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") out += "\\" + src[++i]; // a literal ] first in a class
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      const next = src[i + 2];
      if (next === "P" && src[i + 3] === "<") {
        out += "(?<";
        i += 3;
        continue;
      }
      if (next === ":" || next === "<" && /[A-Za-z]/.test(src[i + 3] ?? "")) {
        out += c;
        continue;
      }
      if (internal && (next === "=" || next === "!" || next === "<")) {
        out += c;
        continue;
      }
      fail(pattern, "uses a group form the SDK cannot translate (inline flags or lookaround)");
    }
    out += c;
  }
  return { source: out, flags: caseInsensitive ? "isu" : "su", caseInsensitive };
}

/** Translates and compiles; a pattern the engine refuses throws `SKILL_INVALID_RULE`. */
export function compileRustPattern(pattern: string, internal = false, extraFlags = ""): RegExp {
  const t = translateRustPattern(pattern, internal);
  try {
    return new RegExp(t.source, t.flags + extraFlags);
  } catch (error) {
    return fail(pattern, `is not a valid regular expression (${(error as Error).message})`);
  }
}

/** Escapes a literal for use inside a Rust pattern (what `regex::escape` does). */
export function escapeRustLiteral(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$#&\-~]/g, (m) => `\\${m}`);
}
