/**
 * Coordinator Chat for the runtime double (`GET /ws/chat`, runtime-api.md section 7): one session
 * per WebSocket connection that answers `ChatSend` with a scripted reasoning loop
 * (`ToolCallStarted` and `PolicyDecision` per iteration, one `ChatChunk{done: true}`, an optional
 * `Error{LOOP_ERROR}`), answers `Ping` with `Pong`, sends unsolicited `Pong` heartbeats starting
 * right after connect, and answers client text that is not a valid message with
 * `Error{request_id: null, code: "PARSE_ERROR"}`. Client messages are handled one at a time, as the
 * runtime does. Web standards only.
 *
 * @module
 */
import type { WebSocketConnection, WebSocketHandler } from "./serve.ts";

/** One tool call the scripted model proposes in an iteration (one `ToolCallStarted` frame). */
export interface ChatToolCall {
  /** The tool name (`tool_name`), e.g. `list_agents`. */
  name: string;
  /**
   * The arguments: a string is sent verbatim (the runtime sends the model's JSON text), anything
   * else as its JSON text. Default `{}`.
   */
  arguments?: unknown;
  /** The `call_id`. Default `call_<n>`, numbered from 1 across the turn. */
  callId?: string;
  /** Whether the policy gate denies this call (counted in the iteration's `PolicyDecision`). */
  denied?: boolean;
}

/** One iteration of the scripted reasoning loop: its tool calls, then one `PolicyDecision`. */
export interface ChatIteration {
  /** The tool calls, in order. Default none (the model answered). */
  toolCalls?: ChatToolCall[];
  /**
   * The number of proposed actions in `PolicyDecision.action` (`"<n> actions"`). Default: the
   * number of tool calls, or 1 (the model's Respond action) when there are none.
   */
  actions?: number;
  /** How many actions the gate denied. Default: the tool calls marked `denied`. */
  denied?: number;
}

/** What the scripted coordinator does for one `ChatSend`. */
export interface ChatTurn {
  /**
   * The loop's iterations. Default `[{}]`: one iteration in which the model answers (a
   * `PolicyDecision` of `"1 actions"`, allowed). `[]` sends no `PolicyDecision` at all.
   */
  iterations?: ChatIteration[];
  /** The final output, sent as the one `ChatChunk{done: true}`. */
  output: string;
  /** Ends the loop with an error: `Error{code: "LOOP_ERROR", message}` after the chunk. */
  loopError?: string;
  /**
   * Extra frames sent after the iterations and before the chunk: objects as JSON, strings verbatim
   * (e.g. `{type: "ToolCallResult", ...}` or a frame type the client does not know).
   */
  frames?: (Record<string, unknown> | string)[];
  /** Closes the connection after the turn with this code (default 1000) and reason. */
  close?: { code?: number; reason?: string };
}

/** One message of a chat connection's conversation history. */
export interface ChatHistoryMessage {
  /** `user` for `ChatSend.content`, `assistant` for the turn's output. */
  role: "user" | "assistant";
  /** The text. */
  content: string;
}

/** What a {@link ChatScript} function is told about the `ChatSend` it answers. */
export interface ChatTurnContext {
  /** The `request_id` the double generated for this `ChatSend` (a fresh UUID). */
  requestId: string;
  /** The client's `ChatSend.id` (the runtime never echoes it). */
  id: string;
  /** The conversation so far on this connection, without the current message. */
  history: readonly ChatHistoryMessage[];
  /** The connection, for out-of-band frames. */
  connection: ChatConnection;
}

/**
 * The coordinator's script: a function of the message content (it may return a promise, which
 * holds the loop, and every later message of the connection, until it settles), or a table from
 * content to turn with an optional `"*"` fallback. A string stands for `{output: string}`. A
 * function that throws, or content the table does not cover, ends the turn with an empty chunk and a
 * `LOOP_ERROR` carrying the error message.
 */
export type ChatScript =
  | ((content: string, context: ChatTurnContext) => ChatTurn | string | Promise<ChatTurn | string>)
  | Record<string, ChatTurn | string>;

/** One chat connection of the runtime double, for tests to inspect and drive. */
export interface ChatConnection {
  /** 1 for the first connection the double accepted, then 2, 3, ... */
  readonly id: number;
  /** The `?token=` the client connected with. */
  readonly token: string;
  /** Every text frame received, parsed as JSON, or the raw text when it is not JSON. */
  readonly received: readonly unknown[];
  /** Every frame sent: objects as parsed, raw frames as strings. */
  readonly sent: readonly unknown[];
  /** The conversation history: user and assistant turns in order. */
  readonly history: readonly ChatHistoryMessage[];
  /** Whether the connection is still open. */
  readonly open: boolean;
  /**
   * Sends a frame now, out of the script's order.
   *
   * @param frame An object (sent as JSON) or raw text.
   */
  send(frame: Record<string, unknown> | string): void;
  /**
   * Closes the connection from the server side.
   *
   * @param code The close code. Default 1000.
   * @param reason The close reason.
   */
  close(code?: number, reason?: string): void;
}

/** Settings of one chat session. */
export interface ChatSessionSettings {
  /** The script. */
  script: ChatScript;
  /** Interval of the unsolicited `Pong` after the first one (sent on connect); 0 for none. */
  heartbeatMs: number;
  /** The connection number. */
  id: number;
  /** The token the client presented. */
  token: string;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "sequence";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "map";
  return `${typeof value} \`${String(value)}\``;
}

type Parsed =
  | { kind: "send"; id: string; content: string }
  | { kind: "ping" }
  | { kind: "error"; message: string };

/** Reads a client frame as serde reads `ClientMessage` (tagged by `type`, unknown fields ignored). */
function parseClientMessage(value: unknown): Parsed {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return {
      kind: "error",
      message: `invalid type: ${describe(value)}, expected internally tagged enum ClientMessage`,
    };
  }
  const record = value as Record<string, unknown>;
  if (!("type" in record)) return { kind: "error", message: "missing field `type`" };
  if (record.type === "Ping") return { kind: "ping" };
  if (record.type !== "ChatSend") {
    return {
      kind: "error",
      message: typeof record.type === "string"
        ? `unknown variant \`${record.type}\`, expected \`ChatSend\` or \`Ping\``
        : `invalid type: ${describe(record.type)}, expected variant identifier`,
    };
  }
  for (const field of ["id", "content"]) {
    if (!(field in record)) return { kind: "error", message: `missing field \`${field}\`` };
    if (typeof record[field] !== "string") {
      return {
        kind: "error",
        message: `invalid type: ${describe(record[field])}, expected a string`,
      };
    }
  }
  return { kind: "send", id: record.id as string, content: record.content as string };
}

async function runScript(
  script: ChatScript,
  content: string,
  context: ChatTurnContext,
): Promise<ChatTurn> {
  try {
    let turn: ChatTurn | string | undefined;
    if (typeof script === "function") {
      turn = await script(content, context);
    } else {
      turn = Object.prototype.hasOwnProperty.call(script, content) ? script[content] : script["*"];
      if (turn === undefined) {
        return {
          iterations: [],
          output: "",
          loopError: `chat double: no scripted turn for ${JSON.stringify(content)}`,
        };
      }
    }
    return typeof turn === "string" ? { output: turn } : turn;
  } catch (error) {
    return {
      iterations: [],
      output: "",
      loopError: error instanceof Error ? error.message : String(error),
    };
  }
}

/**
 * Creates the session of one chat connection: the WebSocket handler to serve and the record tests
 * read.
 */
export function createChatSession(
  settings: ChatSessionSettings,
): { handler: WebSocketHandler; connection: ChatConnection } {
  const received: unknown[] = [];
  const sent: unknown[] = [];
  const history: ChatHistoryMessage[] = [];
  let socket: WebSocketConnection | undefined;
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let queue: Promise<void> = Promise.resolve();

  const send = (frame: Record<string, unknown> | string): void => {
    if (!socket || !socket.open) return;
    sent.push(typeof frame === "string" ? frame : structuredClone(frame));
    socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  };

  const connection: ChatConnection = {
    id: settings.id,
    token: settings.token,
    received,
    sent,
    history,
    get open() {
      return !closed && socket !== undefined && socket.open;
    },
    send,
    close(code = 1000, reason = "") {
      socket?.close(code, reason);
    },
  };

  async function chat(id: string, content: string): Promise<void> {
    const requestId = crypto.randomUUID();
    const before = history.slice();
    history.push({ role: "user", content });
    const turn = await runScript(settings.script, content, {
      requestId,
      id,
      history: before,
      connection,
    });
    let callNumber = 0;
    for (const iteration of turn.iterations ?? [{}]) {
      const calls = iteration.toolCalls ?? [];
      for (const call of calls) {
        callNumber++;
        send({
          type: "ToolCallStarted",
          request_id: requestId,
          call_id: call.callId ?? `call_${callNumber}`,
          tool_name: call.name,
          arguments: typeof call.arguments === "string"
            ? call.arguments
            : JSON.stringify(call.arguments ?? {}),
        });
      }
      const actions = iteration.actions ?? (calls.length || 1);
      const denied = iteration.denied ?? calls.filter((c) => c.denied).length;
      send({
        type: "PolicyDecision",
        request_id: requestId,
        action: `${actions} actions`,
        decision: denied > 0 ? "partial_deny" : "allow",
        reason: denied > 0 ? `${denied} denied` : "All actions approved",
      });
    }
    for (const frame of turn.frames ?? []) send(frame);
    send({ type: "ChatChunk", request_id: requestId, content: turn.output, done: true });
    if (turn.loopError !== undefined) {
      send({ type: "Error", request_id: requestId, code: "LOOP_ERROR", message: turn.loopError });
    }
    history.push({ role: "assistant", content: turn.output });
    if (turn.close) connection.close(turn.close.code ?? 1000, turn.close.reason ?? "");
  }

  function reply(parsed: { ok: true; value: unknown } | { ok: false; detail: string }) {
    if (closed) return Promise.resolve();
    const message: Parsed = parsed.ok
      ? parseClientMessage(parsed.value)
      : { kind: "error", message: parsed.detail };
    if (message.kind === "ping") send({ type: "Pong" });
    else if (message.kind === "send") return chat(message.id, message.content);
    else {
      send({
        type: "Error",
        request_id: null,
        code: "PARSE_ERROR",
        message: `Invalid message: ${message.message}`,
      });
    }
    return Promise.resolve();
  }

  const handler: WebSocketHandler = {
    onOpen(ws) {
      socket = ws;
      send({ type: "Pong" });
      if (settings.heartbeatMs > 0) {
        heartbeat = setInterval(() => send({ type: "Pong" }), settings.heartbeatMs);
      }
    },
    onMessage(text) {
      let parsed: { ok: true; value: unknown } | { ok: false; detail: string };
      try {
        parsed = { ok: true, value: JSON.parse(text) };
        received.push(parsed.value);
      } catch (error) {
        parsed = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        received.push(text);
      }
      queue = queue.then(() => reply(parsed)).catch(() => {});
    },
    onClose() {
      closed = true;
      clearInterval(heartbeat);
    },
  };
  return { handler, connection };
}
