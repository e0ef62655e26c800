/** Building blocks shared by the wire models. */
import * as z from "zod";

/** An RFC 3339 timestamp; the runtime sends both `Z` and `+00:00` forms. */
export const Timestamp: z.ZodISODateTime = z.iso.datetime({ offset: true });
/** A non-negative integer (Rust u32/u64/usize). */
export const UInt: z.ZodNumber = z.number().int().nonnegative();
/**
 * A UUID string. Used on inputs (ids the SDK sends or builds paths from); responses check ids as
 * strings: validation there guards against type drift, and the format check cost ~9 µs per 100 items.
 */
export const Uuid: z.ZodString = z.string().regex(
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  "expected a UUID",
);

/** One problem a {@link WireModel} found. */
export interface WireModelIssue {
  /** Where in the data, as a list of keys and indexes. */
  readonly path: readonly PropertyKey[];
  /** What was wrong. */
  readonly message: string;
}

/** What {@link WireModel.safeParse} returns. */
export type WireModelResult<T> =
  | { readonly success: true; readonly data: T }
  | { readonly success: false; readonly error: { readonly issues: readonly WireModelIssue[] } };

/**
 * A model of a wire type: checks data and returns it typed. Every model the SDK exports is one
 * (they are zod schemas underneath; the public type keeps zod out of the API).
 *
 * @example Usage
 * ```ts
 * import { HealthResponse } from "@symbiont/sdk/client";
 * const result = HealthResponse.safeParse({ status: "healthy" });
 * console.assert(!result.success);
 * ```
 */
export interface WireModel<T> {
  /** Returns the data typed, or throws when it does not match. */
  parse(data: unknown): T;
  /** Returns `{success: true, data}` or `{success: false, error: {issues}}`. */
  safeParse(data: unknown): WireModelResult<T>;
}

/** The zod schema behind a model, for composing models inside the SDK. */
export function zodOf<T>(model: WireModel<T>): z.ZodType<T> {
  return model as unknown as z.ZodType<T>;
}
