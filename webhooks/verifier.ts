/**
 * The contract every verifier implements, and the `Request`-based entry point shared by all of
 * them.
 *
 * @module
 */
import { WebhookError, WebhookErrorCode } from "./errors.ts";

/**
 * Request headers: a `Headers` object, or a plain record such as Node's `IncomingHttpHeaders`.
 * Names are matched case-insensitively.
 */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** A raw request body: text (encoded as UTF-8) or the exact bytes received. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** What a successful verification established. */
export interface WebhookVerification {
  /** The signed timestamp (Unix seconds), for schemes that sign one. */
  timestamp?: number;
  /** The verified token's claims, for {@link JwtVerifier}. */
  claims?: Record<string, unknown>;
}

/** A request whose signature was verified, with the exact body bytes that were checked. */
export interface VerifiedWebhook extends WebhookVerification {
  /** The raw body, exactly as received and verified (usable as a `fetch` body). */
  body: Uint8Array<ArrayBuffer>;
  /** The body decoded as UTF-8. */
  text(): string;
  /** The body parsed as JSON; throws `SyntaxError` when it is not JSON. */
  json(): unknown;
}

/** Options of {@link SignatureVerifier.verifyRequest}. */
export interface VerifyRequestOptions {
  /** Reject bodies larger than this many bytes without reading them whole. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** The default body limit of `verifyRequest`: 1 MiB, the runtime's own HTTP Input limit. */
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

const decoder = new TextDecoder();

function tooLarge(limit: number): WebhookError {
  return new WebhookError(
    WebhookErrorCode.BODY_TOO_LARGE,
    `request body is larger than the limit of ${limit} bytes`,
  );
}

async function readBody(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (request.bodyUsed) {
    throw new WebhookError(WebhookErrorCode.BODY_UNAVAILABLE, "request body was already read");
  }
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel().catch(() => {});
        throw tooLarge(limit);
      }
      chunks.push(value as Uint8Array<ArrayBuffer>);
    }
  } catch (error) {
    if (error instanceof WebhookError) throw error;
    throw new WebhookError(
      WebhookErrorCode.BODY_UNAVAILABLE,
      `reading the request body failed: ${(error as Error)?.message ?? error}`,
    );
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}

/**
 * Base class of the verifiers. Subclasses implement {@link SignatureVerifier.verify};
 * {@link SignatureVerifier.verifyRequest} reads a `Request` body once and verifies it.
 *
 * @example Verifying in a fetch handler
 * ```ts ignore
 * import { type SignatureVerifier, WebhookProvider } from "@symbiont/sdk/webhooks";
 * const verifier: SignatureVerifier = WebhookProvider.GITHUB.verifier({ secret: "s3cret" });
 * const { body, json } = await verifier.verifyRequest(request);
 * ```
 */
export abstract class SignatureVerifier {
  /**
   * Verifies a signature over a raw body.
   *
   * @param headers The request headers (any case).
   * @param body The raw body, exactly as received.
   * @returns What the signature established; rejects with a {@link WebhookError} otherwise.
   */
  abstract verify(headers: WebhookHeaders, body: WebhookBody): Promise<WebhookVerification>;

  /**
   * Reads the body of `request` once (up to `maxBodyBytes`), verifies it, and returns the verified
   * bytes. The edge-worker path: parse only what this returns.
   *
   * @param request An incoming request whose body has not been read.
   * @param options The body limit.
   * @returns The verified body and what the signature established.
   *
   * @example In a Workers fetch handler
   * ```ts ignore
   * const verified = await verifier.verifyRequest(request, { maxBodyBytes: 65_536 });
   * const event = verified.json();
   * ```
   */
  async verifyRequest(
    request: Request,
    options: VerifyRequestOptions = {},
  ): Promise<VerifiedWebhook> {
    const body = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const verification = await this.verify(request.headers, body);
    return {
      ...verification,
      body,
      text: () => decoder.decode(body),
      json: () => JSON.parse(decoder.decode(body)),
    };
  }
}
