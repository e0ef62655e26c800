/** Input checks before the wire: typed errors where the runtime would answer text/plain 400 or 500. */
import type { WireModel } from "./_models.ts";
import { InvalidArgumentError } from "./errors.ts";

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Throws unless `value` is a UUID (the runtime answers 400 text/plain for other agent ids). */
export function requireUuid(argument: string, value: unknown): string {
  if (typeof value !== "string" || !UUID.test(value)) {
    throw new InvalidArgumentError(
      argument,
      "expected a UUID such as 123e4567-e89b-12d3-a456-426614174000",
    );
  }
  return value;
}

/** Throws unless `value` is a non-empty string. Returns it encoded for a path segment. */
export function requireSegment(argument: string, value: unknown): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw new InvalidArgumentError(argument, "expected a non-empty string");
  }
  return encodeURIComponent(value);
}

/** Validates a request body against its model; the first issue becomes an InvalidArgumentError. */
export function checkInput<T>(argument: string, schema: WireModel<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length ? `${argument}.${issue.path.map(String).join(".")}` : argument;
  throw new InvalidArgumentError(where, issue.message);
}
