/**
 * `symbiont memory ...`: agent memory as Markdown files in a folder (the runtime's layout).
 *
 * @module
 */
import { readEnv } from "../client/_env.ts";
import { FsStorage } from "../memory/fs_storage.ts";
import { type AgentMemoryContext, type JsonValue, MarkdownMemoryStore } from "../memory/mod.ts";
import {
  CliError,
  type CommandContext,
  type CommandGroup,
  type FlagSpec,
  UsageError,
} from "./_framework.ts";
import { arg, isFolder, list, noExtra, pairs } from "./_input.ts";

const DIR: FlagSpec = {
  dir: { type: "string", description: "the memory folder (env SYMBIONT_MEMORY_DIR)" },
};

async function store(ctx: CommandContext, mustExist: boolean): Promise<MarkdownMemoryStore> {
  const dir = (ctx.flags.dir as string | undefined) ?? readEnv("SYMBIONT_MEMORY_DIR");
  if (!dir) throw new UsageError("give the memory folder with --dir or SYMBIONT_MEMORY_DIR");
  if (mustExist && !(await isFolder(dir))) {
    throw new CliError(
      `the memory folder ${JSON.stringify(dir)} does not exist`,
      "MEMORY_DIR_MISSING",
    );
  }
  const retention = ctx.flags["retention-days"];
  const days = retention === undefined ? undefined : Number(retention);
  if (days !== undefined && (!Number.isInteger(days) || days < 0)) {
    throw new UsageError("--retention-days expects a whole number of days");
  }
  return new MarkdownMemoryStore(
    new FsStorage(dir),
    days === undefined ? {} : { retentionDays: days },
  );
}

/** The `memory` command group. */
export const memoryCommands: CommandGroup = {
  summary: "agent memory in Markdown files: show, save, list, compact",
  commands: {
    show: {
      summary: "print an agent's stored context",
      usage: "<agent-id> --dir DIR",
      flags: DIR,
      examples: [
        "symbiont memory show greeter --dir ./data/memory",
        "symbiont memory show greeter --json",
      ],
      permissions: "--allow-read --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        const context = await (await store(ctx, true)).loadContext(id);
        if (!context) throw new CliError(`no memory stored for agent "${id}"`, "MEMORY_NOT_FOUND");
        return context;
      },
      human: (v) => {
        const c = v as AgentMemoryContext;
        const section = (
          title: string,
          items: string[],
        ) => [`${title}:`, ...(items.length ? items.map((i) => `  - ${i}`) : ["  (none)"])];
        return [
          `agent: ${c.agentId}`,
          ...section("facts", c.facts),
          ...section("procedures", c.procedures),
          ...section("learned patterns", c.learnedPatterns),
          `metadata: ${JSON.stringify(c.metadata)}`,
        ].join("\n");
      },
    },
    save: {
      summary:
        "add facts, procedures, patterns or metadata to an agent's context (--replace to start over)",
      usage:
        "<agent-id> --dir DIR [--fact TEXT ...] [--procedure TEXT ...] [--pattern TEXT ...] [--metadata k=v ...]",
      flags: {
        ...DIR,
        fact: { type: "string", multiple: true, description: "a fact" },
        procedure: { type: "string", multiple: true, description: "a procedure" },
        pattern: { type: "string", multiple: true, description: "a learned pattern" },
        metadata: {
          type: "string",
          multiple: true,
          description: "metadata as key=value (JSON values parsed)",
        },
        replace: {
          type: "boolean",
          description: "replace the stored context instead of adding to it",
        },
      },
      examples: [
        'symbiont memory save greeter --dir ./data/memory --fact "The user prefers short answers"',
        "symbiont memory save greeter --dir ./data/memory --metadata priority=2 --replace",
      ],
      permissions: "--allow-read --allow-write --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const id = arg(ctx, 0, "agent-id");
        const facts = list(ctx.flags.fact);
        const procedures = list(ctx.flags.procedure);
        const patterns = list(ctx.flags.pattern);
        const meta: Record<string, JsonValue> = {};
        for (const [k, raw] of Object.entries(pairs("metadata", ctx.flags.metadata))) {
          try {
            meta[k] = JSON.parse(raw);
          } catch {
            meta[k] = raw;
          }
        }
        if (
          !facts.length && !procedures.length && !patterns.length && !Object.keys(meta).length &&
          !ctx.flags.replace
        ) {
          throw new UsageError(
            "nothing to save: give --fact, --procedure, --pattern or --metadata",
          );
        }
        const s = await store(ctx, false);
        const previous = ctx.flags.replace ? undefined : await s.loadContext(id);
        const context: AgentMemoryContext = {
          agentId: id,
          facts: [...(previous?.facts ?? []), ...facts],
          procedures: [...(previous?.procedures ?? []), ...procedures],
          learnedPatterns: [...(previous?.learnedPatterns ?? []), ...patterns],
          metadata: { ...(previous?.metadata ?? {}), ...meta },
        };
        await s.saveContext(id, context);
        return {
          agentId: id,
          facts: context.facts.length,
          procedures: context.procedures.length,
          learnedPatterns: context.learnedPatterns.length,
        };
      },
      human: (v) => {
        const r = v as {
          agentId: string;
          facts: number;
          procedures: number;
          learnedPatterns: number;
        };
        return `saved ${r.agentId}: ${r.facts} fact(s), ${r.procedures} procedure(s), ${r.learnedPatterns} pattern(s)`;
      },
    },
    list: {
      summary: "list the agents with stored memory, and storage statistics",
      usage: "--dir DIR",
      flags: DIR,
      examples: ["symbiont memory list --dir ./data/memory"],
      permissions: "--allow-read --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const s = await store(ctx, true);
        const stats = await s.getStorageStats();
        return {
          agents: await s.listAgentContexts(),
          dailyLogs: stats.totalDailyLogs,
          totalSizeBytes: stats.totalSizeBytes,
        };
      },
      human: (v) => {
        const r = v as { agents: string[]; dailyLogs: number; totalSizeBytes: number };
        return [
          ...(r.agents.length ? r.agents : ["(no agents)"]),
          `${r.dailyLogs} daily log(s), ${r.totalSizeBytes} bytes`,
        ].join("\n");
      },
    },
    compact: {
      summary: "delete daily logs older than the retention period (default 30 days)",
      usage: "[<agent-id>] --dir DIR [--retention-days N]",
      flags: {
        ...DIR,
        "retention-days": {
          type: "string",
          description: "days of daily logs to keep (default 30)",
        },
      },
      examples: ["symbiont memory compact --dir ./data/memory --retention-days 7"],
      permissions: "--allow-read --allow-write --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const removed = await (await store(ctx, true)).compact(ctx.args[0]);
        return { removed };
      },
      human: (v) => {
        const r = (v as { removed: { agentId: string; date: string }[] }).removed;
        return r.length
          ? r.map((x) => `removed ${x.agentId} ${x.date}`).join("\n")
          : "nothing to remove";
      },
    },
  },
};
