/**
 * YAML frontmatter of `SKILL.md` files.
 *
 * @module
 */
import { load } from "js-yaml";
import { SkillError, SkillErrorCode } from "./errors.ts";

/**
 * What a skill's frontmatter says.
 *
 * @example Reading metadata
 * ```ts
 * import { parseSkillFrontmatter } from "@symbiont/sdk/skills";
 * const { metadata } = parseSkillFrontmatter("---\nname: hello\ndescription: Says hi\n---\n# Hi\n", "fallback");
 * console.log(metadata.name, metadata.description); // "hello" "Says hi"
 * ```
 */
export interface SkillMetadata {
  /** `name` from the frontmatter when it is a non-empty string, else the folder name. */
  name: string;
  /** `description` from the frontmatter when it is a string. */
  description?: string;
  /** The whole frontmatter mapping (empty without frontmatter). */
  rawFrontmatter: Record<string, unknown>;
}

/**
 * A parsed SKILL.md: its metadata and the body after the frontmatter.
 *
 * @example Splitting off the body
 * ```ts
 * import { parseSkillFrontmatter, type ParsedSkillMarkdown } from "@symbiont/sdk/skills";
 * const parsed: ParsedSkillMarkdown = parseSkillFrontmatter("# Just text\n", "plain");
 * console.log(parsed.body, parsed.hasFrontmatter); // "# Just text\n" false
 * ```
 */
export interface ParsedSkillMarkdown {
  /** The metadata. */
  metadata: SkillMetadata;
  /** The Markdown after the closing fence (all of it without frontmatter). */
  body: string;
  /** Whether the file opened with a `---` fence. */
  hasFrontmatter: boolean;
}

/** Longest frontmatter accepted, in characters: YAML this large is not metadata. */
const MAX_FRONTMATTER = 256 * 1024;

/**
 * Parses the YAML frontmatter of a SKILL.md: a first line `---`, YAML, then a line `---` (or
 * `...`). Without an opening fence there is no frontmatter. YAML is read with js-yaml's default
 * (core) schema: no custom tags, no code execution.
 *
 * @param text The SKILL.md text.
 * @param fallbackName The name to use when the frontmatter has none (the folder name).
 * @param path Shown in errors.
 * @returns Metadata and body.
 * @throws {SkillError} `SKILL_FRONTMATTER_INVALID` for a missing closing fence, broken YAML, or
 *   YAML that is not a mapping.
 * @example A broken frontmatter
 * ```ts
 * import { parseSkillFrontmatter } from "@symbiont/sdk/skills";
 * try {
 *   parseSkillFrontmatter("---\nname: [unclosed\n---\n", "x");
 * } catch (error) {
 *   console.log((error as { code: string }).code); // "SKILL_FRONTMATTER_INVALID"
 * }
 * ```
 */
export function parseSkillFrontmatter(
  text: string,
  fallbackName: string,
  path = "SKILL.md",
): ParsedSkillMarkdown {
  const t = text.startsWith("\ufeff") ? text.slice(1) : text;
  const open = /^---[ \t]*\r?\n/.exec(t);
  if (!open) {
    return { metadata: { name: fallbackName, rawFrontmatter: {} }, body: t, hasFrontmatter: false };
  }
  const rest = t.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(rest);
  if (!close) {
    throw new SkillError(
      SkillErrorCode.FrontmatterInvalid,
      `${path}: the frontmatter opened with --- has no closing --- line`,
      path,
    );
  }
  const yamlText = rest.slice(0, close.index);
  if (yamlText.length > MAX_FRONTMATTER) {
    throw new SkillError(
      SkillErrorCode.FrontmatterInvalid,
      `${path}: the frontmatter is longer than ${MAX_FRONTMATTER} characters`,
      path,
    );
  }
  const body = rest.slice(close.index + close[0].length);
  let value: unknown;
  // Blank or comment-only frontmatter is an empty mapping (js-yaml refuses an empty document).
  const blank = yamlText.split("\n").every((l) => /^\s*(?:#.*)?$/.test(l));
  try {
    value = blank ? null : load(yamlText);
  } catch (error) {
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    const mark = (error as { mark?: { line?: number } }).mark;
    const where = mark && typeof mark.line === "number"
      ? ` (frontmatter line ${mark.line + 1})`
      : "";
    throw new SkillError(
      SkillErrorCode.FrontmatterInvalid,
      `${path}: the frontmatter is not valid YAML${where}: ${reason}`,
      path,
    );
  }
  if (value === null || value === undefined) {
    return { metadata: { name: fallbackName, rawFrontmatter: {} }, body, hasFrontmatter: true };
  }
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Date) {
    throw new SkillError(
      SkillErrorCode.FrontmatterInvalid,
      `${path}: the frontmatter must be a YAML mapping, got ${
        Array.isArray(value) ? "a list" : typeof value
      }`,
      path,
    );
  }
  const raw = value as Record<string, unknown>;
  const name = typeof raw.name === "string" && raw.name.trim() !== ""
    ? raw.name.trim()
    : fallbackName;
  const metadata: SkillMetadata = { name, rawFrontmatter: raw };
  if (typeof raw.description === "string") metadata.description = raw.description;
  return { metadata, body, hasFrontmatter: true };
}
