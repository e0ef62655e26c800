/**
 * `symbiont schedules ...`: cron schedules.
 *
 * @module
 */
import type { ScheduleRunEntry, ScheduleSummary } from "../client/mod.ts";
import { type Command, type CommandGroup, UsageError } from "./_framework.ts";
import { arg, list, noExtra, required } from "./_input.ts";
import { table } from "./_render.ts";

const PERMS = "--allow-net --allow-env";

function byId(
  summary: string,
  call: "get" | "delete" | "pause" | "resume" | "trigger",
  example: string,
): Command {
  return {
    summary,
    usage: "<job-id>",
    examples: [`symbiont schedules ${example} 7d3c0c5e-8f1a-4b2c-9d3e-4f5a6b7c8d9e`],
    permissions: PERMS,
    run: async (ctx) => {
      noExtra(ctx, 1);
      const id = arg(ctx, 0, "job-id");
      return await (await ctx.client()).schedules[call](id);
    },
  };
}

/** The `schedules` command group. */
export const schedulesCommands: CommandGroup = {
  summary: "cron schedules: list, create, get, update, pause, resume, trigger, history, next",
  commands: {
    list: {
      summary: "GET /schedules",
      examples: ["symbiont schedules list", "symbiont schedules list --json"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        return await (await ctx.client()).schedules.list();
      },
      human: (v) =>
        table(v as ScheduleSummary[], [
          ["job", (s) => s.job_id],
          ["status", (s) => s.status],
          ["cron", (s) => s.cron_expression],
          ["next run", (s) => s.next_run],
          ["name", (s) => s.name],
        ]),
    },
    create: {
      summary: "POST /schedules: run an agent on a cron expression (6 or 7 fields, seconds first)",
      usage: "--name NAME --cron EXPR --agent AGENT-NAME [--timezone TZ] [--one-shot]",
      flags: {
        name: { type: "string", description: "the schedule's name" },
        cron: { type: "string", description: 'e.g. "0 */5 * * * *" (every five minutes)' },
        agent: { type: "string", description: "the agent's name" },
        timezone: { type: "string", description: "IANA time zone (default UTC)" },
        policy: { type: "string", multiple: true, description: "a policy id" },
        "one-shot": { type: "boolean", description: "run once, then complete" },
      },
      examples: [
        'symbiont schedules create --name nightly --cron "0 0 3 * * *" --agent reporter',
        'symbiont schedules create --name once --cron "0 30 9 * * *" --agent greeter --one-shot',
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 0);
        const policies = list(ctx.flags.policy);
        const request = {
          name: required(ctx.flags, "name"),
          cron_expression: required(ctx.flags, "cron"),
          agent_name: required(ctx.flags, "agent"),
          ...(ctx.flags.timezone ? { timezone: ctx.flags.timezone as string } : {}),
          ...(policies.length ? { policy_ids: policies } : {}),
          ...(ctx.flags["one-shot"] ? { one_shot: true } : {}),
        };
        return await (await ctx.client()).schedules.create(request);
      },
    },
    get: byId("GET /schedules/{id}: one schedule in detail", "get", "get"),
    update: {
      summary: "PUT /schedules/{id}: change the cron expression or time zone",
      usage: "<job-id> [--cron EXPR] [--timezone TZ]",
      flags: {
        cron: { type: "string", description: "new cron expression" },
        timezone: { type: "string", description: "new IANA time zone" },
      },
      examples: [
        'symbiont schedules update 7d3c0c5e-8f1a-4b2c-9d3e-4f5a6b7c8d9e --cron "0 0 4 * * *"',
      ],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "job-id");
        if (!ctx.flags.cron && !ctx.flags.timezone) {
          throw new UsageError("give --cron, --timezone or both");
        }
        return await (await ctx.client()).schedules.update(id, {
          ...(ctx.flags.cron ? { cron_expression: ctx.flags.cron as string } : {}),
          ...(ctx.flags.timezone ? { timezone: ctx.flags.timezone as string } : {}),
        });
      },
    },
    pause: byId("POST /schedules/{id}/pause", "pause", "pause"),
    resume: byId("POST /schedules/{id}/resume", "resume", "resume"),
    trigger: byId("POST /schedules/{id}/trigger: run now", "trigger", "trigger"),
    delete: byId("DELETE /schedules/{id}", "delete", "delete"),
    history: {
      summary: "GET /schedules/{id}/history: past runs",
      usage: "<job-id>",
      examples: ["symbiont schedules history 7d3c0c5e-8f1a-4b2c-9d3e-4f5a6b7c8d9e"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "job-id");
        return await (await ctx.client()).schedules.history(id);
      },
      human: (v) =>
        table(v as ScheduleRunEntry[], [
          ["run", (r) => r.run_id],
          ["status", (r) => r.status],
          ["started", (r) => r.started_at],
        ]),
    },
    next: {
      summary: "GET /schedules/{id}/next-runs: the next fire times",
      usage: "<job-id>",
      examples: ["symbiont schedules next 7d3c0c5e-8f1a-4b2c-9d3e-4f5a6b7c8d9e"],
      permissions: PERMS,
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "job-id");
        return await (await ctx.client()).schedules.nextRuns(id);
      },
    },
  },
};
