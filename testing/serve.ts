/**
 * Serves a fetch handler with the runtime's own HTTP server: `Deno.serve` on Deno, `Bun.serve` on
 * Bun, `node:http` on Node. Used for the local runtime double, in tests and by `cli.ts dev`.
 *
 * @module
 */

import type * as NodeHttp from "node:http";
import { nodeBuiltin } from "../client/_env.ts";

/** A fetch handler: a web-standard request in, a response out. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where and how to listen. */
export interface ServeOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  hostname?: string;
}

/** A running server. */
export interface RunningServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

interface DenoServe {
  serve(
    options: { port: number; hostname: string; onListen?: () => void },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void> };
}
interface BunServe {
  serve(options: { port: number; hostname: string; fetch: FetchHandler }): {
    port: number;
    stop(closeActive?: boolean): void | Promise<void>;
  };
}

/**
 * Starts serving `handler` and resolves once the server listens.
 *
 * @param handler The fetch handler to serve.
 * @param options Port and interface.
 * @returns The running server.
 *
 * @example Usage
 * ```ts ignore
 * import { serve } from "@symbiont/sdk/testing";
 * const server = await serve(() => new Response("hi"));
 * console.log(await (await fetch(server.url)).text());
 * await server.close();
 * ```
 */
export async function serve(
  handler: FetchHandler,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const port = options.port ?? 0;
  const hostname = options.hostname ?? "127.0.0.1";
  const g = globalThis as { Deno?: DenoServe; Bun?: BunServe };
  if (g.Deno) {
    const server = g.Deno.serve({ port, hostname, onListen: () => {} }, handler);
    const bound = server.addr.port;
    return { url: `http://${hostname}:${bound}`, port: bound, close: () => server.shutdown() };
  }
  if (g.Bun) {
    const server = g.Bun.serve({ port, hostname, fetch: handler });
    return {
      url: `http://${hostname}:${server.port}`,
      port: server.port,
      close: async () => {
        await server.stop(true);
      },
    };
  }
  return await serveWithNode(handler, port, hostname);
}

async function serveWithNode(
  handler: FetchHandler,
  port: number,
  hostname: string,
): Promise<RunningServer> {
  const http = nodeBuiltin<typeof NodeHttp>("node:http");
  if (!http) {
    throw new TypeError("serve: this runtime has no HTTP server (Deno, Bun or Node needed)");
  }
  const server = http.createServer(async (req, res) => {
    try {
      const chunks: Uint8Array[] = [];
      for await (const chunk of req) chunks.push(chunk as Uint8Array);
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      }
      const method = req.method ?? "GET";
      const hasBody = method !== "GET" && method !== "HEAD";
      const body = hasBody ? new Uint8Array(Buffer.concat(chunks)) : undefined;
      const request = new Request(`http://${req.headers.host ?? hostname}${req.url ?? "/"}`, {
        method,
        headers,
        body,
      });
      const response = await handler(request);
      const outHeaders: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => {
        outHeaders[key] = value;
      });
      res.writeHead(response.status, outHeaders);
      if (response.body && method !== "HEAD") {
        for await (const chunk of response.body) res.write(chunk);
      }
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
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
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
