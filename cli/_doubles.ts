/**
 * The local doubles `symbiont dev` and `symbiont tour` serve: the runtime double (management API
 * and a scripted Coordinator Chat on `/ws/chat`) and the HTTP Input double with a scripted model.
 * The scripts say plainly that they are scripted; nothing here pretends to be a model.
 *
 * @module
 */
import {
  createHttpInputDouble,
  createRuntimeDouble,
  type HttpInputDouble,
  type RunningServer,
  type RuntimeDouble,
  serve,
} from "../testing/mod.ts";

/** Both doubles, served. */
export interface ServedDoubles {
  /** The runtime double. */
  runtime: RuntimeDouble;
  /** The HTTP Input double. */
  httpInput: HttpInputDouble;
  /** The management API server (`<url>/api/v1`, `/ws/chat`). */
  api: RunningServer;
  /** The HTTP Input server (`<url>/webhook`). */
  input: RunningServer;
  /** Closes both servers. */
  close(): Promise<void>;
}

/**
 * Creates and serves both doubles.
 *
 * @param options Tokens, ports and the interface to bind.
 * @returns The doubles and their servers.
 */
export async function serveDoubles(options: {
  apiToken: string;
  httpInputToken: string;
  apiPort?: number;
  inputPort?: number;
  hostname?: string;
}): Promise<ServedDoubles> {
  const runtime = createRuntimeDouble({
    apiToken: options.apiToken,
    readyAfterMs: 0,
    chat: (content) => ({
      iterations: [{ toolCalls: [{ name: "list_agents", arguments: {} }] }, {}],
      output: `(scripted coordinator of the runtime double) you said: ${content}`,
    }),
  });
  const httpInput = createHttpInputDouble({
    authHeader: `Bearer ${options.httpInputToken}`,
    script: (invocation) => ({
      status: "completed",
      response: `(scripted model of the HTTP Input double) received: ${invocation.userMessage}`,
      toolRuns: [{
        tool: "echo",
        input: { text: invocation.userMessage },
        output: invocation.userMessage,
      }],
    }),
  });
  const hostname = options.hostname ?? "127.0.0.1";
  const api = await serve(runtime, { port: options.apiPort ?? 0, hostname });
  let input: RunningServer;
  try {
    input = await serve(httpInput.fetch, { port: options.inputPort ?? 0, hostname });
  } catch (error) {
    await api.close();
    throw error;
  }
  return {
    runtime,
    httpInput,
    api,
    input,
    close: async () => {
      await Promise.allSettled([api.close(), input.close()]);
    },
  };
}
