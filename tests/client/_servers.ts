/** Small loopback servers for transport tests: scripted fetch handlers and a connection resetter. */
import { serve } from "../../testing/serve.ts";
import type { TestContext } from "../_harness.ts";

/** A recorded request. */
export interface Seen {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/**
 * Serves `respond` on loopback, recording every request. `respond` gets the request number (from 0).
 */
export async function scripted(
  t: TestContext,
  respond: (n: number, request: Request) => Response | Promise<Response>,
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = await serve(async (request) => {
    const n = seen.length;
    const url = new URL(request.url);
    seen.push({
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      body: await request.text(),
    });
    return await respond(n, request);
  });
  t.defer(() => server.close());
  return { url: server.url, seen };
}

/**
 * A raw TCP server that destroys the first `resets` connections without answering, then answers
 * every later request with `200 {"status":"healthy",...}`. Counts connections.
 */
export async function resetting(
  t: TestContext,
  resets: number,
): Promise<{ url: string; connections: () => number }> {
  const net = await import("node:net");
  let count = 0;
  const body = JSON.stringify({
    status: "healthy",
    uptime_seconds: 1,
    timestamp: "2026-11-28T10:00:00Z",
    version: "1.19.0",
  });
  const server = net.createServer((socket) => {
    count++;
    if (count <= resets) {
      socket.destroy();
      return;
    }
    socket.once("data", () => {
      socket.end(
        `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  t.defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${port}`, connections: () => count };
}

/** A health body the models accept. */
export const HEALTH = {
  status: "healthy",
  uptime_seconds: 12,
  timestamp: "2026-11-28T10:00:00Z",
  version: "1.19.0",
};
