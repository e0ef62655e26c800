// Coordinator Chat on the runtime double (runtime-api.md section 7) over a real WebSocket, with the
// standard global WebSocket client, and the WebSocket side of serve() checked frame by frame with a
// raw RFC 6455 client over node:net (masking, fragmentation, 16/64-bit lengths, ping, close).
import { test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import type * as NodeNet from "node:net";
import { nodeBuiltin } from "../../client/_env.ts";
import {
  type ChatTurnContext,
  createRuntimeDouble,
  type RuntimeDoubleOptions,
  serve,
} from "../../testing/mod.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// deno-lint-ignore no-explicit-any
type Frame = any;

interface ChatClient {
  frames: Frame[];
  next(): Promise<Frame>;
  send(value: unknown): void;
  close(code?: number, reason?: string): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a WebSocket with the global client; frames are parsed as JSON when they are JSON. */
async function connect(t: TestContext, url: string): Promise<ChatClient> {
  const ws = new WebSocket(url);
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  let read = 0;
  let closedResolve: (v: { code: number; reason: string }) => void = () => {};
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    closedResolve = resolve;
  });
  ws.onmessage = (event) => {
    const data = String(event.data);
    let value: unknown = data;
    try {
      value = JSON.parse(data);
    } catch {
      // kept as text
    }
    frames.push(value);
    for (const w of waiters.splice(0)) w();
  };
  ws.onclose = (event) => {
    closedResolve({ code: event.code, reason: event.reason });
    for (const w of waiters.splice(0)) w();
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`could not connect to ${url}`));
  });
  t.defer(() => {
    if (ws.readyState <= 1) ws.close();
  });
  return {
    frames,
    async next() {
      while (read >= frames.length) {
        if (ws.readyState > 1) throw new Error("connection closed while waiting for a frame");
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
      return frames[read++];
    },
    send: (value) => ws.send(typeof value === "string" ? value : JSON.stringify(value)),
    close: (code, reason) => ws.close(code, reason),
    closed,
  };
}

async function startChat(t: TestContext, options: RuntimeDoubleOptions) {
  const double = createRuntimeDouble({ apiToken: "tok", readyAfterMs: 0, ...options });
  const server = await serve(double);
  t.defer(() => server.close());
  const ws = (token: string | null = "tok") =>
    `${server.url.replace("http", "ws")}/ws/chat${
      token === null ? "" : `?token=${encodeURIComponent(token)}`
    }`;
  return { double, server, ws };
}

// ---- a raw HTTP/WebSocket client over node:net ----

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function tcp(): typeof NodeNet {
  const net = nodeBuiltin<typeof NodeNet>("node:net");
  if (!net) throw new Error("node:net is needed for raw WebSocket tests");
  return net;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}

class RawSocket {
  #socket: NodeNet.Socket;
  #buffer: Uint8Array = new Uint8Array(0);
  #waiters: (() => void)[] = [];
  ended = false;

  constructor(socket: NodeNet.Socket) {
    this.#socket = socket;
    socket.on("data", (chunk: Uint8Array) => {
      this.#buffer = concat(this.#buffer, new Uint8Array(chunk));
      for (const w of this.#waiters.splice(0)) w();
    });
    const end = () => {
      this.ended = true;
      for (const w of this.#waiters.splice(0)) w();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
  }

  static open(url: string): Promise<RawSocket> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = tcp().connect(Number(port), hostname, () => resolve(new RawSocket(socket)));
      socket.once("error", reject);
    });
  }

  write(bytes: Uint8Array | string): void {
    this.#socket.write(bytes);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  async #wait(): Promise<void> {
    if (this.ended) throw new Error("socket ended");
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Reads a status line and headers, then a body of Content-Length (none for 101). */
  async response(): Promise<RawReply> {
    let end = -1;
    for (;;) {
      end = new TextDecoder().decode(this.#buffer).indexOf("\r\n\r\n");
      if (end >= 0) break;
      await this.#wait();
    }
    const head = new TextDecoder().decode(this.#buffer.subarray(0, end)).split("\r\n");
    this.#buffer = this.#buffer.subarray(end + 4);
    const status = Number(head[0].split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const at = line.indexOf(":");
      headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    const length = status === 101 ? 0 : Number(headers["content-length"] ?? "0");
    while (this.#buffer.byteLength < length) await this.#wait();
    const body = new TextDecoder().decode(this.#buffer.subarray(0, length));
    this.#buffer = this.#buffer.subarray(length);
    return { status, headers, body };
  }

  /** Reads one server frame (servers never mask). */
  async frame(): Promise<{ fin: boolean; opcode: number; payload: Uint8Array }> {
    for (;;) {
      const b = this.#buffer;
      if (b.byteLength >= 2) {
        let length = b[1] & 0x7f;
        let offset = 2;
        const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
        if (length === 126 && b.byteLength >= 4) {
          length = view.getUint16(2);
          offset = 4;
        } else if (length === 127 && b.byteLength >= 10) {
          length = Number(view.getBigUint64(2));
          offset = 10;
        }
        assertEquals(b[1] & 0x80, 0, "server frames are not masked");
        if (length < 126 || offset > 2) {
          if (b.byteLength >= offset + length) {
            this.#buffer = b.subarray(offset + length);
            return {
              fin: (b[0] & 0x80) !== 0,
              opcode: b[0] & 0x0f,
              payload: b.slice(offset, offset + length),
            };
          }
        }
      }
      await this.#wait();
    }
  }
}

function maskedFrame(opcode: number, payload: Uint8Array | string, fin = true): Uint8Array {
  const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const length = data.byteLength;
  const header = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
  const out = new Uint8Array(header + 4 + length);
  out[0] = (fin ? 0x80 : 0) | opcode;
  const view = new DataView(out.buffer);
  if (length < 126) out[1] = 0x80 | length;
  else if (length <= 0xffff) {
    out[1] = 0x80 | 126;
    view.setUint16(2, length);
  } else {
    out[1] = 0x80 | 127;
    view.setBigUint64(2, BigInt(length));
  }
  const mask = crypto.getRandomValues(new Uint8Array(4));
  out.set(mask, header);
  for (let i = 0; i < length; i++) out[header + 4 + i] = data[i] ^ mask[i & 3];
  return out;
}

function randomKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

async function expectedAccept(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(key + GUID));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** Sends an opening handshake; returns the reply and, for a 101, the open socket. */
async function handshake(
  t: TestContext,
  url: string,
  path: string,
  extra: Record<string, string> = {},
): Promise<RawReply & { socket: RawSocket; key: string }> {
  const socket = await RawSocket.open(url);
  t.defer(() => socket.destroy());
  const key = randomKey();
  const headers: Record<string, string> = {
    host: new URL(url).host,
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-key": key,
    "sec-websocket-version": "13",
    ...extra,
  };
  socket.write(
    `GET ${path} HTTP/1.1\r\n${
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")
    }\r\n`,
  );
  return { ...await socket.response(), socket, key };
}

// ---- Coordinator Chat ----

test("chat double: /ws/chat is 404 without a coordinator, 401 before the upgrade without a valid token", async (t) => {
  const none = await startChat(t, {});
  assertEquals((await handshake(t, none.server.url, "/ws/chat?token=tok")).status, 404);
  const { server } = await startChat(t, { chat: { "*": "hi" } });
  for (const path of ["/ws/chat", "/ws/chat?token=", "/ws/chat?token=nope", "/ws/chat?tok=tok"]) {
    const reply = await handshake(t, server.url, path);
    assertEquals([reply.status, reply.body], [401, ""], path);
    assertEquals(reply.headers["x-frame-options"], "DENY");
  }
  const ok = await handshake(t, server.url, "/ws/chat?token=tok");
  assertEquals(ok.status, 101);
  assertEquals(ok.headers["sec-websocket-accept"], await expectedAccept(ok.key));
  // The header token is not what /ws/chat reads.
  const header = await handshake(t, server.url, "/ws/chat", { authorization: "Bearer tok" });
  assertEquals(header.status, 401);
  // Without an upgrade, axum's WebSocketUpgrade extractor answers first.
  const plain = await fetch(`${server.url}/ws/chat?token=tok`);
  assertEquals(plain.status, 400);
  assertEquals(plain.headers.get("content-type"), "text/plain; charset=utf-8");
  await plain.body?.cancel();
  const post = await fetch(`${server.url}/ws/chat?token=tok`, { method: "POST" });
  assertEquals(post.status, 405);
  await post.body?.cancel();
});

test("chat double: the rate limiter applies to the upgrade (empty 429)", async (t) => {
  const { server, double } = await startChat(t, { chat: { "*": "hi" } });
  double.setRateLimit({ burst: 1, refillMs: 3_600_000 });
  assertEquals((await handshake(t, server.url, "/ws/chat?token=tok")).status, 101);
  const limited = await handshake(t, server.url, "/ws/chat?token=tok");
  assertEquals([limited.status, limited.body], [429, ""]);
});

test("chat double: a turn streams ToolCallStarted and PolicyDecision per iteration, one done chunk, then LOOP_ERROR", async (t) => {
  const seen: { content: string; context: ChatTurnContext }[] = [];
  const { ws } = await startChat(t, {
    chat: (content, context) => {
      seen.push({ content, context });
      if (content === "status?") {
        return {
          iterations: [
            {
              toolCalls: [
                { name: "list_agents" },
                { name: "agent_status", arguments: { agent_id: "a1" }, callId: "toolu_7" },
              ],
            },
            { toolCalls: [{ name: "delegate", arguments: '{"agent":"x"}', denied: true }] },
            {},
          ],
          output: "Two agents, one denied delegation.",
          loopError: "provider timed out",
        };
      }
      return `echo: ${content}`;
    },
  });
  const client = await connect(t, ws());
  assertEquals(await client.next(), { type: "Pong" });
  client.send({ type: "ChatSend", id: "client-1", content: "status?" });
  const frames = [];
  for (let i = 0; i < 8; i++) frames.push(await client.next());
  const requestId = frames[0].request_id;
  assertMatch(requestId, UUID);
  assertEquals(requestId, seen[0].context.requestId);
  assertEquals(seen[0].context.id, "client-1");
  assertEquals(frames, [
    {
      type: "ToolCallStarted",
      request_id: requestId,
      call_id: "call_1",
      tool_name: "list_agents",
      arguments: "{}",
    },
    {
      type: "ToolCallStarted",
      request_id: requestId,
      call_id: "toolu_7",
      tool_name: "agent_status",
      arguments: '{"agent_id":"a1"}',
    },
    {
      type: "PolicyDecision",
      request_id: requestId,
      action: "2 actions",
      decision: "allow",
      reason: "All actions approved",
    },
    {
      type: "ToolCallStarted",
      request_id: requestId,
      call_id: "call_3",
      tool_name: "delegate",
      arguments: '{"agent":"x"}',
    },
    {
      type: "PolicyDecision",
      request_id: requestId,
      action: "1 actions",
      decision: "partial_deny",
      reason: "1 denied",
    },
    {
      type: "PolicyDecision",
      request_id: requestId,
      action: "1 actions",
      decision: "allow",
      reason: "All actions approved",
    },
    {
      type: "ChatChunk",
      request_id: requestId,
      content: "Two agents, one denied delegation.",
      done: true,
    },
    { type: "Error", request_id: requestId, code: "LOOP_ERROR", message: "provider timed out" },
  ]);
  client.send({ type: "ChatSend", id: "client-1", content: "again" });
  const policy = await client.next();
  const chunk = await client.next();
  assertEquals(policy.type, "PolicyDecision");
  assertEquals(chunk, {
    type: "ChatChunk",
    request_id: policy.request_id,
    content: "echo: again",
    done: true,
  });
  assert(policy.request_id !== requestId, "a fresh request_id per ChatSend");
  assertEquals(seen[1].context.history, [
    { role: "user", content: "status?" },
    { role: "assistant", content: "Two agents, one denied delegation." },
  ]);
});

test("chat double: Ping gets Pong; bad client frames get PARSE_ERROR with a null request_id", async (t) => {
  const { ws, double } = await startChat(t, { chat: { hi: { iterations: [], output: "hello" } } });
  const client = await connect(t, ws());
  assertEquals(await client.next(), { type: "Pong" });
  client.send({ type: "Ping" });
  assertEquals(await client.next(), { type: "Pong" });
  const bad = [
    "not json",
    "[1]",
    { kind: "ChatSend" },
    { type: "chatsend", id: "1", content: "hi" },
    { type: "ChatSend", id: "1" },
    { type: "ChatSend", id: 1, content: "hi" },
  ];
  for (const frame of bad) {
    client.send(frame);
    const error = await client.next();
    assertEquals(Object.keys(error), ["type", "request_id", "code", "message"]);
    assertEquals([error.type, error.request_id, error.code], ["Error", null, "PARSE_ERROR"]);
    assert(error.message.startsWith("Invalid message: "), error.message);
  }
  // Unknown fields are ignored, as serde does.
  client.send({ type: "ChatSend", id: "2", content: "hi", extra: true });
  assertEquals((await client.next()).content, "hello");
  const [connection] = double.chatConnections();
  assertEquals(connection.received[0], { type: "Ping" });
  assertEquals(connection.received[1], "not json");
  assertEquals(connection.token, "tok");
});

test("chat double: ChatSend is handled one at a time; a Ping waits behind a running loop", async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { ws, double } = await startChat(t, {
    chatHeartbeatMs: 0,
    chat: async (content) => {
      if (content === "slow") await gate;
      return { iterations: [], output: `done ${content}` };
    },
  });
  const client = await connect(t, ws());
  assertEquals(await client.next(), { type: "Pong" });
  client.send({ type: "ChatSend", id: "1", content: "slow" });
  client.send({ type: "Ping" });
  client.send({ type: "ChatSend", id: "2", content: "fast" });
  const [connection] = double.chatConnections();
  while (connection.received.length < 3) await new Promise((r) => setTimeout(r, 5));
  assertEquals(connection.sent, [{ type: "Pong" }], "nothing answered while the loop runs");
  release();
  assertEquals((await client.next()).content, "done slow");
  assertEquals(await client.next(), { type: "Pong" });
  assertEquals((await client.next()).content, "done fast");
});

test("chat double: unsolicited Pong heartbeats keep coming after the first", async (t) => {
  const { ws } = await startChat(t, { chat: { "*": "x" }, chatHeartbeatMs: 15 });
  const client = await connect(t, ws());
  for (let i = 0; i < 4; i++) assertEquals(await client.next(), { type: "Pong" });
});

test("chat double: scripted extra frames pass verbatim (unknown types too); the script can close", async (t) => {
  const { ws, double } = await startChat(t, {
    chatHeartbeatMs: 0,
    chat: {
      bye: {
        iterations: [],
        output: "closing",
        frames: [
          { type: "ToolCallResult", request_id: "r", call_id: "c", result: "x", is_error: false },
          { type: "FutureFrame", detail: { n: 1 } },
          "plain text frame",
        ],
        close: { code: 4001, reason: "scripted close" },
      },
    },
  });
  const client = await connect(t, ws());
  assertEquals(await client.next(), { type: "Pong" });
  client.send({ type: "ChatSend", id: "1", content: "bye" });
  assertEquals((await client.next()).type, "ToolCallResult");
  assertEquals(await client.next(), { type: "FutureFrame", detail: { n: 1 } });
  assertEquals(await client.next(), "plain text frame");
  assertEquals((await client.next()).type, "ChatChunk");
  assertEquals(await client.closed, { code: 4001, reason: "scripted close" });
  const [connection] = double.chatConnections();
  assertEquals(connection.open, false);
  // Content the table does not cover ends in a LOOP_ERROR that names it.
  const other = await connect(t, ws());
  assertEquals(await other.next(), { type: "Pong" });
  other.send({ type: "ChatSend", id: "2", content: "unknown" });
  const chunk = await other.next();
  assertEquals([chunk.type, chunk.content], ["ChatChunk", ""]);
  const error = await other.next();
  assertEquals([error.code, error.request_id], ["LOOP_ERROR", chunk.request_id]);
  assert(error.message.includes('"unknown"'));
  // Frames pushed out of band by the test.
  double.chatConnections()[1].send({ type: "Unsolicited" });
  assertEquals(await other.next(), { type: "Unsolicited" });
});

test("chat double: key-store keys (scope not enforced), revoked keys refused, legacy token despite refuseLegacyToken", async (t) => {
  const keys = await startChat(t, {
    chat: { "*": "x" },
    apiKeys: [
      { keyId: "admin", secret: "s1" },
      { keyId: "bot", secret: "s2", agentScope: ["0f8fad5b-d9cb-469f-a165-70867728950e"] },
      { keyId: "old", secret: "s3", revoked: true },
    ],
  });
  const status = async (url: string, token: string) =>
    (await handshake(t, url, `/ws/chat?token=${encodeURIComponent(token)}`)).status;
  assertEquals(await status(keys.server.url, "admin.s1"), 101);
  assertEquals(await status(keys.server.url, "bot.s2"), 101);
  assertEquals(await status(keys.server.url, "old.s3"), 401);
  assertEquals(await status(keys.server.url, "admin.wrong"), 401);
  assertEquals(await status(keys.server.url, "tok"), 401, "the key store is the only authority");
  const refusing = await startChat(t, { chat: { "*": "x" }, refuseLegacyToken: true });
  assertEquals(await status(refusing.server.url, "tok"), 101);
  const rest = await fetch(`${refusing.server.url}/api/v1/agents`, {
    headers: { authorization: "Bearer tok" },
  });
  await rest.body?.cancel();
  assertEquals(rest.status, 401, "REST still refuses the legacy token");
});

test("chat double: each connection keeps its own conversation", async (t) => {
  const { ws, double } = await startChat(t, {
    chatHeartbeatMs: 0,
    chat: (content, context) => ({
      iterations: [],
      output: `${content} after ${context.history.length} messages`,
    }),
  });
  const a = await connect(t, ws());
  const b = await connect(t, ws());
  await a.next();
  await b.next();
  a.send({ type: "ChatSend", id: "1", content: "a1" });
  assertEquals((await a.next()).content, "a1 after 0 messages");
  a.send({ type: "ChatSend", id: "2", content: "a2" });
  assertEquals((await a.next()).content, "a2 after 2 messages");
  b.send({ type: "ChatSend", id: "3", content: "b1" });
  assertEquals((await b.next()).content, "b1 after 0 messages");
  const [ca, cb] = double.chatConnections();
  assertEquals([ca.id, cb.id], [1, 2]);
  assertEquals(ca.history.map((m) => m.role), ["user", "assistant", "user", "assistant"]);
  assertEquals(cb.history, [
    { role: "user", content: "b1" },
    { role: "assistant", content: "b1 after 0 messages" },
  ]);
  a.close(1000, "done");
  assertEquals(await a.closed, { code: 1000, reason: "done" });
  while (ca.open) await new Promise((r) => setTimeout(r, 5));
  assertEquals(cb.open, true);
});

// ---- serve(): the WebSocket side on each runtime ----

test("serve: WebSocket frames per RFC 6455 (fragments, 16/64-bit lengths, ping, binary ignored, close)", async (t) => {
  const closes: [number, string][] = [];
  const server = await serve(() => new Response("plain"), {
    webSocket: () => ({
      onMessage: (text, socket) => socket.send(`echo:${text.length}:${text.slice(0, 5)}`),
      onClose: (code, reason) => closes.push([code, reason]),
    }),
  });
  t.defer(() => server.close());
  const { status, socket } = await handshake(t, server.url, "/any");
  assertEquals(status, 101);
  socket.write(maskedFrame(0x1, "hel", false));
  socket.write(maskedFrame(0x0, "lo ", false));
  socket.write(maskedFrame(0x9, "are you there"));
  socket.write(maskedFrame(0x0, "wörld"));
  const pong = await socket.frame();
  assertEquals([pong.opcode, new TextDecoder().decode(pong.payload)], [0xa, "are you there"]);
  const echoed = await socket.frame();
  assertEquals([echoed.fin, echoed.opcode], [true, 0x1]);
  assertEquals(new TextDecoder().decode(echoed.payload), "echo:11:hello");
  socket.write(maskedFrame(0x2, new Uint8Array([1, 2, 3])));
  const medium = "m".repeat(300);
  socket.write(maskedFrame(0x1, medium));
  assertEquals(new TextDecoder().decode((await socket.frame()).payload), "echo:300:mmmmm");
  const large = "L".repeat(70_000);
  socket.write(maskedFrame(0x1, large));
  assertEquals(new TextDecoder().decode((await socket.frame()).payload), "echo:70000:LLLLL");
  const close = new Uint8Array([0x0f, 0xa0, ...new TextEncoder().encode("bye")]); // 4000
  socket.write(maskedFrame(0x8, close));
  const reply = await socket.frame();
  assertEquals(reply.opcode, 0x8);
  assertEquals(new DataView(reply.payload.buffer).getUint16(0), 4000);
  while (closes.length === 0) await new Promise((r) => setTimeout(r, 5));
  assertEquals(closes, [[4000, "bye"]]);
});

test("serve: upgrade requests go to the fetch handler unless accepted; a Response refuses them", async (t) => {
  const server = await serve(
    (request) => new Response(`fetch saw ${new URL(request.url).pathname}`, { status: 426 }),
    {
      webSocket: (request) => {
        const path = new URL(request.url).pathname;
        if (path === "/refused") return new Response("no", { status: 403 });
        if (path === "/ws") return { onOpen: (socket) => socket.send("welcome") };
        return undefined;
      },
    },
  );
  t.defer(() => server.close());
  const other = await handshake(t, server.url, "/other");
  assertEquals([other.status, other.body], [426, "fetch saw /other"]);
  const refused = await handshake(t, server.url, "/refused");
  assertEquals([refused.status, refused.body], [403, "no"]);
  const plain = await serve(() => new Response("plain only", { status: 400 }));
  t.defer(() => plain.close());
  const noSockets = await handshake(t, plain.url, "/ws");
  assertEquals([noSockets.status, noSockets.body], [400, "plain only"]);
  const ws = await connect(t, `${server.url.replace("http", "ws")}/ws`);
  assertEquals(await ws.next(), "welcome");
});

test("serve: close() ends open WebSockets with 1001", async (t) => {
  const server = await serve(() => new Response(null, { status: 404 }), {
    webSocket: () => ({ onOpen: (socket) => socket.send("open") }),
  });
  const client = await connect(t, `${server.url.replace("http", "ws")}/`);
  assertEquals(await client.next(), "open");
  await server.close();
  assertEquals((await client.closed).code, 1001);
});
