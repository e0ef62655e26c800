/**
 * `client.toolclad`: ToolClad tools, done locally where the work is local (parsing, validation,
 * MCP schemas, dry runs, Cedar policy text, loading and reloading manifests) and sent to the runtime
 * where only the runtime can act (executing a tool, or the runtime's own tool list). Runtime 1.19
 * has no ToolClad routes: the remote calls use the routes the vendor's JS SDK proposes and throw
 * {@link NotOfferedError} when the runtime answers them with its bare 404.
 *
 * @module
 */
import * as z from "zod";
import type { WireModel } from "./_models.ts";
import {
  type ArgValue,
  type CedarPolicyOptions,
  dryRun,
  type DryRunResult,
  type LoadDirOptions,
  type Manifest,
  type ManifestValidationResult,
  type McpToolSchema,
  ToolCladRegistry,
  type ToolInfo,
} from "../toolclad/mod.ts";
import { type ClientContext, contextOf, type ContextSource } from "./_context.ts";
import { requestExtension } from "./_extension.ts";
import { requireSegment } from "./_input.ts";
import type { RequestOptions } from "./transport.ts";

/** The runtime's execution envelope for a ToolClad call (runtime-api.md §3). */
export interface ToolExecutionResult {
  /** `"success"` or `"error"`. */
  status: string;
  /** Scan id of this run. */
  scan_id?: string;
  /** Tool name. */
  tool?: string;
  /** The command that ran. */
  command?: string;
  /** Run time in milliseconds. */
  duration_ms?: number;
  /** RFC 3339 time of the run. */
  timestamp?: string;
  /** `sha256:<hex>` of the output. */
  output_hash?: string;
  /** Parsed results, including `exit_code` and `stderr` when present. */
  results?: unknown;
  /** Output-schema warnings. */
  schema_warnings?: unknown;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ToolExecutionResult}. */
export const ToolExecutionResult: WireModel<ToolExecutionResult> = z.looseObject({
  status: z.string(),
  scan_id: z.string().optional(),
  tool: z.string().optional(),
  command: z.string().optional(),
  duration_ms: z.number().optional(),
  timestamp: z.string().optional(),
  output_hash: z.string().optional(),
  results: z.unknown().optional(),
  schema_warnings: z.unknown().optional(),
});

/** A tool as the runtime lists it (proposed route). */
export interface RemoteToolInfo {
  /** Tool name. */
  name: string;
  /** Fields the runtime sends. */
  [key: string]: unknown;
}
const RemoteToolList: z.ZodType<RemoteToolInfo[]> = z.array(z.looseObject({ name: z.string() }));

/** Remote-or-local switch for calls that exist on both sides. */
export interface RemoteOption extends RequestOptions {
  /** Ask the runtime instead of the local registry. Default false. */
  remote?: boolean;
}

/**
 * ToolClad on the client: a local {@link ToolCladRegistry} plus the runtime's proposed routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client();
 * await client.toolclad.loadTools("./tools");
 * console.log(client.toolclad.getSchema("nmap").inputSchema);
 * console.log(client.toolclad.test("nmap", { target: "10.0.0.1" }).argv);
 * await client.toolclad.executeTool("nmap", { target: "10.0.0.1" }); // NotOfferedError on 1.19
 * ```
 */
export class ToolCladClient {
  readonly #context: ClientContext;
  /** The local manifests. */
  readonly registry: ToolCladRegistry;

  /**
   * Creates the ToolClad client.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   * @param registry The local registry to use (default: a new, empty one).
   */
  constructor(source?: ContextSource, registry: ToolCladRegistry = new ToolCladRegistry()) {
    this.#context = contextOf(source);
    this.registry = registry;
  }

  /**
   * Loads every `*.clad.toml` of a folder into the local registry (Deno, Node, Bun).
   *
   * @param dir The folder, e.g. the runtime's `tools/`.
   * @param options Recursion and the custom types file.
   * @returns The manifests loaded.
   */
  loadTools(dir: string, options?: LoadDirOptions): Promise<Manifest[]> {
    return this.registry.loadDir(dir, options);
  }

  /**
   * Adds one manifest from its TOML text.
   *
   * @param text The `.clad.toml` text.
   * @param source Name used in errors.
   * @returns The parsed manifest.
   */
  addManifest(text: string, source?: string): Manifest {
    return this.registry.addManifest(text, source);
  }

  /**
   * The tools: local by default, or the runtime's list (`GET /tools`, proposed) with `remote`.
   *
   * @param options `remote` and per-call options.
   * @returns Tool summaries.
   * @throws {NotOfferedError} `remote` on a runtime without ToolClad routes.
   */
  async listTools(options: RemoteOption = {}): Promise<ToolInfo[] | RemoteToolInfo[]> {
    const { remote, ...request } = options;
    if (!remote) return this.registry.list();
    return await requestExtension(this.#context, "ToolClad tool listing", RemoteToolList, {
      ...request,
      method: "GET",
      path: "/tools",
    });
  }

  /**
   * Validates manifest text without adding it.
   *
   * @param text The `.clad.toml` text.
   * @param source Name used in issues.
   * @returns Validity, errors (with field paths) and warnings.
   */
  validate(text: string, source?: string): ManifestValidationResult {
    return this.registry.validate(text, source);
  }

  /**
   * Dry run: validates the arguments and renders the command, nothing executed.
   *
   * @param name A registered tool.
   * @param args Argument values.
   * @returns The resolved argv (or HTTP request, or MCP call) and the per-argument report.
   * @throws {ToolCladError} Unknown tool or invalid arguments (the code says which rule).
   */
  test(name: string, args: Record<string, ArgValue | undefined>): DryRunResult {
    return dryRun(this.registry.get(name), args);
  }

  /**
   * The MCP `inputSchema` (and `outputSchema`) of a tool.
   *
   * @param name A registered tool.
   * @returns `{name, description, inputSchema, outputSchema?}`.
   */
  getSchema(name: string): McpToolSchema {
    return this.registry.getSchema(name);
  }

  /**
   * Cedar policy text for one tool or all, from risk tier and approval needs.
   *
   * @param name A tool, or every tool when absent.
   * @param options Generation options.
   * @returns Cedar source.
   */
  cedarPolicy(name?: string, options?: CedarPolicyOptions): string {
    return this.registry.cedarPolicy(name, options);
  }

  /**
   * Reloads manifests: the local registry re-reads the files it loaded; with `remote`, asks the
   * runtime to hot-reload its own (`POST /tools/reload`, proposed).
   *
   * @param options `remote` and per-call options.
   * @returns Names of the reloaded tools (local), or the runtime's answer.
   */
  async reloadTools(options: RemoteOption = {}): Promise<unknown> {
    const { remote, ...request } = options;
    if (!remote) return await this.registry.reload();
    return await requestExtension(this.#context, "ToolClad hot reload", z.unknown(), {
      ...request,
      method: "POST",
      path: "/tools/reload",
      body: {},
    });
  }

  /**
   * Executes a tool on the runtime (`POST /tools/{name}/execute`, proposed). When the tool is
   * registered locally its arguments are validated first, so bad input never reaches the wire.
   *
   * @param name The tool.
   * @param args Argument values.
   * @param options Per-call options.
   * @returns The runtime's execution envelope.
   * @throws {ToolCladError} Invalid arguments (local check).
   * @throws {NotOfferedError} The runtime has no ToolClad routes (runtime 1.19).
   */
  async executeTool(
    name: string,
    args: Record<string, ArgValue | undefined>,
    options: RequestOptions = {},
  ): Promise<ToolExecutionResult> {
    const segment = requireSegment("name", name);
    const checked = this.registry.has(name) ? this.registry.validateArgs(name, args) : args;
    return await requestExtension(this.#context, "ToolClad execution", ToolExecutionResult, {
      ...options,
      method: "POST",
      path: `/tools/${segment}/execute`,
      body: { args: checked },
      route: "POST /tools/{name}/execute",
    });
  }
}
