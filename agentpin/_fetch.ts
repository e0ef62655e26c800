/** Bounded, HTTPS-only, redirect-refusing JSON fetch for discovery and revocation. Internal. */
import { AgentPinError, ErrorCode } from "./errors.ts";

/** A `fetch`-compatible function. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Limits of one document fetch. */
export interface FetchJsonOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

const fail = (message: string, cause?: unknown) =>
  new AgentPinError(ErrorCode.DISCOVERY_FETCH_FAILED, message, cause ? { cause } : undefined);

/** GETs `url` (HTTPS only, no redirects, time and size limits) and parses JSON. */
export async function fetchJson(url: string, options: FetchJsonOptions = {}): Promise<unknown> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail(`not a URL: ${JSON.stringify(String(url)).slice(0, 200)}`);
  }
  if (parsed.protocol !== "https:") {
    throw fail(
      `refusing ${parsed.protocol}// URL ${parsed.origin}: AgentPin documents are fetched over HTTPS only`,
    );
  }
  if (parsed.username || parsed.password) throw fail("refusing a URL with user info");
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) throw fail(`fetch of ${parsed.href} was aborted`);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new Error(`timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  const where = parsed.href;
  try {
    let response: Response;
    try {
      response = await doFetch(where, {
        method: "GET",
        redirect: "manual",
        headers: { accept: "application/json" },
        signal: controller.signal,
      });
    } catch (error) {
      throw fail(
        `fetching ${where} failed: ${
          controller.signal.aborted
            ? `timed out after ${timeoutMs} ms`
            : (error as Error)?.message ?? String(error)
        }`,
        error,
      );
    }
    if (
      response.type === "opaqueredirect" || response.redirected ||
      (response.status >= 300 && response.status < 400)
    ) {
      await response.body?.cancel().catch(() => {});
      throw fail(`${where} answered with a redirect; redirects are refused`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw fail(`HTTP ${response.status} fetching ${where}`);
    }
    const declared = Number(response.headers.get("content-length") ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw fail(`${where} is ${declared} bytes, over the limit of ${maxBytes}`);
    }
    const bytes = await readLimited(response, maxBytes, where, controller.signal, timeoutMs);
    try {
      return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    } catch (error) {
      throw fail(`${where} did not return JSON`, error);
    }
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

async function readLimited(
  response: Response,
  maxBytes: number,
  where: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const aborted = new Promise<never>((_, reject) => {
    const stop = () => reject(fail(`reading ${where} timed out after ${timeoutMs} ms`));
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw fail(`${where} is over the limit of ${maxBytes} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof AgentPinError) throw error;
    throw fail(`reading ${where} failed: ${(error as Error)?.message ?? String(error)}`, error);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
