/**
 * `symbiont toolclad ...`: validate `.clad.toml` manifests, print their MCP schema, dry-run a call
 * (nothing is executed), list the runtime's tools.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import {
  dryRun,
  getSchema,
  loadCustomTypesFile,
  type Manifest,
  type ManifestIssue,
  parseManifest,
  validateManifest,
} from "../toolclad/mod.ts";
import { CliError, type CommandContext, type CommandGroup } from "./_framework.ts";
import { arg, isFolder, noExtra, pairs, readText } from "./_input.ts";
import { readdir } from "node:fs/promises";

async function manifestFiles(path: string): Promise<string[]> {
  if (!(await isFolder(path))) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith(".clad.toml")).sort();
  if (!names.length) {
    throw new CliError(`no *.clad.toml files in ${JSON.stringify(path)}`, "TOOLCLAD_NO_MANIFESTS");
  }
  return names.map((n) => join(path, n));
}

async function customTypes(ctx: CommandContext, file: string) {
  const explicit = ctx.flags.types as string | undefined;
  const candidate = explicit ?? join(dirname(file), "toolclad.toml");
  if (!explicit && !(await readText(candidate).then(() => true, () => false))) return {};
  return await loadCustomTypesFile(candidate);
}

async function loadOne(ctx: CommandContext, file: string): Promise<Manifest> {
  const text = await readText(file, "manifest");
  return parseManifest(text, { source: file, customTypes: await customTypes(ctx, file) });
}

const TYPES = {
  types: {
    type: "string",
    description: "toolclad.toml with custom types (default: next to the manifest)",
  },
} as const;

/** The `toolclad` command group. */
export const toolcladCommands: CommandGroup = {
  summary: "ToolClad manifests: validate, schema, test (dry run), tools on the runtime",
  commands: {
    validate: {
      summary: "validate a manifest or every *.clad.toml in a folder (exit 1 on any error)",
      usage: "<file.clad.toml|folder>",
      flags: TYPES,
      examples: [
        "symbiont toolclad validate tools/nmap_scan.clad.toml",
        "symbiont toolclad validate tools/ --json",
      ],
      permissions: "--allow-read",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const files = await manifestFiles(arg(ctx, 0, "file|folder"));
        const results: {
          file: string;
          valid: boolean;
          errors: ManifestIssue[];
          warnings: ManifestIssue[];
        }[] = [];
        for (const file of files) {
          const text = await readText(file, "manifest");
          const r = validateManifest(text, {
            source: file,
            customTypes: await customTypes(ctx, file),
          });
          results.push({ file, valid: r.valid, errors: r.errors, warnings: r.warnings });
        }
        const invalid = results.filter((r) => !r.valid);
        if (invalid.length) {
          if (!ctx.json) ctx.io.stdout(renderValidation(results));
          throw new CliError(
            `${invalid.length} of ${results.length} manifest(s) invalid: ${
              invalid.map((r) => basename(r.file)).join(", ")
            }`,
            "TOOLCLAD_MANIFEST_INVALID",
            results,
          );
        }
        return results;
      },
      human: (v) => renderValidation(v as Parameters<typeof renderValidation>[0]),
    },
    schema: {
      summary: "print a manifest's MCP inputSchema and outputSchema",
      usage: "<file.clad.toml>",
      flags: TYPES,
      examples: ["symbiont toolclad schema tools/nmap_scan.clad.toml"],
      permissions: "--allow-read",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const file = arg(ctx, 0, "file.clad.toml");
        return getSchema(await loadOne(ctx, file), await customTypes(ctx, file));
      },
      human: (v) => JSON.stringify(v, null, 2),
    },
    test: {
      summary:
        "dry-run a call: validate the arguments and print the command that would run (nothing executes)",
      usage: "<file.clad.toml> --arg name=value ...",
      flags: {
        ...TYPES,
        arg: { type: "string", multiple: true, description: "an argument, name=value" },
      },
      examples: [
        "symbiont toolclad test tools/nmap_scan.clad.toml --arg target=10.0.0.1 --arg scan_type=ping",
      ],
      permissions: "--allow-read",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const file = arg(ctx, 0, "file.clad.toml");
        const manifest = await loadOne(ctx, file);
        return dryRun(manifest, pairs("arg", ctx.flags.arg), {
          customTypes: await customTypes(ctx, file),
        });
      },
      human: (v) => {
        const r = v as ReturnType<typeof dryRun>;
        return [
          `tool: ${r.tool} (${r.backend})`,
          `command: ${r.command}`,
          ...r.validations.map((a) =>
            `  ${a.name} = ${a.value} (${a.type}${a.fromDefault ? ", default" : ""})`
          ),
          ...(r.unresolved.length ? [`unresolved: ${r.unresolved.join(", ")}`] : []),
          "nothing was executed",
        ].join("\n");
      },
    },
    tools: {
      summary:
        "list the tools the runtime offers (GET /tools; runtime 1.19 does not offer it: NOT_OFFERED)",
      examples: ["symbiont toolclad tools --json"],
      permissions: "--allow-net --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 0);
        return await (await ctx.client()).toolclad.listTools({ remote: true });
      },
    },
  },
};

function renderValidation(
  results: { file: string; valid: boolean; errors: ManifestIssue[]; warnings: ManifestIssue[] }[],
): string {
  return results.flatMap((r) => [
    `${r.valid ? "valid  " : "INVALID"} ${r.file}`,
    ...r.errors.map((e) => `  error    ${e.path}: ${e.message}`),
    ...r.warnings.map((w) => `  warning  ${w.path}: ${w.message}`),
  ]).join("\n");
}
