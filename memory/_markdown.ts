/**
 * The `memory.md` format shared with the Symbiont runtime (`context/markdown_memory.rs`) and the
 * Python SDK, plus the extensions this SDK adds in ways both of their parsers skip:
 *
 * - Both read only `- item` lines under `## Facts`, `## Procedures` and `## Learned Patterns`, with
 *   each line trimmed. A multi-line item is written as its first line after `- ` and each further
 *   line indented by two spaces; a line that would look like an item or a heading to them, or that
 *   is empty or starts with blank space, gets a `\` in front, which this parser removes again.
 * - Metadata goes in a `## Metadata` section as a fenced JSON block: an unknown heading to both.
 * - Any other `## ` section is kept verbatim and written back after the three known ones.
 *
 * With no metadata, no multi-line items and no extra sections the output is byte for byte what
 * the Python SDK writes.
 */
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/** A JSON value, as kept in `metadata`. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** What a `memory.md` holds. */
export interface ParsedMemory {
  facts: string[];
  procedures: string[];
  learnedPatterns: string[];
  metadata: Record<string, JsonValue>;
  /** Sections this SDK does not model, each its heading line followed by its body, verbatim. */
  extraSections: string[][];
}

type Known = "facts" | "procedures" | "learnedPatterns";

const HEADINGS: Record<string, Known | "metadata"> = {
  "facts": "facts",
  "procedures": "procedures",
  "learned patterns": "learnedPatterns",
  "metadata": "metadata",
};

// A `\` removed on reading: followed by blank space, another `\`, `#`, `-`, or the line end.
const ESCAPED = /^\\(?:[\s\\#-]|$)/;

function escapeFirst(text: string): string {
  return text === "" || /^\s/.test(text) || ESCAPED.test(text) ? `\\${text}` : text;
}

function escapeContinuation(text: string): string {
  return text === "" || /^[\s#-]/.test(text) || ESCAPED.test(text) ? `\\${text}` : text;
}

function unescape(text: string): string {
  return ESCAPED.test(text) ? text.slice(1) : text;
}

/** Renders one list item. */
function renderItem(item: string): string[] {
  const [first, ...rest] = item.split("\n");
  return [`- ${escapeFirst(first)}`, ...rest.map((line) => `  ${escapeContinuation(line)}`)];
}

/** Serialises metadata as pretty JSON with the line separators other parsers split on escaped. */
function renderMetadata(metadata: Record<string, JsonValue>): string[] {
  const json = JSON.stringify(metadata, null, 2).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return ["## Metadata", "```json", ...json.split("\n"), "```"];
}

/**
 * Renders a `memory.md`.
 *
 * @param agentId The agent, for the title line.
 * @param memory The sections to write.
 * @returns The file text, ending with one newline.
 */
export function renderMemory(agentId: string, memory: ParsedMemory): string {
  const lines = [`# Agent Memory: ${agentId}`, ""];
  const sections: [string, string[]][] = [
    ["## Facts", memory.facts],
    ["## Procedures", memory.procedures],
    ["## Learned Patterns", memory.learnedPatterns],
  ];
  for (const [heading, items] of sections) {
    lines.push(heading);
    for (const item of items) lines.push(...renderItem(item));
    lines.push("");
  }
  for (const section of memory.extraSections) {
    const body = [...section];
    while (body.length > 1 && body[body.length - 1].trim() === "") body.pop();
    lines.push(...body, "");
  }
  if (Object.keys(memory.metadata).length > 0) lines.push(...renderMetadata(memory.metadata), "");
  return lines.join("\n");
}

function parseMetadata(body: string[], where: string): Record<string, JsonValue> {
  const lines = body.filter((line) => line.trim() !== "");
  const fenced = lines.length >= 2 && /^```json\s*$/.test(lines[0].trim()) &&
    lines[lines.length - 1].trim() === "```";
  if (!fenced) {
    throw new MemoryError(
      MemoryErrorCode.Corrupt,
      `${where}: the "## Metadata" section must hold one fenced \`\`\`json block`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(lines.slice(1, -1).join("\n"));
  } catch (error) {
    throw new MemoryError(
      MemoryErrorCode.Corrupt,
      `${where}: the "## Metadata" block is not valid JSON`,
      { cause: error },
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new MemoryError(
      MemoryErrorCode.Corrupt,
      `${where}: the "## Metadata" block must be a JSON object`,
    );
  }
  return value as Record<string, JsonValue>;
}

/**
 * Parses a `memory.md` written by this SDK, the runtime, the Python SDK or a person.
 *
 * Headings are matched case-insensitively, as the Python SDK does. A `# ` heading after the title
 * ends the current section, as the runtime does; it and its lines are kept as an extra section.
 *
 * @param text The file text.
 * @param where The file, for error messages.
 * @param strictMetadata Throw `MEMORY_CORRUPT` on a broken metadata block (else ignore it).
 * @returns The sections.
 */
export function parseMemory(text: string, where: string, strictMetadata = true): ParsedMemory {
  const memory: ParsedMemory = {
    facts: [],
    procedures: [],
    learnedPatterns: [],
    metadata: {},
    extraSections: [],
  };
  let state: Known | "metadata" | "extra" | "preamble" = "preamble";
  let metadataBody: string[] = [];
  let extra: string[] = [];
  let open: Known | undefined; // the list whose last item a continuation line extends
  let sawTitle = false;

  const closeMetadata = () => {
    if (state !== "metadata") return;
    try {
      Object.assign(memory.metadata, parseMetadata(metadataBody, where));
    } catch (error) {
      if (strictMetadata) throw error;
    }
    metadataBody = [];
  };

  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    const h2 = trimmed.startsWith("## ");
    const h1 = !h2 && trimmed.startsWith("# ");
    if (h2 || (h1 && (sawTitle || state !== "preamble"))) {
      closeMetadata();
      open = undefined;
      const known = h2 ? HEADINGS[trimmed.slice(3).trim().toLowerCase()] : undefined;
      if (known) {
        state = known;
      } else {
        state = "extra";
        extra = [line];
        memory.extraSections.push(extra);
      }
      continue;
    }
    if (h1) {
      sawTitle = true; // the title line
      continue;
    }
    switch (state) {
      case "preamble":
        break; // the runtime's `Updated:` line and the like
      case "metadata":
        metadataBody.push(line);
        break;
      case "extra":
        extra.push(line);
        break;
      default: {
        const list = memory[state];
        if (trimmed.startsWith("- ")) {
          list.push(unescape(line.trimStart().slice(2)));
          open = state;
        } else if (open && line.startsWith("  ") && trimmed !== "") {
          list[list.length - 1] += `\n${unescape(line.slice(2))}`;
        } else {
          open = undefined;
        }
      }
    }
  }
  closeMetadata();
  return memory;
}
