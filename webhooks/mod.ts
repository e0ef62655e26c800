/**
 * Webhook signature verification and signing, for servers and edge workers: HMAC schemes with
 * presets for GitHub, Stripe and Slack (real formats, with replay windows) and for the Symbiont
 * runtime's HTTP Input server, JWT bearer tokens, and a `Request`-based API that reads the body
 * once. Web standards only (WebCrypto), no dependencies; MACs are compared in constant time and
 * keys are imported once per secret.
 *
 * ```ts ignore
 * import { WebhookError, WebhookProvider } from "@symbiont/sdk/webhooks";
 *
 * const verifier = WebhookProvider.GITHUB.verifier({ secret: env.GITHUB_WEBHOOK_SECRET });
 * try {
 *   const verified = await verifier.verifyRequest(request);
 *   const event = verified.json();
 * } catch (error) {
 *   if (error instanceof WebhookError) return new Response(null, { status: 401 });
 *   throw error;
 * }
 * ```
 *
 * @module
 */
export { WebhookError, WebhookErrorCode } from "./errors.ts";
export {
  DEFAULT_MAX_BODY_BYTES,
  SignatureVerifier,
  type VerifiedWebhook,
  type VerifyRequestOptions,
  type WebhookBody,
  type WebhookHeaders,
  type WebhookVerification,
} from "./verifier.ts";
export {
  type HmacHash,
  type HmacSecret,
  type HmacSignOptions,
  HmacVerifier,
  type HmacVerifierOptions,
  type KeyedHeaderFormat,
} from "./hmac_verifier.ts";
export { type JwtAlgorithm, JwtVerifier, type JwtVerifierOptions } from "./jwt_verifier.ts";
export {
  type PresetSignOptions,
  type PresetVerifierOptions,
  runtimeProvider,
  type SignatureHeader,
  signRuntimeWebhook,
  WebhookProvider,
  type WebhookProviderPreset,
} from "./providers.ts";
export { timingSafeEqual } from "./timing_safe_equal.ts";
