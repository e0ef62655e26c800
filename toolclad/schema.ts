/**
 * MCP tool schema generation (`inputSchema` / `outputSchema`), as the Rust reference's
 * `generate_mcp_schema`.
 *
 * @module
 */
import type { ArgDef, CustomTypes, Manifest } from "./types.ts";

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** The MCP tool description of a manifest. */
export interface McpToolSchema {
  /** Tool name. */
  name: string;
  /** Tool description. */
  description: string;
  /** JSON Schema of the arguments. */
  inputSchema: JsonSchema & {
    type: "object";
    properties: Record<string, JsonSchema>;
    required: string[];
  };
  /** JSON Schema of the result (the evidence envelope unless `envelope = false`); absent for callback tools without `[output]`. */
  outputSchema?: JsonSchema;
}

function jsonNumber(n: bigint | number): number {
  return typeof n === "bigint" ? Number(n) : n;
}

function argSchema(def: ArgDef, customTypes: CustomTypes): JsonSchema {
  const custom = Object.hasOwn(customTypes, def.type) ? customTypes[def.type] : undefined;
  const d: ArgDef = custom
    ? {
      ...def,
      type: custom.base,
      allowed: custom.allowed ?? def.allowed,
      pattern: custom.pattern ?? def.pattern,
      min: custom.min ?? def.min,
      max: custom.max ?? def.max,
      min_float: custom.min_float ?? def.min_float,
      max_float: custom.max_float ?? def.max_float,
    }
    : def;
  const p: JsonSchema = {};
  switch (d.type) {
    case "integer":
      p.type = "integer";
      break;
    case "number":
      p.type = "number";
      if (d.min_float !== undefined) p.minimum = d.min_float;
      if (d.max_float !== undefined) p.maximum = d.max_float;
      break;
    case "port":
      p.type = "integer";
      if (d.min === undefined) p.minimum = 1;
      if (d.max === undefined) p.maximum = 65535;
      break;
    case "boolean":
      p.type = "boolean";
      break;
    case "ip_address":
      p.type = "string";
      p.format = "ipv4";
      break;
    case "cidr":
      p.type = "string";
      if (d.pattern === undefined) p.pattern = "^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$";
      break;
    case "url":
      p.type = "string";
      p.format = "uri";
      break;
    case "duration":
      p.type = "string";
      if (d.pattern === undefined) p.pattern = "^(\\d+|(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?(?:\\d+ms)?)$";
      break;
    default:
      p.type = "string";
  }
  if (d.description !== "") p.description = d.description;
  if (d.allowed) p.enum = [...d.allowed];
  if (d.default !== undefined) {
    p.default = typeof d.default === "bigint" ? Number(d.default) : d.default;
  }
  if (d.pattern !== undefined) p.pattern = d.pattern;
  if (d.min !== undefined) p.minimum = jsonNumber(d.min);
  if (d.max !== undefined) p.maximum = jsonNumber(d.max);
  return p;
}

/**
 * Builds the MCP tool description of a manifest: `inputSchema` from the args (ordered by
 * `position`; types mapped as the Rust reference does: integer/number/port/boolean to their JSON
 * types, `ip_address` → string `format: ipv4`, `url` → `format: uri`, `cidr` and `duration` with
 * a pattern, the rest strings; `allowed` → `enum`; `default`, `pattern`, `min`/`max` copied), and
 * `outputSchema` as the evidence envelope around `output.schema`.
 *
 * Custom types are described by their base type and constraints when `customTypes` is given
 * (Rust cannot load them at all).
 *
 * @param manifest The manifest.
 * @param customTypes Custom types from `toolclad.toml`.
 * @returns The MCP tool description.
 *
 * @example
 * ```ts ignore
 * const { inputSchema } = getSchema(manifest);
 * inputSchema.required; // ["target"]
 * ```
 */
export function getSchema(manifest: Manifest, customTypes: CustomTypes = {}): McpToolSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const ordered = Object.entries(manifest.args).sort(([an, a], [bn, b]) =>
    a.position - b.position || (an < bn ? -1 : an > bn ? 1 : 0)
  );
  for (const [name, def] of ordered) {
    properties[name] = argSchema(def, customTypes);
    if (def.required) required.push(name);
  }
  const schema: McpToolSchema = {
    name: manifest.tool.name,
    description: manifest.tool.description,
    inputSchema: { type: "object", properties, required },
  };
  const out = manifest.output;
  if (out && out.envelope) {
    schema.outputSchema = {
      type: "object",
      properties: {
        status: { type: "string", enum: ["success", "error", "timeout", "delegation_preview"] },
        scan_id: { type: "string" },
        tool: { type: "string" },
        command: { type: "string" },
        duration_ms: { type: "integer" },
        timestamp: { type: "string", format: "date-time" },
        output_file: { type: "string" },
        output_hash: { type: "string" },
        exit_code: { type: "integer" },
        stderr: { type: "string" },
        results: structuredClone(out.schema),
      },
    };
  } else if (out) {
    schema.outputSchema = structuredClone(out.schema);
  }
  return schema;
}
