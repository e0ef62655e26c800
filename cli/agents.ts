/**
 * `symbiont agents ...` and `symbiont messages ...`: agent lifecycle and inter-agent messages.
 *
 * @module
 */
import {
  type AgentExecutionRecord,
  type AgentSummary,
  type ExecutionMode,
  executionMode,
  type MessageEnvelope,
} from "../client/mod.ts";
import type { CommandGroup } from "./_framework.ts";
import { UsageError } from "./_framework.ts";
import { arg, jsonArg, list, noExtra, numberFlag, pairs, required, textArg } from "./_input.ts";
import { table } from "./_render.ts";

const PERMS = "--allow-net --allow-env (--allow-read for @file arguments and --dotenv)";

/** The `agents` command group. */
export const agentsCommands: CommandGroup = {
  summary: "agent lifecycle: list, create, status, update, execute, history, delete",
  commands: {
    list: {
      summary: "GET /agents: every agent's id, name and state",
      examples: ["symbiont agents list", "symbiont agents list --json | jq '.[].id'"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        return await (await ctx.client()).agents.list();
      },
      human: (v) =>
        table(v as AgentSummary[], [["id", (a) => a.id], ["state", (a) => a.state], [
          "name",
          (a) => a.name,
        ]]),
    },
    create: {
      summary: "POST /agents: create an agent from DSL",
      usage: "--name NAME (--dsl TEXT | --dsl @file.dsl) [--mode MODE ...] [--capability C ...] " +
        "[--metadata k=v ...]",
      flags: {
        name: { type: "string", description: "the agent's name" },
        dsl: { type: "string", description: "DSL source, @file or - (optional for external)" },
        mode: {
          type: "string",
          description: "ephemeral (default), persistent, event-driven, scheduled, cron or external",
        },
        interval: { type: "string", description: "scheduled: seconds between runs" },
        cron: { type: "string", description: "cron: 6/7-field expression (sec min hour ...)" },
        timezone: { type: "string", description: "cron: IANA time zone (default UTC)" },
        heartbeat: { type: "string", description: "external: heartbeat interval in seconds" },
        endpoint: { type: "string", description: "external: the agent's endpoint URL" },
        "agentpin-domain": { type: "string", description: "external: its AgentPin domain" },
        capability: { type: "string", multiple: true, description: "a capability" },
        metadata: { type: "string", multiple: true, description: "metadata as key=value" },
      },
      examples: [
        'symbiont agents create --name greeter --dsl "agent greeter { }"',
        "symbiont agents create --name scanner --dsl @agents/scanner.dsl --capability read:logs",
        'symbiont agents create --name nightly --dsl @n.dsl --mode cron --cron "0 0 3 * * *"',
        "symbiont agents create --name edge --mode external --heartbeat 60",
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const name = required(ctx.flags, "name");
        const mode = (ctx.flags.mode as string | undefined) ?? "ephemeral";
        const seconds = (flag: string): number => {
          const value = Number(required(ctx.flags, flag));
          if (!Number.isFinite(value) || value <= 0) {
            throw new UsageError(`--${flag} expects a positive number of seconds`);
          }
          return value;
        };
        const modes: Record<string, () => ExecutionMode> = {
          ephemeral: executionMode.ephemeral,
          persistent: executionMode.persistent,
          "event-driven": executionMode.eventDriven,
          scheduled: () => executionMode.scheduled(seconds("interval")),
          cron: () =>
            executionMode.cronScheduled(
              required(ctx.flags, "cron"),
              (ctx.flags.timezone as string | undefined) ?? "UTC",
            ),
          external: () =>
            executionMode.external({
              heartbeatIntervalSecs: Math.round(seconds("heartbeat")),
              endpoint: ctx.flags.endpoint as string | undefined,
              agentpinDomain: ctx.flags["agentpin-domain"] as string | undefined,
            }),
        };
        if (!modes[mode]) {
          throw new UsageError(
            `--mode expects ${Object.keys(modes).join(", ")}, got "${mode}"`,
          );
        }
        const execution = modes[mode]();
        const dslFlag = ctx.flags.dsl as string | undefined;
        const dsl = mode === "external" && dslFlag === undefined
          ? undefined
          : await textArg(ctx, required(ctx.flags, "dsl"));
        const capabilities = list(ctx.flags.capability);
        const metadata = pairs("metadata", ctx.flags.metadata);
        return await (await ctx.client()).agents.create({
          name,
          ...(dsl !== undefined ? { dsl } : {}),
          ...(ctx.flags.mode !== undefined ? { execution_mode: execution } : {}),
          ...(capabilities.length ? { capabilities } : {}),
          ...(Object.keys(metadata).length ? { metadata } : {}),
        });
      },
    },
    status: {
      summary: "GET /agents/{id}/status: state, activity and resource use",
      usage: "<agent-id>",
      examples: ["symbiont agents status 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        return await (await ctx.client()).agents.status(id);
      },
    },
    update: {
      summary: "PUT /agents/{id}: rename or replace the DSL",
      usage: "<agent-id> [--name NAME] [--dsl TEXT|@file]",
      flags: {
        name: { type: "string", description: "new name" },
        dsl: { type: "string", description: "new DSL source, @file or -" },
      },
      examples: ["symbiont agents update 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40 --dsl @greeter.dsl"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        if (ctx.flags.name === undefined && ctx.flags.dsl === undefined) {
          throw new UsageError("give --name, --dsl or both");
        }
        const dsl = ctx.flags.dsl === undefined
          ? undefined
          : await textArg(ctx, ctx.flags.dsl as string);
        return await (await ctx.client()).agents.update(id, {
          ...(ctx.flags.name !== undefined ? { name: ctx.flags.name as string } : {}),
          ...(dsl !== undefined ? { dsl } : {}),
        });
      },
    },
    execute: {
      summary: "POST /agents/{id}/execute: start a run",
      usage: "<agent-id>",
      examples: ["symbiont agents execute 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        return await (await ctx.client()).agents.execute(id);
      },
    },
    history: {
      summary: "GET /agents/{id}/history: past runs",
      usage: "<agent-id>",
      examples: ["symbiont agents history 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40 --json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        return await (await ctx.client()).agents.history(id);
      },
      human: (v) =>
        table(v as AgentExecutionRecord[], [["execution", (r) => r.execution_id], [
          "status",
          (r) => r.status,
        ], ["time", (r) => r.timestamp]]),
    },
    heartbeat: {
      summary: "POST /agents/{id}/heartbeat: report an External agent's state",
      usage: "<agent-id> --state STATE [--metadata k=v ...]",
      flags: {
        state: { type: "string", description: "Created, Ready, Running, Suspended, ..." },
        metadata: { type: "string", multiple: true, description: "metadata as key=value" },
        "last-result": { type: "string", description: "the last result, as text" },
      },
      examples: ["symbiont agents heartbeat 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40 --state Running"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        const metadata = pairs("metadata", ctx.flags.metadata);
        const state = required(ctx.flags, "state") as "Running";
        await (await ctx.client()).agents.heartbeat(id, {
          state,
          ...(Object.keys(metadata).length ? { metadata } : {}),
          ...(ctx.flags["last-result"] ? { last_result: ctx.flags["last-result"] as string } : {}),
        });
        return { agent_id: id, heartbeat: "accepted" };
      },
    },
    delete: {
      summary: "DELETE /agents/{id}",
      usage: "<agent-id>",
      examples: ["symbiont agents delete 5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        return await (await ctx.client()).agents.delete(id);
      },
    },
  },
};

/** The `messages` command group. */
export const messagesCommands: CommandGroup = {
  summary: "inter-agent messages: send, receive, status",
  commands: {
    send: {
      summary: "POST /agents/{recipient}/messages: send a message",
      usage: "<recipient-id> --from SENDER-ID --payload TEXT [--ttl SECONDS] [--topic T]",
      flags: {
        from: { type: "string", description: "the sending agent's id" },
        payload: { type: "string", description: "the message text, @file or -" },
        ttl: { type: "string", description: "time to live in seconds (default 300)" },
        topic: { type: "string", description: "publish to this topic instead" },
        "payload-json": { type: "string", description: "a JSON payload, sent as its text" },
      },
      examples: [
        "symbiont messages send $BOB --from $ALICE --payload 'hello'",
        "symbiont messages send $BOB --from $ALICE --payload @report.txt --ttl 60",
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const recipient = arg(ctx, 0, "recipient-id");
        let payload: string;
        if (ctx.flags["payload-json"] !== undefined) {
          if (ctx.flags.payload !== undefined) {
            throw new UsageError("give --payload or --payload-json");
          }
          payload = JSON.stringify(
            await jsonArg(ctx, "payload-json", ctx.flags["payload-json"] as string),
          );
        } else {
          payload = await textArg(ctx, required(ctx.flags, "payload"));
        }
        const ttl = ctx.flags.ttl === undefined
          ? undefined
          : numberFlag(ctx.flags, "ttl", 300, true);
        const sender = required(ctx.flags, "from");
        return await (await ctx.client()).messages.send(recipient, {
          sender,
          payload,
          ...(ttl !== undefined ? { ttl_seconds: ttl } : {}),
          ...(ctx.flags.topic ? { topic: ctx.flags.topic as string } : {}),
        });
      },
    },
    receive: {
      summary: "GET /agents/{id}/messages: drain an agent's inbox",
      usage: "<agent-id>",
      examples: ["symbiont messages receive $BOB", "symbiont messages receive $BOB --json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        return await (await ctx.client()).messages.receive(id);
      },
      human: (v) =>
        table(v as MessageEnvelope[], [["message", (m) => m.message_id], [
          "sender",
          (m) => m.sender,
        ], ["payload", (m) => m.payload]]),
    },
    status: {
      summary: "GET /messages/{id}/status: pending, delivered, failed or expired",
      usage: "<message-id>",
      examples: ["symbiont messages status 0b5c9f5e-2f7e-4b8c-9d1a-3e6f7a8b9c0d"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "message-id");
        return await (await ctx.client()).messages.status(id);
      },
    },
  },
};
