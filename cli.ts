/**
 * The `symbiont` command line: every SDK surface from a terminal, with `--help` everywhere, `--json`
 * output and exit codes 0 (success), 1 (failure) and 2 (usage error). `symbiont tour` walks through
 * the whole SDK against a local runtime double, with no Symbiont runtime installed.
 *
 * ```sh
 * deno run --allow-net --allow-env --allow-read --allow-write jsr:@symbiont/sdk/cli tour
 * deno run --allow-net --allow-env --allow-read jsr:@symbiont/sdk/cli system health
 * deno compile --allow-net --allow-env --allow-read --allow-write --output symbiont cli.ts
 * ```
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { type CliIO, colorWanted, type CommandGroup, runCli } from "./cli/_framework.ts";
import { agentsCommands, messagesCommands } from "./cli/agents.ts";
import { agentpinCommands } from "./cli/agentpin.ts";
import { approvalsCommands, channelsCommands, workflowsCommands } from "./cli/channels.ts";
import { chatCommands, invokeCommands } from "./cli/conversation.ts";
import { devCommands } from "./cli/dev.ts";
import { memoryCommands } from "./cli/memory.ts";
import { metricsCommands } from "./cli/metrics.ts";
import { schedulesCommands } from "./cli/schedules.ts";
import { skillsCommands } from "./cli/skills.ts";
import { configCommands, systemCommands } from "./cli/system.ts";
import { toolcladCommands } from "./cli/toolclad.ts";
import { tourCommands } from "./cli/tour.ts";
import { webhookCommands } from "./cli/webhook.ts";

export type { CliIO } from "./cli/_framework.ts";

/**
 * What the CLI tells about one command: its summary, usage, examples and the Deno permissions it
 * needs.
 *
 * @example Printing the permissions of every command
 * ```ts ignore
 * import { COMMAND_GROUPS } from "@symbiont/sdk/cli";
 * for (const [group, g] of Object.entries(COMMAND_GROUPS)) {
 *   for (const [name, c] of Object.entries(g.commands)) console.log(group, name, c.permissions);
 * }
 * ```
 */
export interface CommandInfo {
  /** One line shown in listings and help. */
  readonly summary: string;
  /** Usage after the command path. */
  readonly usage?: string;
  /** Example command lines. */
  readonly examples?: readonly string[];
  /** The Deno permissions the command needs. */
  readonly permissions?: string;
}

/**
 * What the CLI tells about one command group.
 *
 * @example Listing a group's commands
 * ```ts ignore
 * import { COMMAND_GROUPS } from "@symbiont/sdk/cli";
 * console.log(Object.keys(COMMAND_GROUPS.agents.commands));
 * ```
 */
export interface CommandGroupInfo {
  /** One line shown in the top-level listing. */
  readonly summary: string;
  /** The group's commands by name. */
  readonly commands: Readonly<Record<string, CommandInfo>>;
  /** The command run when no command name follows the group (`symbiont tour`). */
  readonly default?: string;
}

const GROUPS: Record<string, CommandGroup> = {
  tour: tourCommands,
  system: systemCommands,
  agents: agentsCommands,
  messages: messagesCommands,
  schedules: schedulesCommands,
  channels: channelsCommands,
  workflows: workflowsCommands,
  approvals: approvalsCommands,
  invoke: invokeCommands,
  chat: chatCommands,
  agentpin: agentpinCommands,
  webhook: webhookCommands,
  skills: skillsCommands,
  memory: memoryCommands,
  toolclad: toolcladCommands,
  metrics: metricsCommands,
  dev: devCommands,
  config: configCommands,
};

/**
 * Every command group of the CLI, by name, with each command's summary, usage, examples and
 * permissions.
 *
 * @example Listing the groups
 * ```ts ignore
 * import { COMMAND_GROUPS } from "@symbiont/sdk/cli";
 * for (const [name, group] of Object.entries(COMMAND_GROUPS)) console.log(name, group.summary);
 * ```
 */
export const COMMAND_GROUPS: Readonly<Record<string, CommandGroupInfo>> = GROUPS;

function processIO(): CliIO {
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    stream.write(text.endsWith("\n") ? text : `${text}\n`);
  };
  let lines: AsyncIterable<string> | undefined;
  return {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    isTTY: Boolean(process.stderr.isTTY),
    color: colorWanted(Boolean(process.stdout.isTTY) && Boolean(process.stderr.isTTY)),
    readStdin: async () => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
      return new TextDecoder().decode(
        chunks.reduce((all, c) => {
          const next = new Uint8Array(all.length + c.length);
          next.set(all);
          next.set(c, all.length);
          return next;
        }, new Uint8Array()),
      );
    },
    stdinLines: () => {
      lines ??= createInterface({ input: process.stdin, terminal: false });
      return lines;
    },
    interrupted: () =>
      new Promise<void>((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      }),
  };
}

/**
 * Runs the CLI over `args` and returns its exit code; never throws.
 *
 * @param args Command-line arguments without the program name.
 * @param io Where to write (default: the process's stdout and stderr).
 * @returns 0 on success, 1 on failure, 2 on a usage error.
 *
 * @example Running a command from code
 * ```ts ignore
 * import { main } from "@symbiont/sdk/cli";
 * const code = await main(["system", "health", "--json"]);
 * ```
 */
export async function main(args: string[], io?: CliIO): Promise<number> {
  return await runCli("symbiont", GROUPS, args, io ?? processIO());
}

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  process.exitCode = code;
  // Nothing the CLI starts is meant to outlive main (servers and sockets are closed by then);
  // stdin listeners of interactive commands would otherwise keep the process waiting.
  process.stdin.unref?.();
}
