/**
 * `symbiont webhook sign|verify`: sign a body as a provider does, or verify a delivery. The secret
 * comes from an environment variable or a file, never from the command line.
 *
 * @module
 */
import { readEnv } from "../client/_env.ts";
import { WebhookError, WebhookProvider, type WebhookProviderPreset } from "../webhooks/mod.ts";
import {
  CliError,
  type CommandContext,
  type CommandGroup,
  type FlagSpec,
  UsageError,
} from "./_framework.ts";
import { list, noExtra, required, secretArg, textArg } from "./_input.ts";

const PROVIDERS: Record<string, WebhookProviderPreset> = {
  github: WebhookProvider.GITHUB,
  stripe: WebhookProvider.STRIPE,
  slack: WebhookProvider.SLACK,
  custom: WebhookProvider.CUSTOM,
  "symbiont-github": WebhookProvider.SYMBIONT_GITHUB,
  "symbiont-stripe": WebhookProvider.SYMBIONT_STRIPE,
  "symbiont-slack": WebhookProvider.SYMBIONT_SLACK,
  "symbiont-custom": WebhookProvider.SYMBIONT_CUSTOM,
};

const SECRET_ENV = "SYMBIONT_WEBHOOK_SECRET";

const COMMON: FlagSpec = {
  provider: {
    type: "string",
    description: `scheme: ${Object.keys(PROVIDERS).join(", ")}`,
  },
  body: { type: "string", description: "the exact body: text, @file or - (stdin)" },
  "secret-env": {
    type: "string",
    description: `environment variable holding the secret (default ${SECRET_ENV})`,
  },
  "secret-file": { type: "string", description: "file holding the secret" },
};

function provider(ctx: CommandContext): WebhookProviderPreset {
  const name = required(ctx.flags, "provider").toLowerCase();
  const preset = PROVIDERS[name];
  if (!preset) {
    throw new UsageError(
      `--provider expects one of ${Object.keys(PROVIDERS).join(", ")}, got "${name}"`,
    );
  }
  return preset;
}

/** The `webhook` command group. */
export const webhookCommands: CommandGroup = {
  summary:
    "webhook signatures: sign a body as GitHub/Stripe/Slack/the runtime do, verify a delivery",
  commands: {
    sign: {
      summary: "print the signature header(s) a provider would send with the body",
      usage: "--provider NAME --body TEXT|@file|- [--timestamp UNIX]",
      flags: {
        ...COMMON,
        timestamp: {
          type: "string",
          description: "Unix seconds to sign (Stripe, Slack; default now)",
        },
      },
      examples: [
        "SYMBIONT_WEBHOOK_SECRET=s3cret symbiont webhook sign --provider github --body @event.json",
        "symbiont webhook sign --provider stripe --secret-file stripe.secret --body - < event.json --json",
      ],
      permissions: "--allow-env (--allow-read for @file and --secret-file)",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const preset = provider(ctx);
        const body = await textArg(ctx, required(ctx.flags, "body"));
        const secret = await secretArg(ctx, SECRET_ENV, readEnv);
        let timestamp: number | undefined;
        if (ctx.flags.timestamp !== undefined) {
          timestamp = Number(ctx.flags.timestamp);
          if (!Number.isInteger(timestamp) || timestamp <= 0) {
            throw new UsageError("--timestamp expects Unix seconds");
          }
        }
        return await preset.sign({ secret, body, ...(timestamp ? { timestamp } : {}) });
      },
      human: (v) =>
        Object.entries(v as Record<string, string>).map(([k, value]) => `${k}: ${value}`).join(
          "\n",
        ),
    },
    verify: {
      summary:
        "verify a delivery's signature header(s) against the body (exit 1 when it does not verify)",
      usage: '--provider NAME --body TEXT|@file|- --header "Name: value" ...',
      flags: {
        ...COMMON,
        header: { type: "string", multiple: true, description: 'a received header, "Name: value"' },
        tolerance: {
          type: "string",
          description: "replay window in seconds (Stripe, Slack; default 300)",
        },
      },
      examples: [
        'symbiont webhook verify --provider github --body @event.json --header "X-Hub-Signature-256: sha256=…"',
      ],
      permissions: "--allow-env (--allow-read for @file and --secret-file)",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const preset = provider(ctx);
        const headers: Record<string, string> = {};
        for (const h of list(ctx.flags.header)) {
          const i = h.indexOf(":");
          if (i <= 0) {
            throw new UsageError(
              `--header expects "Name: value", got ${JSON.stringify(h.slice(0, 40))}`,
            );
          }
          headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
        }
        if (!Object.keys(headers).length) {
          throw new UsageError("--header is required (the received signature header)");
        }
        const body = await textArg(ctx, required(ctx.flags, "body"));
        const secret = await secretArg(ctx, SECRET_ENV, readEnv);
        const tolerance = ctx.flags.tolerance === undefined
          ? undefined
          : Number(ctx.flags.tolerance);
        if (tolerance !== undefined && (!Number.isFinite(tolerance) || tolerance < 0)) {
          throw new UsageError("--tolerance expects seconds");
        }
        try {
          const result = await preset.verifier({
            secret,
            ...(tolerance !== undefined ? { tolerance } : {}),
          })
            .verify(headers, body);
          return { valid: true, provider: preset.name, ...result };
        } catch (error) {
          if (error instanceof WebhookError) {
            throw new CliError(`signature rejected: ${error.message}`, error.code, {
              valid: false,
              provider: preset.name,
            });
          }
          throw error;
        }
      },
      human: (v) => `valid ${(v as { provider: string }).provider} signature`,
    },
  },
};
