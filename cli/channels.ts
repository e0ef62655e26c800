/**
 * `symbiont channels ...`, `symbiont workflows ...` and `symbiont approvals ...`.
 *
 * @module
 */
import type { ChannelSummary, HeldAction, IdentityMappingEntry } from "../client/mod.ts";
import type { Command, CommandGroup } from "./_framework.ts";
import { arg, jsonArg, list, noExtra, required, textArg } from "./_input.ts";
import { table } from "./_render.ts";

const PERMS = "--allow-net --allow-env (--allow-read for @file arguments)";

function byId(
  summary: string,
  call: "get" | "delete" | "start" | "stop" | "health" | "audit",
): Command {
  return {
    summary,
    usage: "<channel-id>",
    examples: [`symbiont channels ${call} ops-slack`],
    permissions: PERMS,
    run: async (ctx) => {
      noExtra(ctx, 1);
      const id = arg(ctx, 0, "channel-id");
      return await (await ctx.client()).channels[call](id);
    },
  };
}

/** The `channels` command group. */
export const channelsCommands: CommandGroup = {
  summary: "chat channels: list, register, get, update, start, stop, health, mappings, audit",
  commands: {
    list: {
      summary: "GET /channels",
      examples: ["symbiont channels list"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        return await (await ctx.client()).channels.list();
      },
      human: (v) =>
        table(v as ChannelSummary[], [
          ["id", (c) => c.id],
          ["platform", (c) => c.platform],
          ["status", (c) => c.status],
          ["name", (c) => c.name],
        ]),
    },
    register: {
      summary: "POST /channels: register a Slack, Teams or Mattermost channel",
      usage: "--name NAME --platform slack|teams|mattermost --settings JSON|@file",
      flags: {
        name: { type: "string", description: "the channel's name" },
        platform: { type: "string", description: "slack, teams or mattermost" },
        settings: { type: "string", description: "platform configuration as JSON, @file or -" },
      },
      examples: [
        'symbiont channels register --name ops --platform slack --settings \'{"workspace":"acme"}\'',
        "symbiont channels register --name ops --platform slack --settings @slack.json",
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const config = await jsonArg(ctx, "settings", required(ctx.flags, "settings")) as
          | NonNullable<unknown>
          | null;
        const request = {
          name: required(ctx.flags, "name"),
          platform: required(ctx.flags, "platform"),
          config,
        };
        return await (await ctx.client()).channels.register(request);
      },
    },
    get: byId("GET /channels/{id}", "get"),
    update: {
      summary: "PUT /channels/{id}: replace the platform configuration",
      usage: "<channel-id> --settings JSON|@file",
      flags: { settings: { type: "string", description: "new configuration as JSON, @file or -" } },
      examples: ["symbiont channels update ops-slack --settings @slack.json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "channel-id");
        const config = await jsonArg(ctx, "settings", required(ctx.flags, "settings"));
        return await (await ctx.client()).channels.update(id, { config });
      },
    },
    start: byId("POST /channels/{id}/start", "start"),
    stop: byId("POST /channels/{id}/stop", "stop"),
    health: byId("GET /channels/{id}/health", "health"),
    audit: byId("GET /channels/{id}/audit: the last 50 entries", "audit"),
    mappings: {
      summary: "GET /channels/{id}/mappings: platform users mapped to Symbiont users",
      usage: "<channel-id>",
      examples: ["symbiont channels mappings ops-slack --json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "channel-id");
        return await (await ctx.client()).channels.listMappings(id);
      },
      human: (v) =>
        table(v as IdentityMappingEntry[], [
          ["platform user", (m) => m.platform_user_id],
          ["symbiont user", (m) => m.symbiont_user_id],
          ["name", (m) => m.display_name],
        ]),
    },
    map: {
      summary: "POST /channels/{id}/mappings: map a platform user",
      usage: "<channel-id> --platform-user ID --user ID --display-name NAME [--role R ...]",
      flags: {
        "platform-user": { type: "string", description: "the user's id on the platform" },
        user: { type: "string", description: "the Symbiont user id" },
        "display-name": { type: "string", description: "display name" },
        email: { type: "string", description: "email" },
        role: { type: "string", multiple: true, description: "a role" },
      },
      examples: [
        "symbiont channels map ops-slack --platform-user U123 --user alice --display-name Alice --role admin",
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "channel-id");
        const request = {
          platform_user_id: required(ctx.flags, "platform-user"),
          symbiont_user_id: required(ctx.flags, "user"),
          display_name: required(ctx.flags, "display-name"),
          ...(ctx.flags.email ? { email: ctx.flags.email as string } : {}),
          roles: list(ctx.flags.role),
        };
        return await (await ctx.client()).channels.addMapping(id, request);
      },
    },
    unmap: {
      summary: "DELETE /channels/{id}/mappings/{user}",
      usage: "<channel-id> <platform-user-id>",
      examples: ["symbiont channels unmap ops-slack U123"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 2);
        const channel = arg(ctx, 0, "channel-id");
        const user = arg(ctx, 1, "platform-user-id");
        await (await ctx.client()).channels.removeMapping(channel, user);
        return { channel_id: channel, platform_user_id: user, removed: true };
      },
    },
    delete: byId("DELETE /channels/{id}", "delete"),
  },
};

/** The `workflows` command group. */
export const workflowsCommands: CommandGroup = {
  summary: "run a workflow from DSL",
  commands: {
    execute: {
      summary: "POST /workflows/execute: run DSL with parameters",
      usage: "--dsl TEXT|@file [--params JSON|@file] [--agent AGENT-ID]",
      flags: {
        dsl: { type: "string", description: "the workflow's DSL, @file or -" },
        params: { type: "string", description: "parameters as JSON, @file or -" },
        agent: { type: "string", description: "run as this agent (needed with scoped keys)" },
      },
      examples: [
        'symbiont workflows execute --dsl @report.dsl --params \'{"day":"monday"}\'',
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const dsl = await textArg(ctx, required(ctx.flags, "dsl"));
        const parameters = ctx.flags.params === undefined
          ? undefined
          : await jsonArg(ctx, "params", ctx.flags.params as string);
        return await (await ctx.client()).workflows.execute({
          workflow_id: dsl,
          ...(parameters !== undefined ? { parameters } : {}),
          ...(ctx.flags.agent ? { agent_id: ctx.flags.agent as string } : {}),
        });
      },
    },
  },
};

function decide(decision: "approve" | "deny"): Command {
  return {
    summary: `POST /approvals/{id}/${decision} (admin key)`,
    usage: "<held-action-id> [--reason TEXT]",
    flags: { reason: { type: "string", description: "why (kept in the runtime's audit trail)" } },
    examples: [`symbiont approvals ${decision} 3f2a9c0d1e4b5a6c --reason "reviewed"`],
    permissions: PERMS,
    run: async (ctx) => {
      noExtra(ctx, 1);
      const id = arg(ctx, 0, "held-action-id");
      const reason = ctx.flags.reason as string | undefined;
      await (await ctx.client()).approvals[decision](id, reason === undefined ? {} : { reason });
      return { id, decision };
    },
  };
}

/** The `approvals` command group. */
export const approvalsCommands: CommandGroup = {
  summary: "the human-approval queue: list, approve, deny",
  commands: {
    list: {
      summary: "GET /approvals: held actions waiting for a decision",
      flags: { pending: { type: "boolean", description: "only pending actions" } },
      examples: ["symbiont approvals list", "symbiont approvals list --pending --json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const all = await (await ctx.client()).approvals.list();
        return ctx.flags.pending ? all.filter((h) => h.status === "pending") : all;
      },
      human: (v) =>
        table(v as HeldAction[], [
          ["id", (h) => h.id],
          ["status", (h) => h.status],
          ["kind", (h) => h.kind],
          ["expires", (h) => h.expires_at],
          ["summary", (h) => h.summary],
        ]),
    },
    approve: decide("approve"),
    deny: decide("deny"),
  },
};
