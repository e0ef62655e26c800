/** The rules an agent id must meet before it becomes part of a storage key. */
import { MemoryError, MemoryErrorCode } from "./errors.ts";

/** Longest agent id, in UTF-8 bytes (a file name on most filesystems). */
export const MAX_AGENT_ID_BYTES = 255;

const encoder = new TextEncoder();

// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\u0085\u2028\u2029/\\:*?"<>|]/;

/**
 * Throws `MEMORY_INVALID_AGENT_ID` unless `agentId` is a string of 1 to 255 UTF-8 bytes that is a
 * single portable file name: no `/` or `\` (so no `..` escape or absolute path), no drive colon,
 * none of `* ? " < > |`, no NUL or other control character or line separator, not starting with
 * `.` (which also rules out `.` and `..`), and no blank space at either end.
 */
export function checkAgentId(agentId: unknown): asserts agentId is string {
  const refuse = (why: string): never => {
    const shown = typeof agentId === "string"
      ? JSON.stringify(agentId.length > 60 ? `${agentId.slice(0, 60)}...` : agentId)
      : typeof agentId;
    throw new MemoryError(MemoryErrorCode.InvalidAgentId, `agent id ${shown} ${why}`);
  };
  if (typeof agentId !== "string") return refuse("is not a string");
  if (agentId === "") refuse("is empty");
  if (encoder.encode(agentId).length > MAX_AGENT_ID_BYTES) {
    refuse(`is longer than ${MAX_AGENT_ID_BYTES} bytes`);
  }
  const bad = FORBIDDEN.exec(agentId);
  if (bad) {
    const c = bad[0];
    const name = c === "/" || c === "\\"
      ? "a path separator"
      : c.charCodeAt(0) < 0x20 || c === "\u007f"
      ? "NUL or another control character"
      : c === ":"
      ? "a colon (drive letters, streams)"
      : /[\u0085\u2028\u2029]/.test(c)
      ? "a line separator"
      : `the character '${c}'`;
    refuse(`contains ${name}`);
  }
  if (agentId.startsWith(".")) refuse("starts with '.' ('.', '..' and hidden names are refused)");
  if (agentId.trim() !== agentId) refuse("starts or ends with blank space");
}
