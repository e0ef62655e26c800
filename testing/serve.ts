/**
 * Serves a fetch handler with the runtime's own HTTP server: `Deno.serve` on Deno, `Bun.serve` on
 * Bun, `node:http` on Node. Used for the local runtime doubles, in tests and by `cli.ts dev`.
 *
 * WebSockets are served too, behind one runtime-neutral interface ({@link WebSocketUpgrade}):
 * `Deno.upgradeWebSocket` on Deno, `server.upgrade` on Bun, and on Node (whose `node:http` has no
 * WebSocket server) a small RFC 6455 server over the `upgrade` event: text, close, ping and pong
 * frames, fragmented messages, 16- and 64-bit payload lengths. Binary frames are ignored on every
 * runtime.
 *
 * @module
 */

import type * as NodeCrypto from "node:crypto";
import type * as NodeHttp from "node:http";
import type * as NodeNet from "node:net";
import { nodeBuiltin } from "../client/_env.ts";

/** A fetch handler: a web-standard request in, a response out. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/**
 * The server side of one open WebSocket connection, the same on every runtime.
 *
 * @example Echoing text back
 * ```ts ignore
 * import type { WebSocketConnection } from "@symbiont/sdk/testing";
 * const echo = (text: string, socket: WebSocketConnection) => socket.send(text);
 * ```
 */
export interface WebSocketConnection {
  /** Whether the connection is open: `send` on a closed connection is silently dropped. */
  readonly open: boolean;
  /**
   * Sends one text frame.
   *
   * @param text The frame's text.
   */
  send(text: string): void;
  /**
   * Starts the closing handshake.
   *
   * @param code The close code. Default 1000.
   * @param reason A short reason (at most 123 bytes of UTF-8).
   */
  close(code?: number, reason?: string): void;
}

/**
 * What to do with one accepted WebSocket connection. Every callback is optional.
 *
 * @example A handler that greets and echoes
 * ```ts ignore
 * import type { WebSocketHandler } from "@symbiont/sdk/testing";
 * const handler: WebSocketHandler = {
 *   onOpen: (socket) => socket.send("hello"),
 *   onMessage: (text, socket) => socket.send(text),
 * };
 * ```
 */
export interface WebSocketHandler {
  /**
   * Called once the handshake is complete and frames can be sent.
   *
   * @param connection The connection.
   */
  onOpen?(connection: WebSocketConnection): void;
  /**
   * Called for each complete text message.
   *
   * @param text The message text (valid UTF-8).
   * @param connection The connection.
   */
  onMessage?(text: string, connection: WebSocketConnection): void;
  /**
   * Called once when the connection is gone, after a closing handshake or not (then code 1006).
   *
   * @param code The close code the peer sent (1005 when it sent none).
   * @param reason The close reason the peer sent.
   */
  onClose?(code: number, reason: string): void;
}

/**
 * Decides what happens to a WebSocket upgrade request (`Upgrade: websocket`): a
 * {@link WebSocketHandler} accepts it, a `Response` refuses it (e.g. 401 before the upgrade), and
 * `undefined` passes it to the fetch handler like any other request.
 *
 * @example Accepting only `/ws` with a token
 * ```ts ignore
 * import type { WebSocketUpgrade } from "@symbiont/sdk/testing";
 * const upgrade: WebSocketUpgrade = (request) => {
 *   const url = new URL(request.url);
 *   if (url.pathname !== "/ws") return undefined;
 *   if (url.searchParams.get("token") !== "t") return new Response(null, { status: 401 });
 *   return { onMessage: (text, socket) => socket.send(text) };
 * };
 * ```
 */
export type WebSocketUpgrade = (
  request: Request,
) =>
  | WebSocketHandler
  | Response
  | undefined
  | Promise<WebSocketHandler | Response | undefined>;

/**
 * Something with a fetch handler and, optionally, a WebSocket upgrade decision, such as the runtime
 * double: `serve(double)` serves both.
 */
export interface Servable {
  /** The fetch handler. */
  readonly fetch: FetchHandler;
  /** The WebSocket upgrade decision, if it serves WebSockets. */
  readonly webSocket?: WebSocketUpgrade;
}

/** Where and how to listen. */
export interface ServeOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string;
  /**
   * Accepts or refuses WebSocket upgrade requests. Without it (and without a `webSocket` member on
   * the served object), upgrade requests reach the fetch handler as plain requests.
   */
  webSocket?: WebSocketUpgrade;
}

/** A running server. */
export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Stops listening and closes open connections, WebSockets included (code 1001). */
  close(): Promise<void>;
}

interface DenoSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: (() => void) | null;
}
interface DenoServe {
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
  upgradeWebSocket(request: Request): { socket: DenoSocket; response: Response };
}
interface BunSocket {
  readonly data: BunSocketData;
  readyState: number;
  send(data: string): number;
  close(code?: number, reason?: string): void;
}
interface BunSocketData {
  handler: WebSocketHandler;
  connection?: TrackedConnection;
}
interface BunServer {
  port: number;
  upgrade(request: Request, options: { data: BunSocketData }): boolean;
  stop(closeActive?: boolean): void | Promise<void>;
}
interface BunServe {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: BunServer) => Promise<Response | undefined>;
    websocket: {
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
      close(ws: BunSocket, code: number, reason: string): void;
    };
  }): BunServer;
}

/** A connection `close()` of the running server must end. */
interface TrackedConnection extends WebSocketConnection {
  terminate(): void;
}

function isUpgrade(request: Request): boolean {
  return (request.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
}

/**
 * Starts serving `handler` and resolves once the server listens.
 *
 * @param handler The fetch handler, or an object with `fetch` and optionally `webSocket` (such as
 *   a runtime double).
 * @param options Port, interface and the WebSocket upgrade decision.
 * @returns The running server.
 *
 * @example Usage
 * ```ts ignore
 * import { serve } from "@symbiont/sdk/testing";
 * const server = await serve(() => new Response("hi"));
 * console.log(await (await fetch(server.url)).text());
 * await server.close();
 * ```
 *
 * @example An echo WebSocket server
 * ```ts ignore
 * import { serve } from "@symbiont/sdk/testing";
 * const server = await serve(() => new Response("not a socket", { status: 426 }), {
 *   webSocket: () => ({ onMessage: (text, socket) => socket.send(text) }),
 * });
 * const ws = new WebSocket(server.url.replace("http", "ws"));
 * ws.onopen = () => ws.send("ping");
 * ws.onmessage = async (event) => {
 *   console.log(event.data); // "ping"
 *   ws.close();
 *   await server.close();
 * };
 * ```
 */
export async function serve(
  handler: FetchHandler | Servable,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const fetchHandler: FetchHandler = typeof handler === "function"
    ? handler
    : (request) => handler.fetch(request);
  const webSocket = options.webSocket ??
    (typeof handler === "function" ? undefined : handler.webSocket);
  const port = options.port ?? 0;
  const hostname = options.hostname ?? "127.0.0.1";
  const sockets = new Set<TrackedConnection>();
  const g = globalThis as { Deno?: DenoServe; Bun?: BunServe };
  if (g.Deno) return serveWithDeno(g.Deno, fetchHandler, webSocket, port, hostname, sockets);
  if (g.Bun) return serveWithBun(g.Bun, fetchHandler, webSocket, port, hostname, sockets);
  return await serveWithNode(fetchHandler, webSocket, port, hostname, sockets);
}

function closeAll(sockets: Set<TrackedConnection>): void {
  for (const socket of [...sockets]) socket.terminate();
  sockets.clear();
}

// ---- Deno ----

function serveWithDeno(
  deno: DenoServe,
  handler: FetchHandler,
  webSocket: WebSocketUpgrade | undefined,
  port: number,
  hostname: string,
  sockets: Set<TrackedConnection>,
): RunningServer {
  const serveRequest = async (request: Request): Promise<Response> => {
    if (!webSocket || !isUpgrade(request)) return await handler(request);
    const decision = await webSocket(request);
    if (decision === undefined) return await handler(request);
    if (decision instanceof Response) return decision;
    let upgraded: { socket: DenoSocket; response: Response };
    try {
      upgraded = deno.upgradeWebSocket(request);
    } catch (error) {
      return new Response(error instanceof Error ? error.message : "invalid upgrade request", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const { socket } = upgraded;
    const connection: TrackedConnection = {
      get open() {
        return socket.readyState === 1;
      },
      send(text) {
        if (socket.readyState === 1) socket.send(text);
      },
      close(code = 1000, reason = "") {
        if (socket.readyState <= 1) socket.close(code, reason);
      },
      terminate() {
        if (socket.readyState <= 1) socket.close(1001, "server shutting down");
      },
    };
    socket.onopen = () => {
      sockets.add(connection);
      decision.onOpen?.(connection);
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") decision.onMessage?.(event.data, connection);
    };
    socket.onclose = (event) => {
      sockets.delete(connection);
      decision.onClose?.(event.code, event.reason);
    };
    socket.onerror = () => {};
    return upgraded.response;
  };
  const server = deno.serve({ port, hostname, onListen: () => {} }, serveRequest);
  const bound = server.addr.port;
  return {
    url: `http://${hostname}:${bound}`,
    port: bound,
    close: async () => {
      closeAll(sockets);
      await server.shutdown();
    },
  };
}

// ---- Bun ----

function serveWithBun(
  bun: BunServe,
  handler: FetchHandler,
  webSocket: WebSocketUpgrade | undefined,
  port: number,
  hostname: string,
  sockets: Set<TrackedConnection>,
): RunningServer {
  const server = bun.serve({
    port,
    hostname,
    fetch: async (request, srv) => {
      if (!webSocket || !isUpgrade(request)) return await handler(request);
      const decision = await webSocket(request);
      if (decision === undefined) return await handler(request);
      if (decision instanceof Response) return decision;
      if (srv.upgrade(request, { data: { handler: decision } })) return undefined;
      return new Response("invalid WebSocket upgrade request", {
        status: 400,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    },
    websocket: {
      open(ws) {
        const connection: TrackedConnection = {
          get open() {
            return ws.readyState === 1;
          },
          send(text) {
            if (ws.readyState === 1) ws.send(text);
          },
          close(code = 1000, reason = "") {
            if (ws.readyState <= 1) ws.close(code, reason);
          },
          terminate() {
            if (ws.readyState <= 1) ws.close(1001, "server shutting down");
          },
        };
        ws.data.connection = connection;
        sockets.add(connection);
        ws.data.handler.onOpen?.(connection);
      },
      message(ws, message) {
        const connection = ws.data.connection;
        if (typeof message === "string" && connection) {
          ws.data.handler.onMessage?.(message, connection);
        }
      },
      close(ws, code, reason) {
        if (ws.data.connection) sockets.delete(ws.data.connection);
        ws.data.handler.onClose?.(code, reason);
      },
    },
  });
  return {
    url: `http://${hostname}:${server.port}`,
    port: server.port,
    close: async () => {
      closeAll(sockets);
      await server.stop(true);
    },
  };
}

// ---- Node ----

async function serveWithNode(
  handler: FetchHandler,
  webSocket: WebSocketUpgrade | undefined,
  port: number,
  hostname: string,
  sockets: Set<TrackedConnection>,
): Promise<RunningServer> {
  const http = nodeBuiltin<typeof NodeHttp>("node:http");
  if (!http) {
    throw new TypeError("serve: this runtime has no HTTP server (Deno, Bun or Node needed)");
  }
  const toRequest = (req: NodeHttp.IncomingMessage, body?: Uint8Array<ArrayBuffer>): Request => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    }
    const method = req.method ?? "GET";
    const hasBody = method !== "GET" && method !== "HEAD";
    return new Request(`http://${req.headers.host ?? hostname}${req.url ?? "/"}`, {
      method,
      headers,
      body: hasBody ? body : undefined,
    });
  };
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Uint8Array[] = [];
      for await (const chunk of req) chunks.push(chunk as Uint8Array);
      const request = toRequest(req, new Uint8Array(Buffer.concat(chunks)));
      const response = await handler(request);
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => {
        outHeaders[key] = value;
      });
      res.writeHead(response.status, outHeaders);
      if (response.body && request.method !== "HEAD") {
        for await (const chunk of response.body) res.write(chunk);
      }
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  server.on("upgrade", async (req: NodeHttp.IncomingMessage, socket: NodeNet.Socket, head) => {
    socket.on("error", () => {});
    try {
      const request = toRequest(req);
      const decision = webSocket && isUpgrade(request) ? await webSocket(request) : undefined;
      if (decision === undefined || decision instanceof Response) {
        await writeRawResponse(socket, decision ?? await handler(request));
        return;
      }
      const refusal = handshakeProblem(request);
      if (refusal) {
        await writeRawResponse(socket, refusal);
        return;
      }
      acceptNodeWebSocket(socket, head as Uint8Array, request, decision, sockets);
    } catch {
      await writeRawResponse(socket, new Response(null, { status: 500 })).catch(() => {});
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://${hostname}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        closeAll(sockets);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const STATUS_TEXT: Record<number, string> = {
  101: "Switching Protocols",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** Writes a whole HTTP/1.1 response onto a raw socket and ends it (refused upgrades). */
async function writeRawResponse(socket: NodeNet.Socket, response: Response): Promise<void> {
  const body = new Uint8Array(await response.arrayBuffer());
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? "Unknown"}`];
  response.headers.forEach((value, key) => {
    if (key !== "content-length" && key !== "connection") lines.push(`${key}: ${value}`);
  });
  lines.push(`content-length: ${body.byteLength}`, "connection: close", "", "");
  socket.write(lines.join("\r\n"));
  if (body.byteLength > 0) socket.write(body);
  socket.end();
}

/** The checks RFC 6455 section 4.2.1 asks of the opening handshake; a 400/426 when one fails. */
function handshakeProblem(request: Request): Response | undefined {
  const plain = (status: number, message: string) =>
    new Response(message, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
  if (request.method !== "GET") return plain(405, "WebSocket upgrades must use GET");
  const connection = (request.headers.get("connection") ?? "").toLowerCase().split(/\s*,\s*/);
  if (!connection.includes("upgrade")) return plain(400, "Connection header must include upgrade");
  if (request.headers.get("sec-websocket-version") !== "13") {
    return new Response("unsupported WebSocket version", {
      status: 426,
      headers: { "sec-websocket-version": "13", "content-type": "text/plain; charset=utf-8" },
    });
  }
  const key = request.headers.get("sec-websocket-key") ?? "";
  let decoded = "";
  try {
    decoded = atob(key);
  } catch {
    decoded = "";
  }
  if (decoded.length !== 16) return plain(400, "Sec-WebSocket-Key must be 16 bytes in base64");
  return undefined;
}

/** The GUID RFC 6455 appends to the client's key before hashing. */
const HANDSHAKE_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Largest message the Node server assembles before closing with 1009. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

function frame(opcode: number, payload: Uint8Array): Uint8Array {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length <= 0xffff ? 4 : 10;
  const out = new Uint8Array(headerLength + length);
  out[0] = 0x80 | opcode;
  const view = new DataView(out.buffer);
  if (length < 126) {
    out[1] = length;
  } else if (length <= 0xffff) {
    out[1] = 126;
    view.setUint16(2, length);
  } else {
    out[1] = 127;
    view.setBigUint64(2, BigInt(length));
  }
  out.set(payload, headerLength);
  return out;
}

function closePayload(code: number | undefined, reason: string): Uint8Array {
  if (code === undefined) return new Uint8Array();
  let text = new TextEncoder().encode(reason);
  if (text.byteLength > 123) text = text.slice(0, 123);
  const out = new Uint8Array(2 + text.byteLength);
  new DataView(out.buffer).setUint16(0, code);
  out.set(text, 2);
  return out;
}

function acceptNodeWebSocket(
  socket: NodeNet.Socket,
  head: Uint8Array,
  request: Request,
  handler: WebSocketHandler,
  sockets: Set<TrackedConnection>,
): void {
  const crypto = nodeBuiltin<typeof NodeCrypto>("node:crypto");
  if (!crypto) throw new TypeError("serve: node:crypto is missing");
  const key = request.headers.get("sec-websocket-key") ?? "";
  const accept = crypto.createHash("sha1").update(key + HANDSHAKE_GUID).digest("base64");
  socket.setNoDelay(true);
  socket.write(
    [
      "HTTP/1.1 101 Switching Protocols",
      "upgrade: websocket",
      "connection: Upgrade",
      `sec-websocket-accept: ${accept}`,
      "",
      "",
    ].join("\r\n"),
  );

  const decoder = new TextDecoder("utf-8", { fatal: true });
  let state: "open" | "closing" | "closed" = "open";
  let buffered = new Uint8Array(0);
  let fragments: Uint8Array[] = [];
  let fragmentBytes = 0;
  let fragmentOpcode = -1;
  let peerCode = 1006;
  let peerReason = "";
  let closeTimer: ReturnType<typeof setTimeout> | undefined;

  const write = (opcode: number, payload: Uint8Array) => {
    if (!socket.destroyed) socket.write(frame(opcode, payload));
  };
  const startClose = (code: number | undefined, reason: string) => {
    if (state !== "open") return;
    state = "closing";
    write(OP_CLOSE, closePayload(code, reason));
    // The peer answers with its own Close frame; do not wait for it forever.
    closeTimer = setTimeout(() => socket.destroy(), 2000);
  };
  const connection: TrackedConnection = {
    get open() {
      return state === "open";
    },
    send(text) {
      if (state === "open") write(OP_TEXT, new TextEncoder().encode(text));
    },
    close(code = 1000, reason = "") {
      startClose(code, reason);
    },
    terminate() {
      if (state === "open") startClose(1001, "server shutting down");
      socket.end();
      setTimeout(() => socket.destroy(), 100);
    },
  };

  const fail = (code: number, reason: string) => {
    peerCode = code;
    peerReason = "";
    if (state === "open") startClose(code, reason);
    socket.end();
  };

  const onFrame = (fin: boolean, opcode: number, payload: Uint8Array): void => {
    if (opcode >= 0x8) {
      if (!fin || payload.byteLength > 125) return fail(1002, "invalid control frame");
      if (opcode === OP_CLOSE) {
        if (payload.byteLength >= 2) {
          peerCode = new DataView(payload.buffer, payload.byteOffset).getUint16(0);
          try {
            peerReason = decoder.decode(payload.subarray(2));
          } catch {
            return fail(1007, "close reason is not UTF-8");
          }
        } else {
          peerCode = 1005;
        }
        if (state === "open") {
          state = "closing";
          write(OP_CLOSE, closePayload(peerCode === 1005 ? undefined : peerCode, peerReason));
        }
        socket.end();
        return;
      }
      if (opcode === OP_PING) {
        if (state === "open") write(OP_PONG, payload);
        return;
      }
      if (opcode === OP_PONG) return;
      return fail(1002, "unknown control opcode");
    }
    if (opcode === OP_CONTINUATION) {
      if (fragmentOpcode < 0) return fail(1002, "continuation without a first frame");
    } else if (opcode === OP_TEXT || opcode === OP_BINARY) {
      if (fragmentOpcode >= 0) return fail(1002, "new message inside a fragmented one");
      fragmentOpcode = opcode;
    } else {
      return fail(1002, "unknown opcode");
    }
    fragmentBytes += payload.byteLength;
    if (fragmentBytes > MAX_MESSAGE_BYTES) return fail(1009, "message too big");
    fragments.push(payload);
    if (!fin) return;
    const whole = new Uint8Array(fragmentBytes);
    let at = 0;
    for (const part of fragments) {
      whole.set(part, at);
      at += part.byteLength;
    }
    const kind = fragmentOpcode;
    fragments = [];
    fragmentBytes = 0;
    fragmentOpcode = -1;
    if (kind === OP_BINARY || state !== "open") return; // binary frames are ignored
    let text: string;
    try {
      text = decoder.decode(whole);
    } catch {
      return fail(1007, "text frame is not UTF-8");
    }
    handler.onMessage?.(text, connection);
  };

  const onData = (chunk: Uint8Array): void => {
    const joined = new Uint8Array(buffered.byteLength + chunk.byteLength);
    joined.set(buffered);
    joined.set(chunk, buffered.byteLength);
    buffered = joined;
    for (;;) {
      if (buffered.byteLength < 2) return;
      const b0 = buffered[0];
      const b1 = buffered[1];
      if ((b0 & 0x70) !== 0) return fail(1002, "reserved bits set");
      if ((b1 & 0x80) === 0) return fail(1002, "client frames must be masked");
      let length = b1 & 0x7f;
      let offset = 2;
      const view = new DataView(buffered.buffer, buffered.byteOffset, buffered.byteLength);
      if (length === 126) {
        if (buffered.byteLength < 4) return;
        length = view.getUint16(2);
        offset = 4;
      } else if (length === 127) {
        if (buffered.byteLength < 10) return;
        const big = view.getBigUint64(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return fail(1009, "message too big");
        length = Number(big);
        offset = 10;
      }
      if (buffered.byteLength < offset + 4 + length) return;
      const mask = buffered.subarray(offset, offset + 4);
      const payload = buffered.slice(offset + 4, offset + 4 + length);
      for (let i = 0; i < payload.byteLength; i++) payload[i] ^= mask[i & 3];
      buffered = buffered.subarray(offset + 4 + length);
      onFrame((b0 & 0x80) !== 0, b0 & 0x0f, payload);
      if (socket.destroyed || socket.writableEnded) return;
    }
  };

  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    state = "closed";
    clearTimeout(closeTimer);
    sockets.delete(connection);
    handler.onClose?.(peerCode, peerReason);
  };
  socket.on("data", (chunk: Uint8Array) => onData(chunk));
  socket.on("end", () => socket.end());
  socket.on("close", finish);
  sockets.add(connection);
  handler.onOpen?.(connection);
  if (head.byteLength > 0) onData(head);
}
