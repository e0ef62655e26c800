/**
 * A pure cron engine with the grammar and the semantics of the runtime's scheduler (the Rust `cron`
 * crate, 0.15): six or seven fields `sec min hour day-of-month month day-of-week [year]`, or one of
 * `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`. Next run times are computed in UTC or in any
 * IANA time zone through `Intl.DateTimeFormat`, so it runs unchanged on Deno, Node, Bun and workerd.
 *
 * The client checks expressions with it before they reach the wire (the runtime answers a bad
 * expression with a bare 500), and the local runtime double computes `next_run` and `next-runs` with
 * it.
 *
 * Semantics worth knowing (they are the crate's, not Vixie cron's):
 * - Day of week is `1-7` with `1 = SUN` (or `SUN`-`SAT`); `0` is out of range.
 * - Day of month and day of week must **both** match (they are not OR-ed).
 * - `?` means "any" and is allowed only in the day-of-month and day-of-week fields.
 * - `a/n` steps from `a` to the field's maximum; `a-b/n` and `*` + `/n` step through the range.
 * - Years run from 1970 to 2100; a schedule with no time left in that span has no next run.
 * - In a time zone, wall-clock times skipped by a daylight-saving jump are not run; times that occur
 *   twice are run twice (earlier instant first).
 *
 * @example Next runs of a weekday schedule
 * ```ts
 * import { parseCron } from "@symbiont/sdk/client";
 * const schedule = parseCron("0 30 9 * * MON-FRI");
 * const runs = schedule.upcoming(Date.UTC(2026, 0, 2, 12), 2, "Europe/Berlin");
 * console.log(runs.map((d) => d.toISOString()));
 * // ["2026-01-05T08:30:00.000Z", "2026-01-06T08:30:00.000Z"]
 * ```
 *
 * @module
 */
import { SymbiontError } from "./errors.ts";

/** The name of one field of a cron expression, in the order the fields are written. */
export type CronField =
  | "second"
  | "minute"
  | "hour"
  | "dayOfMonth"
  | "month"
  | "dayOfWeek"
  | "year";

/** The codes a {@link CronError} carries. */
export const CronErrorCode = {
  /** The expression does not parse, or a field holds a value out of range. */
  INVALID_CRON: "INVALID_CRON",
  /** The time zone is not an IANA time zone name. */
  INVALID_TIMEZONE: "INVALID_TIMEZONE",
} as const;

/** One of the {@link CronErrorCode} values. */
export type CronErrorCode = typeof CronErrorCode[keyof typeof CronErrorCode];

/** What a {@link CronError} is built from. */
export interface CronErrorInit {
  /** `INVALID_CRON` or `INVALID_TIMEZONE`. */
  code: CronErrorCode;
  /** The offending expression or time zone, verbatim. */
  input: string;
  /** The field that is wrong, when one is. */
  field?: CronField;
}

/**
 * Thrown for a cron expression the runtime's scheduler would refuse (`INVALID_CRON`, with the field
 * that is wrong) or for an unknown time zone (`INVALID_TIMEZONE`).
 *
 * @example Telling the user which field is wrong
 * ```ts
 * import { CronError, parseCron } from "@symbiont/sdk/client";
 * try {
 *   parseCron("0 0 12 * * 0");
 * } catch (error) {
 *   if (error instanceof CronError) console.log(error.code, error.field); // INVALID_CRON dayOfWeek
 * }
 * ```
 */
export class CronError extends SymbiontError {
  /** `INVALID_CRON` or `INVALID_TIMEZONE`. */
  declare readonly code: CronErrorCode;
  /** The offending expression or time zone, verbatim. */
  readonly input: string;
  /** The field that is wrong, when the error is about one field. */
  readonly field: CronField | undefined;

  /**
   * Creates the error.
   *
   * @param message What is wrong and where.
   * @param init The code, the input and the field.
   */
  constructor(message: string, init: CronErrorInit) {
    super(message, { code: init.code });
    this.input = init.input;
    this.field = init.field;
  }
}

interface FieldSpec {
  field: CronField;
  label: string;
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
  any: boolean;
  hint: string;
}

const MONTH_NAMES: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const DAY_NAMES: Readonly<Record<string, number>> = {
  sun: 1,
  sunday: 1,
  mon: 2,
  monday: 2,
  tue: 3,
  tues: 3,
  tuesday: 3,
  wed: 4,
  wednesday: 4,
  thu: 5,
  thurs: 5,
  thursday: 5,
  fri: 6,
  friday: 6,
  sat: 7,
  saturday: 7,
};

const FIELDS: readonly FieldSpec[] = [
  { field: "second", label: "second", min: 0, max: 59, any: false, hint: "0-59" },
  { field: "minute", label: "minute", min: 0, max: 59, any: false, hint: "0-59" },
  { field: "hour", label: "hour", min: 0, max: 23, any: false, hint: "0-23" },
  { field: "dayOfMonth", label: "day-of-month", min: 1, max: 31, any: true, hint: "1-31 or ?" },
  {
    field: "month",
    label: "month",
    min: 1,
    max: 12,
    names: MONTH_NAMES,
    any: false,
    hint: "1-12 or JAN-DEC",
  },
  {
    field: "dayOfWeek",
    label: "day-of-week",
    min: 1,
    max: 7,
    names: DAY_NAMES,
    any: true,
    hint: "1-7 with 1 = SUN, SUN-SAT, or ?",
  },
  { field: "year", label: "year", min: 1970, max: 2100, any: false, hint: "1970-2100" },
];

const FORMAT_HINT = "expected 6 or 7 fields: sec min hour day-of-month month day-of-week [year]";

// ---- parsing: a character-level mirror of the crate's grammar ----

type Spec =
  | { kind: "all" }
  | { kind: "point"; value: number }
  | { kind: "range"; start: number; end: number }
  | { kind: "namedRange"; start: string; end: string };

type RootSpec =
  | { kind: "spec"; spec: Spec }
  | { kind: "period"; start: Spec; step: number }
  | { kind: "namedPoint"; name: string };

class Cursor {
  readonly text: string;
  pos = 0;
  constructor(text: string) {
    this.text = text;
  }
  get atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  peek(): string {
    return this.text[this.pos] ?? "";
  }
  skipSpace(): void {
    while (/[ \t\r\n]/.test(this.peek())) this.pos++;
  }
}

function ordinal(c: Cursor): number | null {
  const start = c.pos;
  c.skipSpace();
  const from = c.pos;
  while (/[0-9]/.test(c.peek())) c.pos++;
  if (c.pos === from) {
    c.pos = start;
    return null;
  }
  const value = Number(c.text.slice(from, c.pos));
  if (value > 0xffff_ffff) {
    c.pos = start;
    return null;
  }
  c.skipSpace();
  return value;
}

function name(c: Cursor): string | null {
  const start = c.pos;
  c.skipSpace();
  const from = c.pos;
  while (/[A-Za-z]/.test(c.peek())) c.pos++;
  if (c.pos === from) {
    c.pos = start;
    return null;
  }
  const word = c.text.slice(from, c.pos);
  c.skipSpace();
  return word;
}

function specifier(c: Cursor, any: boolean): Spec | null {
  if (any && c.peek() === "?") {
    c.pos++;
    return { kind: "all" };
  }
  if (c.peek() === "*") {
    c.pos++;
    return { kind: "all" };
  }
  const start = c.pos;
  const a = ordinal(c);
  if (a !== null) {
    if (c.peek() === "-") {
      const afterA = c.pos;
      c.pos++;
      const b = ordinal(c);
      if (b !== null) return { kind: "range", start: a, end: b };
      c.pos = afterA;
    }
    return { kind: "point", value: a };
  }
  c.pos = start;
  const x = name(c);
  if (x !== null && c.peek() === "-") {
    c.pos++;
    const y = name(c);
    if (y !== null) return { kind: "namedRange", start: x, end: y };
  }
  c.pos = start;
  return null;
}

function rootSpecifier(c: Cursor, any: boolean): RootSpec | null {
  const start = c.pos;
  const spec = specifier(c, any);
  if (spec !== null && c.peek() === "/") {
    const beforeSlash = c.pos;
    c.pos++;
    const step = ordinal(c);
    if (step !== null) return { kind: "period", start: spec, step };
    c.pos = beforeSlash;
  }
  if (spec !== null) return { kind: "spec", spec };
  c.pos = start;
  const word = name(c);
  if (word !== null) return { kind: "namedPoint", name: word };
  c.pos = start;
  return null;
}

function fieldList(c: Cursor, any: boolean): RootSpec[] | null {
  const start = c.pos;
  c.skipSpace();
  const first = rootSpecifier(c, any);
  if (first === null) {
    c.pos = start;
    return null;
  }
  const list = [first];
  while (c.peek() === ",") {
    const beforeComma = c.pos;
    c.pos++;
    const next = rootSpecifier(c, any);
    if (next === null) {
      c.pos = beforeComma;
      break;
    }
    list.push(next);
  }
  c.skipSpace();
  return list;
}

// ---- field values ----

class FieldValueError extends Error {}

function fromName(spec: FieldSpec, word: string): number {
  const value = spec.names?.[word.toLowerCase()];
  if (value === undefined) {
    throw new FieldValueError(
      spec.names
        ? `"${word}" is not a valid ${spec.label} name`
        : `the ${spec.label} field does not accept names ("${word}")`,
    );
  }
  return value;
}

function checkValue(spec: FieldSpec, value: number): number {
  if (value < spec.min || value > spec.max) {
    throw new FieldValueError(`${value} is out of range (${spec.hint})`);
  }
  return value;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v++) out.push(v);
  return out;
}

function specValues(spec: FieldSpec, s: Spec): number[] {
  switch (s.kind) {
    case "all":
      return range(spec.min, spec.max);
    case "point":
      return [s.value];
    case "range": {
      if (s.start < spec.min || s.end > spec.max || s.start > s.end || s.end < spec.min) {
        throw new FieldValueError(`invalid range ${s.start}-${s.end} (${spec.hint})`);
      }
      return range(s.start, s.end);
    }
    case "namedRange": {
      const a = fromName(spec, s.start);
      const b = fromName(spec, s.end);
      if (a > b) throw new FieldValueError(`invalid range ${s.start}-${s.end} (${spec.hint})`);
      return range(a, b);
    }
  }
}

function rootValues(spec: FieldSpec, root: RootSpec): number[] {
  switch (root.kind) {
    case "spec":
      return specValues(spec, root.spec);
    case "namedPoint":
      return [fromName(spec, root.name)];
    case "period": {
      if (root.step < 1 || root.step > spec.max) {
        throw new FieldValueError(
          root.step === 0 ? "a step cannot be zero" : `step ${root.step} must be 1-${spec.max}`,
        );
      }
      const base = root.start.kind === "point"
        ? range(checkValue(spec, root.start.value), spec.max)
        : specValues(spec, root.start);
      return base.filter((_, i) => i % root.step === 0);
    }
  }
}

function fieldValues(spec: FieldSpec, list: RootSpec[]): number[] {
  const set = new Set<number>();
  for (const root of list) for (const v of rootValues(spec, root)) set.add(checkValue(spec, v));
  return [...set].sort((a, b) => a - b);
}

/** The values each field allows, sorted ascending. */
export interface CronFields {
  /** Seconds, 0-59. */
  readonly second: readonly number[];
  /** Minutes, 0-59. */
  readonly minute: readonly number[];
  /** Hours, 0-23. */
  readonly hour: readonly number[];
  /** Days of the month, 1-31. */
  readonly dayOfMonth: readonly number[];
  /** Months, 1-12. */
  readonly month: readonly number[];
  /** Days of the week, 1-7 with 1 = Sunday. */
  readonly dayOfWeek: readonly number[];
  /** Years, 1970-2100. */
  readonly year: readonly number[];
}

const SHORTHANDS: Readonly<Record<string, Partial<Record<CronField, number>>>> = {
  "@yearly": { second: 0, minute: 0, hour: 0, dayOfMonth: 1, month: 1 },
  "@monthly": { second: 0, minute: 0, hour: 0, dayOfMonth: 1 },
  "@weekly": { second: 0, minute: 0, hour: 0, dayOfWeek: 1 },
  "@daily": { second: 0, minute: 0, hour: 0 },
  "@hourly": { second: 0, minute: 0 },
};

function invalid(expression: string, message: string, field?: CronField): CronError {
  return new CronError(`Invalid cron expression "${expression}": ${message}`, {
    code: CronErrorCode.INVALID_CRON,
    input: expression,
    field,
  });
}

function parseFields(expression: string): CronFields {
  const shorthand = SHORTHANDS[expression.trim()];
  if (shorthand) {
    const out: Record<string, number[]> = {};
    for (const spec of FIELDS) {
      const fixed = shorthand[spec.field];
      out[spec.field] = fixed === undefined ? range(spec.min, spec.max) : [fixed];
    }
    return out as unknown as CronFields;
  }
  const c = new Cursor(expression);
  const out: Record<string, number[]> = {};
  for (let index = 0; index < FIELDS.length; index++) {
    const spec = FIELDS[index];
    const optional = spec.field === "year";
    const start = c.pos;
    const list = fieldList(c, spec.any);
    if (list === null) {
      c.pos = start;
      c.skipSpace();
      if (c.atEnd) {
        if (optional) break;
        const extra = index === 5
          ? `; a 5-field Unix expression needs a seconds field first (e.g. "0 ${expression.trim()}")`
          : "";
        throw invalid(expression, `${FORMAT_HINT}, found ${index}${extra}`);
      }
      const ch = c.peek();
      // A stray "/", "," or "-" belongs to the field before it ("MON/2", "1,", "5-").
      const owner = index > 0 && "/,-".includes(ch) ? FIELDS[index - 1] : spec;
      const what = ch === "?"
        ? `"?" is allowed only in the day-of-month and day-of-week fields`
        : ch === "/"
        ? `unexpected "/" at position ${
          c.pos + 1
        } (a step needs "*", a number or a range before it)`
        : `unexpected "${ch}" at position ${c.pos + 1}`;
      throw invalid(expression, `the ${owner.label} field is malformed: ${what}`, owner.field);
    }
    try {
      out[spec.field] = fieldValues(spec, list);
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      const text = expression.slice(start, c.pos).trim();
      throw invalid(
        expression,
        `the ${spec.label} field ("${text}"): ${error.message}`,
        spec.field,
      );
    }
  }
  if (!c.atEnd) {
    throw invalid(
      expression,
      `unexpected "${expression.slice(c.pos).trim()}" after the last field (${FORMAT_HINT})`,
    );
  }
  out.year ??= range(1970, 2100);
  return out as unknown as CronFields;
}

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function isUtc(timeZone: string): boolean {
  return timeZone === "UTC" || timeZone === "Etc/UTC";
}

/**
 * Checks that `timeZone` is an IANA time zone name, as the runtime's scheduler requires (`chrono-tz`):
 * names such as `UTC`, `Europe/Berlin` or `America/New_York`; offsets such as `+02:00` are refused.
 *
 * @param timeZone The time zone name.
 * @returns Nothing; throws when the name is not accepted.
 * @throws {CronError} With code `INVALID_TIMEZONE`.
 *
 * @example Checking user input
 * ```ts
 * import { assertTimeZone } from "@symbiont/sdk/client";
 * assertTimeZone("Europe/Berlin"); // fine
 * ```
 */
export function assertTimeZone(timeZone: string): void {
  if (isUtc(timeZone)) return;
  const fail = () =>
    new CronError(`Invalid time zone "${timeZone}": expected an IANA name such as Europe/Berlin`, {
      code: CronErrorCode.INVALID_TIMEZONE,
      input: timeZone,
    });
  if (!/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/.test(timeZone)) throw fail();
  try {
    formatterFor(timeZone);
  } catch {
    throw fail();
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallAt(ms: number, timeZone: string): Wall {
  if (isUtc(timeZone)) {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const w: Record<string, number> = {};
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type === "era") bc = part.value.startsWith("B");
    else if (part.type !== "literal") w[part.type] = Number(part.value);
  }
  return {
    year: bc ? 1 - w.year : w.year,
    month: w.month,
    day: w.day,
    hour: w.hour === 24 ? 0 : w.hour,
    minute: w.minute,
    second: w.second,
  };
}

function wallToUtcMs(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

function offsetAt(ms: number, timeZone: string): number {
  const floored = Math.floor(ms / 1000) * 1000;
  return wallToUtcMs(wallAt(floored, timeZone)) - floored;
}

/** The instants a wall-clock time maps to: none in a DST gap, two in a DST fold. */
function instantsOf(w: Wall, timeZone: string): number[] {
  const naive = wallToUtcMs(w);
  if (isUtc(timeZone)) return [naive];
  const out = new Set<number>();
  for (const probe of [naive - 86_400_000, naive, naive + 86_400_000]) {
    const candidate = naive - offsetAt(probe, timeZone);
    if (wallToUtcMs(wallAt(candidate, timeZone)) === naive) out.add(candidate);
  }
  return [...out].sort((a, b) => a - b);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekdayFromSunday(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getUTCDay() + 1;
}

function toMs(at: Date | number): number {
  const ms = typeof at === "number" ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("cron: the reference time is not a valid date");
  return ms;
}

/** A parsed cron expression. Immutable; safe to share. */
export interface CronSchedule {
  /** The expression as given. */
  readonly expression: string;
  /** The values each field allows. */
  readonly fields: CronFields;
  /**
   * The first run strictly after `after` (at whole-second precision), or `null` when none is left
   * before the end of 2100.
   */
  next(after: Date | number, timeZone?: string): Date | null;
  /** The next `count` runs after `after`, in the order the runtime lists them. */
  upcoming(after: Date | number, count: number, timeZone?: string): Date[];
  /** Whether the schedule fires at `at` (whole seconds), read as wall-clock time in `timeZone`. */
  includes(at: Date | number, timeZone?: string): boolean;
}

class Schedule implements CronSchedule {
  readonly expression: string;
  readonly fields: CronFields;

  constructor(expression: string, fields: CronFields) {
    this.expression = expression;
    this.fields = fields;
  }

  next(after: Date | number, timeZone = "UTC"): Date | null {
    assertTimeZone(timeZone);
    const found = this.#nextAfter(toMs(after), timeZone);
    return found.length ? new Date(found[0]) : null;
  }

  upcoming(after: Date | number, count: number, timeZone = "UTC"): Date[] {
    assertTimeZone(timeZone);
    const out: Date[] = [];
    let previous = toMs(after);
    let later: number | undefined;
    while (out.length < count) {
      if (later !== undefined) {
        previous = later;
        later = undefined;
        out.push(new Date(previous));
        continue;
      }
      const found = this.#nextAfter(previous, timeZone);
      if (!found.length) break;
      previous = found[0];
      later = found[1];
      out.push(new Date(previous));
    }
    return out;
  }

  includes(at: Date | number, timeZone = "UTC"): boolean {
    assertTimeZone(timeZone);
    const w = wallAt(toMs(at), timeZone);
    const f = this.fields;
    return f.year.includes(w.year) && f.month.includes(w.month) &&
      f.dayOfMonth.includes(w.day) &&
      f.dayOfWeek.includes(weekdayFromSunday(w.year, w.month, w.day)) &&
      f.hour.includes(w.hour) && f.minute.includes(w.minute) && f.second.includes(w.second);
  }

  /** The crate's `next_after`: instants of the first matching wall time at or after after+1 s. */
  #nextAfter(afterMs: number, timeZone: string): number[] {
    const f = this.fields;
    const start = wallAt(afterMs + 1000, timeZone);
    let first = true;
    for (const year of f.year) {
      if (year < start.year) continue;
      if (year > start.year) first = false;
      for (const month of f.month) {
        if (first && month < start.month) continue;
        if (first && month > start.month) first = false;
        const dim = daysInMonth(year, month);
        for (const day of f.dayOfMonth) {
          if (day > dim) break;
          if (first && day < start.day) continue;
          if (first && day > start.day) first = false;
          if (!f.dayOfWeek.includes(weekdayFromSunday(year, month, day))) {
            first = false;
            continue;
          }
          for (const hour of f.hour) {
            if (first && hour < start.hour) continue;
            if (first && hour > start.hour) first = false;
            for (const minute of f.minute) {
              if (first && minute < start.minute) continue;
              if (first && minute > start.minute) first = false;
              for (const second of f.second) {
                if (first && second < start.second) continue;
                first = false;
                const found = instantsOf({ year, month, day, hour, minute, second }, timeZone);
                if (found.length) return found;
              }
              first = false;
            }
            first = false;
          }
          first = false;
        }
        first = false;
      }
      first = false;
    }
    return [];
  }
}

/**
 * Parses a cron expression exactly as the runtime's scheduler does.
 *
 * @param expression Six or seven fields (`sec min hour day-of-month month day-of-week [year]`), or
 *   `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`.
 * @returns The parsed schedule.
 * @throws {CronError} With code `INVALID_CRON` and `field` set to the field that is wrong.
 *
 * @example Every fifteen minutes during office hours
 * ```ts
 * import { parseCron } from "@symbiont/sdk/client";
 * const schedule = parseCron("0 0/15 9-17 * * MON-FRI");
 * console.log(schedule.fields.minute); // [0, 15, 30, 45]
 * ```
 */
export function parseCron(expression: string): CronSchedule {
  if (typeof expression !== "string") {
    throw invalid(String(expression), "the expression must be a string");
  }
  return new Schedule(expression, parseFields(expression));
}

/** Options of {@link nextCronRuns}. */
export interface NextCronRunsOptions {
  /** Runs strictly after this time. Default: now. */
  after?: Date | number;
  /** IANA time zone the expression is read in. Default `UTC`. */
  timeZone?: string;
  /** How many runs. Default 10, as the runtime's `next-runs` route. */
  count?: number;
}

/**
 * The next run times of an expression: validates it and the time zone the way the runtime does, then
 * lists the runs.
 *
 * @param expression The cron expression.
 * @param options Reference time, time zone and count.
 * @returns The run times, earliest first (fewer than `count` when the schedule ends before 2101).
 * @throws {CronError} `INVALID_CRON` or `INVALID_TIMEZONE`.
 *
 * @example Next three daily runs in New York
 * ```ts
 * import { nextCronRuns } from "@symbiont/sdk/client";
 * const runs = nextCronRuns("0 0 9 * * *", {
 *   after: Date.UTC(2026, 2, 7),
 *   timeZone: "America/New_York",
 *   count: 3,
 * });
 * console.log(runs.map((d) => d.toISOString()));
 * // 14:00Z on Mar 7, then 13:00Z on Mar 8 and 9 (daylight saving time began)
 * ```
 */
export function nextCronRuns(expression: string, options: NextCronRunsOptions = {}): Date[] {
  const schedule = parseCron(expression);
  const timeZone = options.timeZone === undefined || options.timeZone === ""
    ? "UTC"
    : options.timeZone;
  return schedule.upcoming(options.after ?? Date.now(), options.count ?? 10, timeZone);
}
