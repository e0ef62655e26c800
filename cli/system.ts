/**
 * `symbiont system ...` and `symbiont config`: probes, status, metrics, resolved configuration.
 *
 * @module
 */
import { resolveClientOptions } from "../client/options.ts";
import type { CommandGroup } from "./_framework.ts";

/** The `system` command group. */
export const systemCommands: CommandGroup = {
  summary: "health probes, status, scheduler health, metrics, agents.md",
  commands: {
    health: {
      summary: "GET /health (no key needed)",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system health", "symbiont system health --json"],
      run: async (ctx) => await (await ctx.client({ requireKey: false })).system.health(),
    },
    live: {
      summary: "GET /health/live",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system live"],
      run: async (ctx) => ({ live: await (await ctx.client({ requireKey: false })).system.live() }),
    },
    ready: {
      summary: "GET /health/ready (exit 1 while the runtime is not ready)",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system ready"],
      run: async (ctx) => {
        const ready = await (await ctx.client({ requireKey: false })).system.ready();
        if (!ready) throw new Error("the runtime is not ready yet (503)");
        return { ready };
      },
    },
    status: {
      summary: "GET /status: version, health and counts",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system status --base-url http://localhost:8080"],
      run: async (ctx) => await (await ctx.client()).system.status(),
    },
    scheduler: {
      summary: "GET /health/scheduler: the cron scheduler's counters",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system scheduler --json"],
      run: async (ctx) => await (await ctx.client()).system.schedulerHealth(),
    },
    metrics: {
      summary: "GET /metrics: agent counts and system figures",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system metrics"],
      run: async (ctx) => await (await ctx.client()).system.metrics(),
    },
    "agents-md": {
      summary: "GET /agents.md",
      permissions: "--allow-net --allow-env",
      examples: ["symbiont system agents-md > AGENTS.md"],
      run: async (ctx) => await (await ctx.client()).system.agentsMd(),
      human: (value) => String(value),
    },
  },
};

/** The `config` command group. */
export const configCommands: CommandGroup = {
  summary: "the resolved configuration (the key redacted)",
  commands: {
    show: {
      summary: "print the configuration a client would use, from flags, files and environment",
      permissions: "--allow-env (--allow-read with --dotenv or --config)",
      examples: ["symbiont config show", "symbiont config show --dotenv .env --json"],
      run: async (ctx) => {
        const resolved = resolveClientOptions(await ctx.clientOptions());
        return {
          baseUrl: resolved.baseUrl,
          apiKey: resolved.apiKey ? "[set, redacted]" : "[not set]",
          timeoutMs: resolved.timeout,
          validationMode: resolved.validationMode,
          maxRetries: resolved.maxRetries,
          httpInputUrl: resolved.httpInputUrl,
          httpInputToken: resolved.httpInputToken ? "[set, redacted]" : "[not set]",
        };
      },
    },
  },
};
