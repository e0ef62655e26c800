/**
 * A local double of the Symbiont runtime's HTTP Input (webhook) server (port 8081,
 * `runtime-api.md` section 5): an in-memory fetch handler with the runtime's routes, its checks in
 * the runtime's order, and both success shapes, answering from a script instead of an LLM. Serve it
 * with {@link serve} or call `double.fetch(request)` directly (it runs inside Cloudflare Workers too).
 *
 * The pipeline, outermost first:
 * 1. CORS, only when `corsOrigins` is set: preflights are answered before anything else, allowed
 *    origins get `access-control-allow-origin`.
 * 2. Routing: only `POST <path>` and `POST <path>/<rest>` exist; another method there gets an empty
 *    405 with `allow: POST`, any other path an empty 404.
 * 3. Authentication, failing closed: with neither `authHeader` nor `jwtPublicKey` configured,
 *    every request gets 401. Otherwise the raw `Authorization` value must equal `authHeader`
 *    exactly, or carry an EdDSA JWT (with `exp`) that verifies with `jwtPublicKey`. Empty 401.
 * 4. Concurrency: a try-acquire of `concurrency` permits held until the answer is ready; empty 429
 *    when none is free.
 * 5. Body: more than `maxBodyBytes` gets axum's text/plain 413.
 * 6. Signature, with `webhookVerify`: hex HMAC-SHA256 of the raw body in the runtime's format for
 *    the provider (`github`: `X-Hub-Signature-256: sha256=<hex>`; `stripe`: `Stripe-Signature:
 *    <hex>`; `slack`: `X-Slack-Signature: v0=<hex>`; any other: `X-Signature: <hex>`), no timestamp.
 *    Empty 401.
 * 7. JSON: bytes that are not JSON (no Content-Type needed) get an empty 400.
 * 8. Agent: the routing rules in order, else the default agent; what the "model" receives (section
 *    5.3) is recorded, and the script decides the answer.
 *
 * Choices where the runtime leaves room: routing answers 404/405 before authentication; the body
 * limit is checked before the signature (the signature needs the whole body).
 *
 * @example Serving a double and invoking it
 * ```ts ignore
 * import { createHttpInputDouble, serve } from "@symbiont/sdk/testing";
 * const double = createHttpInputDouble({
 *   authHeader: "Bearer input-token",
 *   script: () => ({ status: "completed", response: "Done." }),
 * });
 * const server = await serve(double.fetch);
 * const res = await fetch(`${server.url}/webhook`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer input-token" },
 *   body: JSON.stringify({ prompt: "scan 10.0.0.1" }),
 * });
 * console.log(res.status, (await res.json()).response); // 200 "Done."
 * await server.close();
 * ```
 *
 * @module
 */
import {
  empty,
  json,
  readLimited,
  text,
  timestampOffset,
  timingSafeEqual,
} from "./_double_http.ts";
import { runtimeProvider } from "../webhooks/providers.ts";
import { JwtVerifier } from "../webhooks/jwt_verifier.ts";

/**
 * A routing rule of the HTTP Input server; rules are tried in order and the first match picks the
 * agent. `pathPrefix` is compared with the raw request path (`/webhook/scanner`), `header` by name
 * (case-insensitive) and exact value, `jsonField` with a top-level string field of the body.
 */
export type HttpInputRoutingRule =
  | {
    /** The path prefix, e.g. `/webhook/scanner`. */
    pathPrefix: string;
    /** The agent id to route to. */
    agent: string;
  }
  | {
    /** The header name. */
    header: string;
    /** The exact header value. */
    equals: string;
    /** The agent id to route to. */
    agent: string;
  }
  | {
    /** The top-level body field. */
    jsonField: string;
    /** The exact string value. */
    equals: string;
    /** The agent id to route to. */
    agent: string;
  };

/** Why a scripted reasoning loop ended, in its wire form. */
export type HttpInputTerminationReason =
  | "Completed"
  | "MaxIterations"
  | "MaxTokens"
  | "Timeout"
  | {
    /** A policy denied an action. */
    PolicyDenial: {
      /** The policy's reason. */
      reason: string;
    };
  }
  | {
    /** The model or the loop failed (still a 200). */
    Error: {
      /** What went wrong. */
      message: string;
    };
  };

/** One tool call of a scripted completed run, turned into a `tool_runs` item as the runtime does. */
export interface HttpInputToolRun {
  /** The tool name, or the delegation target when `delegate` is set. */
  tool: string;
  /** The parsed arguments. Default `null`. */
  input?: unknown;
  /** The tool's output; `output_preview` keeps its first 500 bytes. Default `""`. */
  output?: string;
  /**
   * The policy gate denied the call with this reason: the item keeps the bare name and its preview
   * reads `[Policy denied] <reason>`. Otherwise the call ran and is labelled `toolclad:<tool>`.
   */
  denied?: string;
  /** A delegation: labelled `delegate:<tool>` (denied or not). */
  delegate?: boolean;
}

/**
 * How the double answers an invocation:
 * - `execution_started`: the agent is Running, the payload was dispatched on the bus.
 * - `completed`: a governed reasoning loop ran (an `Error` termination reason is still a 200).
 * - `error`: the runtime's error shape `{error, timestamp}`, 500 unless `httpStatus` says
 *   otherwise; `"Configuration error"` (the default) is what a runtime without an LLM answers.
 */
export type HttpInputOutcome =
  | {
    /** Dispatched to a running agent. */
    status: "execution_started";
    /** The bus message id. Default: a fresh UUID. */
    messageId?: string;
  }
  | {
    /** A reasoning loop ran. */
    status: "completed";
    /** The model's final text. */
    response: string;
    /** The tool calls. Default none. */
    toolRuns?: HttpInputToolRun[];
    /** Default `"Completed"`. */
    terminationReason?: HttpInputTerminationReason;
    /** Default: 1, plus one per tool run. */
    iterations?: number;
    /** Default `"scripted-model"`. */
    model?: string;
    /** Default `"double"`. */
    provider?: string;
  }
  | {
    /** The runtime's error answer. */
    status: "error";
    /** Default `"Configuration error"` (no LLM provider configured). */
    error?: "Internal server error" | "Authentication error" | "Configuration error";
    /** Default 500 (`response_control.error_status`). */
    httpStatus?: number;
  };

/** An invocation that passed every check, as the agent's "model" receives it (section 5.3). */
export interface HttpInputInvocation {
  /** The agent the routing picked. */
  agentId: string;
  /** The raw request path, e.g. `/webhook/scanner%20agent`. */
  path: string;
  /** The request headers. */
  headers: Headers;
  /** The raw body text. */
  body: string;
  /** The parsed JSON body. */
  payload: unknown;
  /**
   * The user message: `prompt` when it is a string, else `message`, else the whole payload
   * pretty-printed after `"Execute the following task using your available tools:\n\n"`.
   */
  userMessage: string;
  /** `system_prompt` cut to 4096 bytes on a UTF-8 boundary, or `undefined` when absent. */
  systemPrompt: string | undefined;
}

/** A request the double received, whatever it answered. */
export interface HttpInputRequestRecord {
  /** The method. */
  method: string;
  /** The raw path and query. */
  path: string;
  /** The request headers. */
  headers: Headers;
  /** The status the double answered. */
  status: number;
}

/**
 * The response script: a table from agent id to outcome (agents not in it get the default
 * `{status: "error"}`, a runtime without an LLM), or a function of the invocation. A function may
 * return a promise: the request keeps its concurrency permit until it settles, which makes 429
 * testable. A function that throws answers 500 `{error: "Internal server error"}`.
 */
export type HttpInputScript =
  | ((invocation: HttpInputInvocation) => HttpInputOutcome | Promise<HttpInputOutcome>)
  | Record<string, HttpInputOutcome>;

/** Options of {@link createHttpInputDouble}. */
export interface HttpInputDoubleOptions {
  /** The route path; `<path>/<rest>` is served too. Default `/webhook`. */
  path?: string;
  /** The exact `Authorization` value accepted, e.g. `Bearer abc` (`auth_header`). */
  authHeader?: string;
  /**
   * An Ed25519 public key (CryptoKey, JWK or SPKI PEM): `Authorization: Bearer <jwt>` with an EdDSA
   * JWT carrying `exp` (5 s leeway, no audience or issuer check) is accepted too.
   */
  jwtPublicKey?: CryptoKey | JsonWebKey | string;
  /** `webhook_verify`: the provider name and the shared secret. */
  webhookVerify?: { provider: string; secret: string | Uint8Array };
  /** The body limit in bytes. Default 1 048 576 (what `symbi up` sets). */
  maxBodyBytes?: number;
  /** Requests served at once. Default 10. */
  concurrency?: number;
  /** The routing rules, tried in order. */
  routes?: HttpInputRoutingRule[];
  /** The agent when no rule matches. Default: a fresh UUID. */
  defaultAgent?: string;
  /** The response script. Default: every agent answers `{status: "error"}` (no LLM). */
  script?: HttpInputScript;
  /** Allowed CORS origins (exact match). Default: no CORS layer. */
  corsOrigins?: string[];
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The HTTP Input double: a fetch handler plus controls for tests. */
export interface HttpInputDouble {
  /** The fetch handler (bound; pass it to `serve` as is). */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The default agent's id. */
  readonly defaultAgent: string;
  /** Requests currently holding a concurrency permit. */
  readonly inFlight: number;
  /** Every request received, with the status answered (in-flight ones once answered). */
  requests(): HttpInputRequestRecord[];
  /** Every invocation that reached the script, in arrival order. */
  invocations(): HttpInputInvocation[];
  /**
   * Holds every request that reaches the script from now on (keeping its permit) until the
   * returned function is called.
   *
   * @returns The release function.
   */
  hold(): () => void;
  /**
   * Resolves once at least `count` requests hold a permit.
   *
   * @param count The number of in-flight requests to wait for.
   * @returns A promise that resolves then.
   */
  whenInFlight(count: number): Promise<void>;
}

/** The runtime keeps this many bytes of `system_prompt`. */
const SYSTEM_PROMPT_BYTES = 4096;
/** The runtime keeps this many bytes of a tool's output in `output_preview`. */
const OUTPUT_PREVIEW_BYTES = 500;

/** The longest prefix of `value` whose UTF-8 encoding fits in `limit` bytes. */
function truncateUtf8(value: string, limit: number): string {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length <= limit) return value;
  let end = limit;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

function userMessageOf(payload: unknown): string {
  const record = typeof payload === "object" && payload !== null && !Array.isArray(payload)
    ? payload as Record<string, unknown>
    : {};
  if (typeof record.prompt === "string") return record.prompt;
  if (typeof record.message === "string") return record.message;
  return `Execute the following task using your available tools:\n\n${
    JSON.stringify(payload, null, 2)
  }`;
}

function toolRunItem(run: HttpInputToolRun): Record<string, unknown> {
  const tool = run.delegate
    ? `delegate:${run.tool}`
    : run.denied !== undefined
    ? run.tool
    : `toolclad:${run.tool}`;
  const output = run.denied !== undefined ? `[Policy denied] ${run.denied}` : run.output ?? "";
  return {
    tool,
    input: run.input === undefined ? null : run.input,
    output_preview: truncateUtf8(output, OUTPUT_PREVIEW_BYTES),
  };
}

/**
 * Creates an HTTP Input double.
 *
 * @param options Auth, limits, signature check, routing and the response script.
 * @returns The fetch handler and its test controls.
 *
 * @example Routing by path, a GitHub-format signature and a held request
 * ```ts ignore
 * import { createHttpInputDouble, serve } from "@symbiont/sdk/testing";
 * const scanner = "5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40";
 * const double = createHttpInputDouble({
 *   authHeader: "Bearer tok",
 *   webhookVerify: { provider: "github", secret: "s3" },
 *   concurrency: 1,
 *   routes: [{ pathPrefix: "/webhook/scanner", agent: scanner }],
 *   script: {
 *     [scanner]: {
 *       status: "completed",
 *       response: "1 host up",
 *       toolRuns: [{ tool: "nmap", input: { target: "10.0.0.1" }, output: "22/tcp open" }],
 *     },
 *   },
 * });
 * const release = double.hold(); // requests now wait in the script, keeping their permit
 * const server = await serve(double.fetch);
 * // ... send one request, `await double.whenInFlight(1)`, a second one gets 429 ...
 * release();
 * await server.close();
 * ```
 */
export function createHttpInputDouble(options: HttpInputDoubleOptions = {}): HttpInputDouble {
  const now = options.now ?? (() => Date.now());
  const path = (options.path ?? "/webhook").replace(/\/+$/, "") || "/";
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const concurrency = options.concurrency ?? 10;
  const defaultAgent = options.defaultAgent ?? crypto.randomUUID();
  const routes = (options.routes ?? []).map((r) => ({ ...r }));
  const script = options.script ?? {};
  const cors = options.corsOrigins;
  const signature = options.webhookVerify
    ? runtimeProvider(options.webhookVerify.provider).verifier({
      secret: options.webhookVerify.secret,
    })
    : undefined;
  const jwt = options.jwtPublicKey === undefined ? undefined : new JwtVerifier({
    publicKey: options.jwtPublicKey,
    algorithms: ["EdDSA"],
    leeway: 5,
    requireExpiration: true,
    now,
  });

  const requests: HttpInputRequestRecord[] = [];
  const invocations: HttpInputInvocation[] = [];
  let inFlight = 0;
  const holds = new Set<Promise<void>>();
  const inFlightWaiters: { count: number; resolve: () => void }[] = [];

  function setInFlight(value: number): void {
    inFlight = value;
    for (const waiter of inFlightWaiters.slice()) {
      if (inFlight >= waiter.count) {
        inFlightWaiters.splice(inFlightWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  function served(pathname: string): boolean {
    if (pathname === path) return true;
    const base = path === "/" ? "/" : `${path}/`;
    return pathname.startsWith(base) && pathname.length > base.length;
  }

  async function authenticated(request: Request): Promise<boolean> {
    const header = request.headers.get("authorization");
    if (header === null) return false;
    if (options.authHeader !== undefined && timingSafeEqual(header, options.authHeader)) {
      return true;
    }
    if (jwt && header.startsWith("Bearer ")) {
      try {
        await jwt.verify({ authorization: header }, "");
        return true;
      } catch {
        return false;
      }
    }
    return false;
  }

  function route(pathname: string, headers: Headers, payload: unknown): string {
    const record = typeof payload === "object" && payload !== null && !Array.isArray(payload)
      ? payload as Record<string, unknown>
      : {};
    for (const rule of routes) {
      if ("pathPrefix" in rule && pathname.startsWith(rule.pathPrefix)) return rule.agent;
      if ("header" in rule && headers.get(rule.header) === rule.equals) return rule.agent;
      if ("jsonField" in rule && record[rule.jsonField] === rule.equals) return rule.agent;
    }
    return defaultAgent;
  }

  async function outcomeFor(invocation: HttpInputInvocation): Promise<HttpInputOutcome> {
    if (typeof script === "function") return await script(invocation);
    return Object.prototype.hasOwnProperty.call(script, invocation.agentId)
      ? script[invocation.agentId]
      : { status: "error" };
  }

  function answer(outcome: HttpInputOutcome, agentId: string, started: number): Response {
    const latency = Math.max(0, Math.round(now() - started));
    const timestamp = timestampOffset(now());
    if (outcome.status === "execution_started") {
      return json(200, {
        status: "execution_started",
        agent_id: agentId,
        message_id: outcome.messageId ?? crypto.randomUUID(),
        latency_ms: latency,
        timestamp,
      });
    }
    if (outcome.status === "completed") {
      const runs = outcome.toolRuns ?? [];
      return json(200, {
        status: "completed",
        agent_id: agentId,
        response: outcome.response,
        tool_runs: runs.map(toolRunItem),
        termination_reason: outcome.terminationReason ?? "Completed",
        iterations: outcome.iterations ?? 1 + runs.length,
        model: outcome.model ?? "scripted-model",
        provider: outcome.provider ?? "double",
        latency_ms: latency,
        timestamp,
      });
    }
    return json(outcome.httpStatus ?? 500, {
      error: outcome.error ?? "Configuration error",
      timestamp,
    });
  }

  async function pipeline(request: Request, url: URL): Promise<Response> {
    if (!served(url.pathname)) return empty(404);
    if (request.method !== "POST") return empty(405, { allow: "POST" });
    if (!await authenticated(request)) return empty(401);
    if (inFlight >= concurrency) return empty(429);
    setInFlight(inFlight + 1);
    try {
      const started = now();
      const bytes = await readLimited(request, maxBodyBytes);
      if (!bytes) return text(413, "Failed to buffer the request body: length limit exceeded");
      if (signature) {
        try {
          await signature.verify(request.headers, bytes);
        } catch {
          return empty(401);
        }
      }
      let body: string;
      let payload: unknown;
      try {
        body = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        payload = JSON.parse(body);
      } catch {
        return empty(400);
      }
      const record = typeof payload === "object" && payload !== null && !Array.isArray(payload)
        ? payload as Record<string, unknown>
        : {};
      const invocation: HttpInputInvocation = {
        agentId: route(url.pathname, request.headers, payload),
        path: url.pathname,
        headers: request.headers,
        body,
        payload,
        userMessage: userMessageOf(payload),
        systemPrompt: typeof record.system_prompt === "string"
          ? truncateUtf8(record.system_prompt, SYSTEM_PROMPT_BYTES)
          : undefined,
      };
      invocations.push(invocation);
      if (holds.size > 0) await Promise.all([...holds]);
      let outcome: HttpInputOutcome;
      try {
        outcome = await outcomeFor(invocation);
      } catch {
        outcome = { status: "error", error: "Internal server error" };
      }
      return answer(outcome, invocation.agentId, started);
    } finally {
      setInFlight(inFlight - 1);
    }
  }

  function withCors(request: Request, response: Response): Response {
    const origin = request.headers.get("origin");
    if (!cors || origin === null || !cors.includes(origin)) return response;
    const headers = new Headers(response.headers);
    headers.set("access-control-allow-origin", origin);
    headers.append("vary", "origin");
    return new Response(response.body, { status: response.status, headers });
  }

  async function fetchHandler(request: Request): Promise<Response> {
    const url = new URL(request.url);
    let response: Response;
    if (
      cors && request.method === "OPTIONS" &&
      request.headers.has("access-control-request-method")
    ) {
      response = empty(200, {
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "authorization,content-type",
        vary: "origin, access-control-request-method, access-control-request-headers",
      });
    } else {
      response = await pipeline(request, url);
    }
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      status: response.status,
    });
    return withCors(request, response);
  }

  return {
    fetch: fetchHandler,
    defaultAgent,
    get inFlight() {
      return inFlight;
    },
    requests: () => requests.slice(),
    invocations: () => invocations.slice(),
    hold(): () => void {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.add(held);
      return () => {
        holds.delete(held);
        release();
      };
    },
    whenInFlight(count: number): Promise<void> {
      if (inFlight >= count) return Promise.resolve();
      return new Promise((resolve) => inFlightWaiters.push({ count, resolve }));
    },
  };
}
