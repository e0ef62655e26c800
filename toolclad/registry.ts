/**
 * An in-memory collection of ToolClad manifests with the operations the runtime's `symbi tools`
 * CLI offers (list, validate, test, schema, reload), done locally.
 *
 * @module
 */
import {
  type CedarPolicyOptions,
  generateCedarPolicies,
  generateCedarPolicy,
} from "./cedar_policy.ts";
import { ToolCladError, ToolCladErrorCode } from "./errors.ts";
import {
  type ManifestValidationResult,
  parseCustomTypes,
  parseManifest,
  validateManifest,
} from "./manifest.ts";
import { dryRun, type DryRunOptions, type DryRunResult, resolveArgs } from "./render.ts";
import { getSchema, type McpToolSchema } from "./schema.ts";
import type { ArgValue, Backend, CustomTypes, Manifest } from "./types.ts";

/** Summary of one registered tool (what `list()` returns). */
export interface ToolInfo {
  /** Tool name. */
  name: string;
  /** Version of the wrapped CLI. */
  version: string;
  /** Description. */
  description: string;
  /** Risk tier. */
  riskTier: string;
  /** Whether calls need human approval. */
  humanApproval: boolean;
  /** Number of declared arguments. */
  argCount: number;
  /** Execution backend. */
  backend: Backend;
  /** File it was loaded from, when it came from a file. */
  source?: string;
}

/** Options of {@link ToolCladRegistry}. */
export interface ToolCladRegistryOptions {
  /** Custom types available to every manifest (merged with any `toolclad.toml` loaded later). */
  customTypes?: CustomTypes;
}

/** Options of {@link ToolCladRegistry.loadDir}. */
export interface LoadDirOptions {
  /** Also load `*.clad.toml` files in sub-folders. Default false (the runtime reads `tools/*.clad.toml`). */
  recursive?: boolean;
  /** Read `toolclad.toml` custom types from this file; default `<dir>/toolclad.toml` when it exists. */
  customTypesFile?: string;
}

interface Entry {
  manifest: Manifest;
  source?: string;
  fromDisk?: boolean;
}

type Loaded = {
  watched: { kind: "file"; path: string } | { kind: "dir"; path: string; options: LoadDirOptions };
};

function backendOf(m: Manifest): Backend {
  if (m.http) return "http";
  if (m.mcp) return "mcp";
  if (m.session) return "session";
  if (m.browser) return "browser";
  if (m.command.executor !== undefined) return "executor";
  if (m.command.exec !== undefined) return "exec";
  if (m.command.template !== undefined) return "template";
  return "callback";
}

async function fsLoader(): Promise<typeof import("./_fs_loader.ts")> {
  try {
    return await import("./_fs_loader.ts");
  } catch (error) {
    throw new ToolCladError(
      ToolCladErrorCode.FS_UNAVAILABLE,
      "loading manifests from files needs node:fs (Deno, Node or Bun); on this runtime use addManifest(text)",
      { cause: error },
    );
  }
}

/**
 * A local collection of ToolClad tools: add manifests from text, files or folders, then list,
 * validate, dry-run (`test`), describe (`getSchema`) and generate Cedar policies for them.
 *
 * @example Registering and dry-running a tool
 * ```ts
 * import { ToolCladRegistry } from "@symbiont/sdk/toolclad";
 *
 * const registry = new ToolCladRegistry();
 * registry.addManifest(`
 * [tool]
 * name = "dig_lookup"
 * version = "1.0.0"
 * binary = "dig"
 * description = "DNS lookup"
 *
 * [args.target]
 * position = 1
 * required = true
 * type = "scope_target"
 *
 * [command]
 * exec = ["dig", "+short", "{target}"]
 *
 * [output]
 * format = "text"
 * `);
 * registry.test("dig_lookup", { target: "example.com" }).argv; // ["dig", "+short", "example.com"]
 * ```
 */
export class ToolCladRegistry {
  #tools = new Map<string, Entry>();
  #customTypes: CustomTypes;
  #loaded: Loaded[] = [];

  /**
   * Creates an empty registry.
   *
   * @param options Custom types shared by all manifests.
   */
  constructor(options: ToolCladRegistryOptions = {}) {
    this.#customTypes = { ...options.customTypes };
  }

  /** The custom types manifests may use. */
  get customTypes(): CustomTypes {
    return { ...this.#customTypes };
  }

  /** Number of registered tools. */
  get size(): number {
    return this.#tools.size;
  }

  /**
   * Adds custom types (from a `toolclad.toml` text) to the registry.
   *
   * @param text The `toolclad.toml` text.
   * @param source Where it came from, for messages.
   * @returns The types added.
   */
  addCustomTypes(text: string, source?: string): CustomTypes {
    const types = parseCustomTypes(text, source);
    Object.assign(this.#customTypes, types);
    return types;
  }

  /**
   * Parses, validates and registers a manifest.
   *
   * @param text The `.clad.toml` text.
   * @param source Where it came from, for messages and `list()`.
   * @param replace Replace a tool of the same name instead of failing.
   * @returns The parsed manifest.
   * @throws {ToolCladError} `TOOLCLAD_TOML_SYNTAX`, `TOOLCLAD_MANIFEST_INVALID` or `TOOLCLAD_DUPLICATE_TOOL`.
   */
  addManifest(text: string, source?: string, replace = false): Manifest {
    const manifest = parseManifest(text, { customTypes: this.#customTypes, source });
    this.#put(manifest, source, replace, false);
    return manifest;
  }

  /**
   * Registers an already parsed manifest.
   *
   * @param manifest The manifest.
   * @param replace Replace a tool of the same name instead of failing.
   * @throws {ToolCladError} `TOOLCLAD_DUPLICATE_TOOL`.
   */
  add(manifest: Manifest, replace = false): void {
    this.#put(manifest, undefined, replace, false);
  }

  #put(manifest: Manifest, source: string | undefined, replace: boolean, fromDisk: boolean): void {
    const name = manifest.tool.name;
    const existing = this.#tools.get(name);
    if (existing && !replace) {
      throw new ToolCladError(
        ToolCladErrorCode.DUPLICATE_TOOL,
        `tool '${name}' is already registered${
          existing.source ? ` (from ${existing.source})` : ""
        }`,
        { tool: name, source },
      );
    }
    this.#tools.set(name, { manifest, source, fromDisk });
  }

  /**
   * Removes a tool.
   *
   * @param name Tool name.
   * @returns Whether it was registered.
   */
  remove(name: string): boolean {
    return this.#tools.delete(name);
  }

  /**
   * Whether a tool is registered.
   *
   * @param name Tool name.
   * @returns `true` when registered.
   */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /**
   * The manifest of a tool.
   *
   * @param name Tool name.
   * @returns The manifest.
   * @throws {ToolCladError} `TOOLCLAD_TOOL_NOT_FOUND`.
   */
  get(name: string): Manifest {
    const entry = this.#tools.get(name);
    if (!entry) {
      throw new ToolCladError(
        ToolCladErrorCode.TOOL_NOT_FOUND,
        `no ToolClad tool named '${name}'`,
        {
          tool: name,
        },
      );
    }
    return entry.manifest;
  }

  /**
   * Summaries of all tools, sorted by name.
   *
   * @returns One {@link ToolInfo} per tool.
   */
  list(): ToolInfo[] {
    return [...this.#tools.values()]
      .map(({ manifest: m, source }) => {
        const info: ToolInfo = {
          name: m.tool.name,
          version: m.tool.version,
          description: m.tool.description,
          riskTier: m.tool.risk_tier,
          humanApproval: m.tool.human_approval,
          argCount: Object.keys(m.args).length,
          backend: backendOf(m),
        };
        if (source !== undefined) info.source = source;
        return info;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * All manifests, sorted by tool name.
   *
   * @returns The manifests.
   */
  manifests(): Manifest[] {
    return this.list().map((info) => this.get(info.name));
  }

  /**
   * Validates a manifest text with this registry's custom types, without registering it.
   *
   * @param text The `.clad.toml` text.
   * @param source Where it came from.
   * @returns Every error and warning with its field path.
   * @throws {ToolCladError} `TOOLCLAD_TOML_SYNTAX` when the text is not TOML.
   */
  validate(text: string, source?: string): ManifestValidationResult {
    return validateManifest(text, { customTypes: this.#customTypes, source });
  }

  /**
   * Validates a call's arguments and returns the normalised values (defaults included).
   *
   * @param name Tool name.
   * @param args The arguments.
   * @returns Normalised values.
   * @throws {ToolCladError} `TOOLCLAD_TOOL_NOT_FOUND`, `TOOLCLAD_ARG_INVALID`, `TOOLCLAD_ARG_MISSING`.
   */
  validateArgs(name: string, args: Record<string, ArgValue | undefined>): Record<string, string> {
    return resolveArgs(this.get(name), args, { customTypes: this.#customTypes }).values;
  }

  /**
   * Dry-runs a call: validated arguments and the resolved argv, nothing executed.
   *
   * @param name Tool name.
   * @param args The arguments.
   * @param options Scan id and evidence folder to render with.
   * @returns The rendered call.
   * @throws {ToolCladError} As {@link dryRun}, or `TOOLCLAD_TOOL_NOT_FOUND`.
   */
  test(
    name: string,
    args: Record<string, ArgValue | undefined>,
    options: Omit<DryRunOptions, "customTypes"> = {},
  ): DryRunResult {
    return dryRun(this.get(name), args, { ...options, customTypes: this.#customTypes });
  }

  /**
   * The MCP tool description (`inputSchema`, `outputSchema`) of a tool.
   *
   * @param name Tool name.
   * @returns The schema.
   * @throws {ToolCladError} `TOOLCLAD_TOOL_NOT_FOUND`.
   */
  getSchema(name: string): McpToolSchema {
    return getSchema(this.get(name), this.#customTypes);
  }

  /**
   * The Cedar policy of one tool, or of all tools when `name` is omitted.
   *
   * @param name Tool name, or `undefined` for every tool.
   * @param options Agent restriction and approval style.
   * @returns Cedar policy text.
   * @throws {ToolCladError} `TOOLCLAD_TOOL_NOT_FOUND`.
   */
  cedarPolicy(name?: string, options: CedarPolicyOptions = {}): string {
    if (name !== undefined) return generateCedarPolicy(this.get(name), options);
    return generateCedarPolicies(this.manifests(), options);
  }

  /**
   * Loads one `.clad.toml` file (Deno, Node and Bun only) and remembers it for {@link reload}.
   *
   * @param path File path.
   * @param replace Replace a tool of the same name.
   * @returns The manifest.
   * @throws {ToolCladError} `TOOLCLAD_IO_ERROR`, `TOOLCLAD_FS_UNAVAILABLE`, or a manifest error with `source` set.
   */
  async loadFile(path: string, replace = false): Promise<Manifest> {
    const fs = await fsLoader();
    const manifest = parseManifest(await fs.readTextFile(path), {
      customTypes: this.#customTypes,
      source: path,
    });
    this.#put(manifest, path, replace, true);
    this.#loaded.push({ watched: { kind: "file", path } });
    return manifest;
  }

  /**
   * Loads every `*.clad.toml` in a folder (and its `toolclad.toml` custom types when present).
   * All or nothing: if any file fails, nothing from the folder is registered.
   *
   * @param dir Folder path.
   * @param options Recursion and custom-types file.
   * @returns The manifests loaded, sorted by file name.
   * @throws {ToolCladError} `TOOLCLAD_IO_ERROR`, `TOOLCLAD_FS_UNAVAILABLE`, `TOOLCLAD_DUPLICATE_TOOL`,
   * or the first manifest error (with `source` set).
   */
  async loadDir(dir: string, options: LoadDirOptions = {}): Promise<Manifest[]> {
    const manifests = await this.#readDir(dir, options);
    for (const { manifest } of manifests) {
      const existing = this.#tools.get(manifest.tool.name);
      if (existing) {
        throw new ToolCladError(
          ToolCladErrorCode.DUPLICATE_TOOL,
          `tool '${manifest.tool.name}' is already registered${
            existing.source ? ` (from ${existing.source})` : ""
          }`,
          { tool: manifest.tool.name },
        );
      }
    }
    for (const { manifest, source } of manifests) {
      this.#tools.set(manifest.tool.name, { manifest, source, fromDisk: true });
    }
    this.#loaded.push({ watched: { kind: "dir", path: dir, options } });
    return manifests.map((m) => m.manifest);
  }

  async #readDir(
    dir: string,
    options: LoadDirOptions,
  ): Promise<{ manifest: Manifest; source: string }[]> {
    const fs = await fsLoader();
    const typesFile = options.customTypesFile ?? await fs.joinPath(dir, "toolclad.toml");
    if (options.customTypesFile !== undefined || await fs.exists(typesFile)) {
      this.addCustomTypes(await fs.readTextFile(typesFile), typesFile);
    }
    const out: { manifest: Manifest; source: string }[] = [];
    const seen = new Map<string, string>();
    for (const path of await fs.listManifestFiles(dir, options.recursive ?? false)) {
      const manifest = parseManifest(await fs.readTextFile(path), {
        customTypes: this.#customTypes,
        source: path,
      });
      const earlier = seen.get(manifest.tool.name);
      if (earlier) {
        throw new ToolCladError(
          ToolCladErrorCode.DUPLICATE_TOOL,
          `tool '${manifest.tool.name}' is declared in both ${earlier} and ${path}`,
          { tool: manifest.tool.name, source: path },
        );
      }
      seen.set(manifest.tool.name, path);
      out.push({ manifest, source: path });
    }
    return out;
  }

  /**
   * Re-reads every file and folder loaded so far (hot reload after editing manifests on disk).
   * Atomic: when any file fails, the registry keeps its previous contents and the error is thrown.
   * Tools added from text stay as they are.
   *
   * @returns The names of the tools now loaded from disk.
   * @throws {ToolCladError} The first load error.
   */
  async reload(): Promise<string[]> {
    const fresh = new Map<string, Entry>();
    for (const { watched } of this.#loaded) {
      const items = watched.kind === "dir" ? await this.#readDir(watched.path, watched.options) : [{
        manifest: parseManifest(await (await fsLoader()).readTextFile(watched.path), {
          customTypes: this.#customTypes,
          source: watched.path,
        }),
        source: watched.path,
      }];
      for (const item of items) {
        const earlier = fresh.get(item.manifest.tool.name);
        const other = this.#tools.get(item.manifest.tool.name);
        if ((earlier && earlier.source !== item.source) || (other && !other.fromDisk)) {
          throw new ToolCladError(
            ToolCladErrorCode.DUPLICATE_TOOL,
            `tool '${item.manifest.tool.name}' from ${item.source} is already registered`,
            { tool: item.manifest.tool.name, source: item.source },
          );
        }
        fresh.set(item.manifest.tool.name, { ...item, fromDisk: true });
      }
    }
    for (const [name, entry] of [...this.#tools]) if (entry.fromDisk) this.#tools.delete(name);
    for (const [name, entry] of fresh) this.#tools.set(name, entry);
    return [...fresh.keys()].sort();
  }
}
