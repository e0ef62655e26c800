// Case-insensitive header lookup over `Headers` and plain objects (Node's IncomingHttpHeaders,
// framework header records), with a length cap so oversized headers are rejected before parsing.
import { WebhookError, WebhookErrorCode } from "./errors.ts";
import type { WebhookHeaders } from "./verifier.ts";

/** The value of header `name`, or undefined when absent. Throws on a repeated header. */
export function getHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const lower = name.toLowerCase();
  for (const key in headers) {
    if (key.toLowerCase() !== lower) continue;
    const value = (headers as Record<string, string | string[] | undefined>)[key];
    if (value === undefined) continue;
    if (typeof value === "string") return value;
    if (value.length === 1) return value[0];
    if (value.length > 1) {
      throw new WebhookError(
        WebhookErrorCode.MALFORMED_HEADER,
        `header ${name} appears more than once`,
        name,
      );
    }
  }
  return undefined;
}

/** The trimmed value of a required header, checked against a length cap. */
export function requireHeader(headers: WebhookHeaders, name: string, maxLength: number): string {
  const value = getHeader(headers, name);
  if (value === undefined || value.trim() === "") {
    throw new WebhookError(WebhookErrorCode.MISSING_HEADER, `missing header ${name}`, name);
  }
  if (value.length > maxLength) {
    throw new WebhookError(
      WebhookErrorCode.MALFORMED_HEADER,
      `header ${name} is ${value.length} characters long, over the limit of ${maxLength}`,
      name,
    );
  }
  return value.trim();
}
