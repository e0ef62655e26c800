/**
 * The `symbiont` command line: every SDK surface from a terminal, with `--help` everywhere, `--json`
 * output and exit codes 0 (success), 1 (failure) and 2 (usage error).
 *
 * ```sh
 * deno run --allow-net --allow-env --allow-read jsr:@symbiont/sdk/cli system health
 * deno compile --allow-net --allow-env --allow-read --allow-write --output symbiont cli.ts
 * ```
 *
 * @module
 */
import process from "node:process";
import { type CliIO, type CommandGroup, runCli } from "./cli/_framework.ts";
import { configCommands, systemCommands } from "./cli/system.ts";

/** Every command group of the CLI. */
export const COMMAND_GROUPS: Record<string, CommandGroup> = {
  system: systemCommands,
  config: configCommands,
};

/**
 * Runs the CLI over `args` and returns its exit code; never throws.
 *
 * @param args Command-line arguments without the program name.
 * @param io Where to write (default: the process's stdout and stderr).
 * @returns 0 on success, 1 on failure, 2 on a usage error.
 *
 * @example Usage
 * ```ts ignore
 * import { main } from "@symbiont/sdk/cli";
 * const code = await main(["system", "health", "--json"]);
 * ```
 */
export async function main(args: string[], io?: CliIO): Promise<number> {
  return await runCli(
    "symbiont",
    COMMAND_GROUPS,
    args,
    io ?? {
      stdout: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
      stderr: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
      isTTY: Boolean(process.stderr.isTTY),
    },
  );
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
