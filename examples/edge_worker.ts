/**
 * An edge worker in front of a Symbiont runtime (a complete Cloudflare Workers module; it runs
 * unchanged on Deno, Node and Bun as a fetch handler).
 *
 * It verifies each incoming webhook with the provider's real scheme (GitHub by default; Stripe and
 * Slack with their 300 s replay window), answers 401 with the error code when verification fails,
 * 413 when the body is too large, and 200 otherwise. With `HTTP_INPUT_URL` set it forwards the
 * verified bytes to the runtime's HTTP Input server, re-signed in the format the runtime checks
 * (`signRuntimeWebhook`) and with the runtime's bearer token, and relays the runtime's answer.
 *
 * In your own project, import from `jsr:@symbiont/sdk/webhooks` instead of the relative path.
 *
 * @module
 */
import {
  type SignatureVerifier,
  signRuntimeWebhook,
  WebhookError,
  WebhookErrorCode,
  WebhookProvider,
} from "../webhooks/mod.ts";

/** The worker's bindings (variables and secrets of the Workers project). */
export interface Env {
  /** The secret shared with the webhook provider. */
  WEBHOOK_SECRET: string;
  /** Which provider signs the incoming webhooks: `github` (default), `stripe` or `slack`. */
  WEBHOOK_PROVIDER?: string;
  /** The runtime's HTTP Input endpoint, e.g. `https://runtime.example/webhook`. Optional. */
  HTTP_INPUT_URL?: string;
  /** The runtime's HTTP Input bearer token (its `auth_header` is `Bearer <token>`). */
  HTTP_INPUT_TOKEN?: string;
  /** The runtime's `webhook_verify.provider` value. Default `github`. */
  RUNTIME_PROVIDER?: string;
  /** The runtime's `webhook_verify.secret`. Without it, no signature header is added. */
  RUNTIME_SECRET?: string;
  /** A service binding to reach the runtime through, instead of the public internet. */
  HTTP_INPUT?: { fetch(request: Request): Promise<Response> };
}

/** Largest accepted webhook body. GitHub caps payloads at 25 MB; most are far smaller. */
const MAX_BODY_BYTES = 1_048_576;

// One verifier per set of bindings: the CryptoKey is imported once per isolate, not per request.
const verifiers = new WeakMap<Env, SignatureVerifier>();

function verifierFor(env: Env): SignatureVerifier {
  let verifier = verifiers.get(env);
  if (!verifier) {
    const provider = env.WEBHOOK_PROVIDER ?? "github";
    const preset = provider === "stripe"
      ? WebhookProvider.STRIPE
      : provider === "slack"
      ? WebhookProvider.SLACK
      : WebhookProvider.GITHUB;
    verifier = preset.verifier({ secret: env.WEBHOOK_SECRET });
    verifiers.set(env, verifier);
  }
  return verifier;
}

async function forward(
  body: Uint8Array<ArrayBuffer>,
  request: Request,
  env: Env,
): Promise<Response> {
  const headers = new Headers({
    "content-type": request.headers.get("content-type") ?? "application/json",
  });
  if (env.HTTP_INPUT_TOKEN) headers.set("authorization", `Bearer ${env.HTTP_INPUT_TOKEN}`);
  if (env.RUNTIME_SECRET) {
    const signature = await signRuntimeWebhook(
      env.RUNTIME_PROVIDER ?? "github",
      env.RUNTIME_SECRET,
      body,
    );
    headers.set(signature.name, signature.value);
  }
  const upstream = new Request(env.HTTP_INPUT_URL!, { method: "POST", headers, body });
  const response = await (env.HTTP_INPUT ? env.HTTP_INPUT.fetch(upstream) : fetch(upstream));
  return new Response(response.body, {
    status: response.status,
    headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
  });
}

export default {
  /**
   * Verifies one webhook delivery and answers or forwards it.
   *
   * @param request The incoming request.
   * @param env The worker's bindings.
   * @returns 200 (or the runtime's answer) for a verified webhook; 401, 405 or 413 otherwise.
   */
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== "POST") {
      return new Response(null, { status: 405, headers: { allow: "POST" } });
    }
    let verified;
    try {
      verified = await verifierFor(env).verifyRequest(request, { maxBodyBytes: MAX_BODY_BYTES });
    } catch (error) {
      if (!(error instanceof WebhookError)) throw error;
      const status = error.code === WebhookErrorCode.BODY_TOO_LARGE ? 413 : 401;
      return Response.json({ error: error.code }, { status });
    }
    if (env.HTTP_INPUT_URL) return await forward(verified.body, request, env);
    return Response.json({
      received: true,
      bytes: verified.body.length,
      ...(verified.timestamp === undefined ? {} : { timestamp: verified.timestamp }),
    });
  },
};
