/**
 * Presets for the real providers' schemes (GitHub, Stripe, Slack), a custom preset, the formats the
 * Symbiont runtime's HTTP Input server checks, and the signer the HTTP Input client uses.
 *
 * @module
 */
import { type HmacSecret, HmacVerifier, type HmacVerifierOptions } from "./hmac_verifier.ts";
import type { WebhookBody } from "./verifier.ts";

/** Options of {@link WebhookProviderPreset.verifier}. */
export interface PresetVerifierOptions {
  /** The shared secret: text (used as UTF-8), bytes, or an HMAC-SHA256 `CryptoKey`. */
  secret: HmacSecret;
  /** Replay window in seconds for timestamped schemes (Stripe, Slack). Default 300. */
  tolerance?: number;
  /** Longest accepted header value, in characters. Default 4096. */
  maxHeaderLength?: number;
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

/** Options of {@link WebhookProviderPreset.sign}. */
export interface PresetSignOptions {
  /** The shared secret. */
  secret: HmacSecret;
  /** The exact body that will be sent. */
  body: WebhookBody;
  /** The Unix timestamp to sign, in seconds (Stripe, Slack). Default now. */
  timestamp?: number;
}

/** One provider's signature scheme: build a verifier, or sign as the provider does. */
export interface WebhookProviderPreset {
  /** The preset's name, such as `github` or `symbiont-stripe`. */
  readonly name: string;
  /** The signature header the scheme uses. */
  readonly headerName: string;
  /**
   * A verifier for this scheme.
   *
   * @param options The secret and optional tolerance, header limit and clock.
   * @returns A verifier with `verify` and `verifyRequest`.
   */
  verifier(options: PresetVerifierOptions): HmacVerifier;
  /**
   * The headers the provider would send with `body`.
   *
   * @param options The secret, the body and optionally the timestamp.
   * @returns Header name to value.
   */
  sign(options: PresetSignOptions): Promise<Record<string, string>>;
}

type Scheme = Omit<HmacVerifierOptions, "secret" | "tolerance" | "maxHeaderLength" | "now">;

function preset(name: string, scheme: Scheme): WebhookProviderPreset {
  const verifier = (options: PresetVerifierOptions): HmacVerifier =>
    new HmacVerifier({
      ...scheme,
      secret: options.secret,
      tolerance: options.tolerance,
      maxHeaderLength: options.maxHeaderLength,
      now: options.now,
    });
  return {
    name,
    headerName: scheme.headerName,
    verifier,
    sign: (options) =>
      verifier({ secret: options.secret }).sign(options.body, { timestamp: options.timestamp }),
  };
}

const GITHUB_SCHEME: Scheme = { headerName: "X-Hub-Signature-256", prefix: "sha256=" };

/**
 * Provider presets. The first four follow the providers' real schemes:
 *
 * - `GITHUB`: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
 * - `STRIPE`: `Stripe-Signature: t=<ts>,v1=<hex>[,v1=...]` over `<ts>.<body>`, 300 s tolerance.
 * - `SLACK`: `X-Slack-Signature: v0=<hex>` over `v0:<ts>:<body>`, with the timestamp in
 *   `X-Slack-Request-Timestamp`, 300 s tolerance.
 * - `CUSTOM`: `X-Signature: <hex HMAC-SHA256 of the body>`.
 *
 * The `SYMBIONT_*` presets are the simplified formats the Symbiont runtime's HTTP Input server
 * checks (hex HMAC-SHA256 of the body only, no timestamp): `SYMBIONT_GITHUB` (same as GitHub's),
 * `SYMBIONT_STRIPE` (`Stripe-Signature: <hex>`), `SYMBIONT_SLACK` (`X-Slack-Signature: v0=<hex>`)
 * and `SYMBIONT_CUSTOM` (`X-Signature: <hex>`, any other provider name). Use them for requests
 * sent to, or forwarded in the runtime's format to, an HTTP Input server.
 *
 * @example Verifying real GitHub and Stripe deliveries
 * ```ts ignore
 * import { WebhookProvider } from "@symbiont/sdk/webhooks";
 * const github = WebhookProvider.GITHUB.verifier({ secret: env.GITHUB_WEBHOOK_SECRET });
 * const stripe = WebhookProvider.STRIPE.verifier({ secret: env.STRIPE_WEBHOOK_SECRET });
 * const verified = await github.verifyRequest(request);
 * ```
 *
 * @example Signing a body as Slack does
 * ```ts
 * import { WebhookProvider } from "@symbiont/sdk/webhooks";
 * const headers = await WebhookProvider.SLACK.sign({ secret: "s3cret", body: "token=x" });
 * console.log(Object.keys(headers)); // ["X-Slack-Signature", "X-Slack-Request-Timestamp"]
 * ```
 */
export const WebhookProvider: {
  readonly GITHUB: WebhookProviderPreset;
  readonly STRIPE: WebhookProviderPreset;
  readonly SLACK: WebhookProviderPreset;
  readonly CUSTOM: WebhookProviderPreset;
  readonly SYMBIONT_GITHUB: WebhookProviderPreset;
  readonly SYMBIONT_STRIPE: WebhookProviderPreset;
  readonly SYMBIONT_SLACK: WebhookProviderPreset;
  readonly SYMBIONT_CUSTOM: WebhookProviderPreset;
} = {
  GITHUB: preset("github", GITHUB_SCHEME),
  STRIPE: preset("stripe", {
    headerName: "Stripe-Signature",
    keyedHeader: { timestampKey: "t", signatureKey: "v1" },
    signedPayload: "{timestamp}.{body}",
  }),
  SLACK: preset("slack", {
    headerName: "X-Slack-Signature",
    prefix: "v0=",
    timestampHeader: "X-Slack-Request-Timestamp",
    signedPayload: "v0:{timestamp}:{body}",
  }),
  CUSTOM: preset("custom", { headerName: "X-Signature" }),
  SYMBIONT_GITHUB: preset("symbiont-github", GITHUB_SCHEME),
  SYMBIONT_STRIPE: preset("symbiont-stripe", { headerName: "Stripe-Signature" }),
  SYMBIONT_SLACK: preset("symbiont-slack", { headerName: "X-Slack-Signature", prefix: "v0=" }),
  SYMBIONT_CUSTOM: preset("symbiont-custom", { headerName: "X-Signature" }),
};

/**
 * The preset matching a `webhook_verify.provider` value of the runtime's HTTP Input
 * configuration: `github`, `stripe` and `slack` map to their `SYMBIONT_*` preset, any other name
 * to `SYMBIONT_CUSTOM`, as the runtime does.
 *
 * @param provider The provider name configured in the runtime.
 * @returns The matching `SYMBIONT_*` preset.
 *
 * @example Verifying what a runtime-configured sender signs
 * ```ts
 * import { runtimeProvider } from "@symbiont/sdk/webhooks";
 * console.log(runtimeProvider("stripe").headerName); // "Stripe-Signature"
 * console.log(runtimeProvider("gitlab").headerName); // "X-Signature"
 * ```
 */
export function runtimeProvider(provider: string): WebhookProviderPreset {
  return provider === "github"
    ? WebhookProvider.SYMBIONT_GITHUB
    : provider === "stripe"
    ? WebhookProvider.SYMBIONT_STRIPE
    : provider === "slack"
    ? WebhookProvider.SYMBIONT_SLACK
    : WebhookProvider.SYMBIONT_CUSTOM;
}

/** One HTTP header. */
export interface SignatureHeader {
  /** Header name. */
  name: string;
  /** Header value. */
  value: string;
}

/**
 * The signature header the runtime's HTTP Input server expects for `body`, given the provider
 * name configured in its `webhook_verify` section and the shared secret.
 *
 * @param provider The runtime's provider name: `github`, `stripe`, `slack`, or any other.
 * @param secret The shared secret (text is used as UTF-8).
 * @param body The exact body that will be posted.
 * @returns The header name and value to send.
 *
 * @example Signing an HTTP Input request
 * ```ts
 * import { signRuntimeWebhook } from "@symbiont/sdk/webhooks";
 * const body = JSON.stringify({ prompt: "scan target 10.0.0.1" });
 * const { name, value } = await signRuntimeWebhook("github", "s3cret", body);
 * console.log(name, value.startsWith("sha256=")); // X-Hub-Signature-256 true
 * ```
 */
export async function signRuntimeWebhook(
  provider: "github" | "stripe" | "slack" | (string & Record<never, never>),
  secret: HmacSecret,
  body: WebhookBody,
): Promise<SignatureHeader> {
  const preset = runtimeProvider(provider);
  const headers = await preset.sign({ secret, body });
  return { name: preset.headerName, value: headers[preset.headerName] };
}
