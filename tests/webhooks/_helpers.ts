// Shared helpers of the webhook tests.
import { assertInstanceOf, assertRejects, assertStrictEquals } from "../_assert.ts";
import { WebhookError } from "../../webhooks/mod.ts";
import vectors from "../testdata/webhooks/vectors.json" with { type: "json" };

export { vectors };

/** Asserts that `fn` rejects with a WebhookError of `code`; returns it. */
export async function rejectsWith(
  fn: () => PromiseLike<unknown>,
  code: string,
  headerName?: string,
): Promise<WebhookError> {
  const error = await assertRejects(fn, WebhookError);
  assertInstanceOf(error, WebhookError);
  assertStrictEquals(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
  if (headerName !== undefined) assertStrictEquals(error.headerName, headerName);
  return error;
}

/** A fixed clock at `seconds` (Unix). */
export const at = (seconds: number) => () => seconds * 1000;
