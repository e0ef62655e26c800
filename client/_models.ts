/** Building blocks shared by the wire models. */
import { z } from "zod";

/** An RFC 3339 timestamp; the runtime sends both `Z` and `+00:00` forms. */
export const Timestamp: z.ZodISODateTime = z.iso.datetime({ offset: true });
/** A non-negative integer (Rust u32/u64/usize). */
export const UInt: z.ZodNumber = z.number().int().nonnegative();
/** A UUID string as the runtime sends agent, message and execution ids. */
export const Uuid: z.ZodString = z.string().regex(
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  "expected a UUID",
);
