/**
 * `symbiont dev`: serve the local runtime double (the management API) on port 8080 so the SDK, the
 * CLI and your own code can run against it without a Symbiont runtime. Ctrl-C stops it.
 *
 * @module
 */
import { readEnv } from "../client/_env.ts";
import { createRuntimeDouble, serve } from "../testing/mod.ts";
import type { CommandGroup } from "./_framework.ts";
import { noExtra, numberFlag } from "./_input.ts";

/** The `dev` command group (one command, run by `symbiont dev`). */
export const devCommands: CommandGroup = {
  summary: "serve the local runtime double on 8080 (no Symbiont runtime needed)",
  default: "serve",
  commands: {
    serve: {
      summary:
        'serve the runtime double\'s management API until Ctrl-C; the token is --token, else SYMBIONT_API_KEY, else the well-known dev token "dev-token"',
      usage: "[--port 8080] [--host 127.0.0.1] [--token-env NAME]",
      flags: {
        port: {
          type: "string",
          description: "management API port (default 8080; 0 picks a free one)",
        },
        host: { type: "string", description: "interface to bind (default 127.0.0.1)" },
        "token-env": {
          type: "string",
          description: "env variable holding the token to accept (default SYMBIONT_API_KEY)",
        },
        seed: { type: "boolean", description: 'start with one agent ("demo") already created' },
      },
      examples: [
        "symbiont dev",
        "SYMBIONT_API_KEY=s3cret symbiont dev --port 18080",
        "symbiont dev & SYMBIONT_API_KEY=dev-token symbiont agents list",
      ],
      permissions: "--allow-net --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const portRaw = ctx.flags.port as string | undefined;
        const port = portRaw === "0" ? 0 : numberFlag(ctx.flags, "port", 8080, true);
        const hostname = (ctx.flags.host as string | undefined) ?? "127.0.0.1";
        const tokenEnv = (ctx.flags["token-env"] as string | undefined) ?? "SYMBIONT_API_KEY";
        const fromEnv = readEnv(tokenEnv) ??
          (tokenEnv === "SYMBIONT_API_KEY" ? readEnv("SYMBIONT_API_TOKEN") : undefined);
        const token = fromEnv ?? "dev-token";
        const double = createRuntimeDouble({ apiToken: token, readyAfterMs: 0 });
        if (ctx.flags.seed) double.seedAgent({ name: "demo", dsl: "agent demo { }" });
        const server = await serve(double.fetch, { port, hostname });
        const info = {
          api: `${server.url}/api/v1`,
          token: fromEnv ? `[from ${tokenEnv}, redacted]` : "dev-token (the well-known dev token)",
        };
        if (ctx.json) ctx.io.stdout(JSON.stringify({ listening: info }));
        else {
          ctx.io.stdout(`runtime double listening on ${info.api}`);
          ctx.io.stdout(`token: ${info.token}`);
          ctx.io.stdout(
            `try: SYMBIONT_BASE_URL=${server.url} SYMBIONT_API_KEY=${
              fromEnv ? "…" : "dev-token"
            } symbiont agents list`,
          );
          ctx.io.stdout("Ctrl-C stops it.");
        }
        try {
          await (ctx.io.interrupted?.() ?? new Promise<void>(() => {}));
        } finally {
          await server.close();
        }
        if (!ctx.json) ctx.io.stdout("stopped");
        return undefined;
      },
    },
  },
};
