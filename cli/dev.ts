/**
 * `symbiont dev`: serve the local runtime double (management API and a scripted Coordinator Chat)
 * on port 8080 and the HTTP Input double on 8081, so the SDK, the CLI and your own code can run
 * against them without a Symbiont runtime. Ctrl-C stops them.
 *
 * @module
 */
import { readEnv } from "../client/_env.ts";
import { serveDoubles } from "./_doubles.ts";
import type { CommandGroup } from "./_framework.ts";
import { noExtra, numberFlag } from "./_input.ts";

/** The `dev` command group (one command, run by `symbiont dev`). */
export const devCommands: CommandGroup = {
  summary: "serve the local runtime double on 8080 and 8081 (no Symbiont runtime needed)",
  default: "serve",
  commands: {
    serve: {
      summary:
        'serve the runtime double (management API, scripted /ws/chat) on 8080 and the HTTP Input double on 8081 until Ctrl-C; tokens come from SYMBIONT_API_KEY and SYMBIONT_HTTP_INPUT_TOKEN, else the well-known dev tokens "dev-token" and "dev-input-token"',
      usage: "[--port 8080] [--http-input-port 8081] [--host 127.0.0.1] [--token-env NAME]",
      flags: {
        port: {
          type: "string",
          description: "management API port (default 8080; 0 picks a free one)",
        },
        "http-input-port": {
          type: "string",
          description: "HTTP Input port (default 8081; 0 picks a free one)",
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
        const port = (name: string, fallback: number) =>
          ctx.flags[name] === "0" ? 0 : numberFlag(ctx.flags, name, fallback, true);
        const apiPort = port("port", 8080);
        const inputPort = port("http-input-port", 8081);
        const hostname = (ctx.flags.host as string | undefined) ?? "127.0.0.1";
        const tokenEnv = (ctx.flags["token-env"] as string | undefined) ?? "SYMBIONT_API_KEY";
        const fromEnv = readEnv(tokenEnv) ??
          (tokenEnv === "SYMBIONT_API_KEY" ? readEnv("SYMBIONT_API_TOKEN") : undefined);
        const inputFromEnv = readEnv("SYMBIONT_HTTP_INPUT_TOKEN");
        const doubles = await serveDoubles({
          apiToken: fromEnv ?? "dev-token",
          httpInputToken: inputFromEnv ?? "dev-input-token",
          apiPort,
          inputPort,
          hostname,
        });
        if (ctx.flags.seed) doubles.runtime.seedAgent({ name: "demo", dsl: "agent demo { }" });
        const server = doubles;
        const info = {
          api: `${doubles.api.url}/api/v1`,
          chat: `${doubles.api.url.replace(/^http/, "ws")}/ws/chat`,
          httpInput: `${doubles.input.url}/webhook`,
          token: fromEnv ? `[from ${tokenEnv}, redacted]` : "dev-token (the well-known dev token)",
          httpInputToken: inputFromEnv
            ? "[from SYMBIONT_HTTP_INPUT_TOKEN, redacted]"
            : "dev-input-token (the well-known dev token)",
        };
        if (ctx.json) ctx.io.stdout(JSON.stringify({ listening: info }));
        else {
          ctx.io.stdout(`runtime double listening on ${info.api} (chat: ${info.chat})`);
          ctx.io.stdout(`HTTP Input double listening on ${info.httpInput}`);
          ctx.io.stdout(`tokens: ${info.token}; HTTP Input ${info.httpInputToken}`);
          ctx.io.stdout(
            `try: SYMBIONT_BASE_URL=${doubles.api.url} SYMBIONT_API_KEY=${
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
