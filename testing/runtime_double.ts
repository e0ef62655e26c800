/**
 * A local double of the Symbiont runtime's management API (port 8080, v1.19.0): an in-memory fetch
 * handler that answers every route of `runtime-api.md` section 2 with the runtime's status codes,
 * error bodies, field names and casing, and the cross-cutting behaviour of section 4 (security
 * headers, empty-body 401/429, axum's text/plain 400/413/415/422, 405 after auth, empty 404 for any
 * other path, including the routes other SDKs invent). Serve it with {@link serve} or call
 * `double.fetch(request)` directly (it runs inside Cloudflare Workers too).
 *
 * Choices where the runtime leaves room (all documented on {@link RuntimeDoubleOptions}):
 * - Every agent created over HTTP, seeded, or started by a workflow is registered on the message bus,
 *   so its inbox exists; `unregisterFromBus` makes receive answer 404 `AGENT_NOT_FOUND`.
 * - Delivery status follows the runtime's bus: `delivered` as soon as a direct message lands in a
 *   registered inbox, `failed` when the recipient is not on the bus, `expired` when its TTL ran out
 *   before it was received (expired messages are never delivered). Topic messages fan out to
 *   subscribers under fresh ids; the id returned by send is not tracked (status 404), as in the
 *   runtime.
 * - Time comes from the `now` option, so readiness, uptime, TTLs, approval timeouts, cron firing and
 *   the External-agent unreachable sweep can be driven without sleeping.
 * - With the `chat` option, Coordinator Chat (`GET /ws/chat`, section 7) answers over a real
 *   WebSocket when served with `serve(double)` (the double's `webSocket` member does the upgrade).
 *
 * @example Serving a double and calling it
 * ```ts ignore
 * import { createRuntimeDouble, serve } from "@symbiont/sdk/testing";
 * const double = createRuntimeDouble({ apiToken: "dev-token", readyAfterMs: 0 });
 * const server = await serve(double.fetch);
 * const res = await fetch(`${server.url}/api/v1/agents`, {
 *   headers: { authorization: "Bearer dev-token" },
 * });
 * console.log(res.status, await res.json()); // 200 []
 * await server.close();
 * ```
 *
 * @module
 */
import { empty, Reject, SECURITY_HEADERS, text, timingSafeEqual, uuid } from "./_double_http.ts";
import { type ChatConnection, type ChatScript, createChatSession } from "./_chat_double.ts";
import type { WebSocketUpgrade } from "./serve.ts";
import { buildRoutes, type Caller, matchRoute, type RouteSettings } from "./_double_routes.ts";
import {
  AGENT_STATES,
  type AgentState,
  DoubleState,
  type ExecutionModeLabel,
  type HeldActionKind,
  type HeldDecision,
  type RateLimitConfig,
} from "./_double_state.ts";

export type { AgentState, HeldActionKind, HeldDecision, RateLimitConfig };

/** One record of the runtime's API key store (`keyid.secret` keys). */
export interface DoubleApiKey {
  /** The key id, the part before the first `.` of the bearer token. */
  keyId: string;
  /** The secret, the part after the first `.` (compared in plain; the runtime stores Argon2). */
  secret: string;
  /** Agent ids the key may act for; `null`/absent for an admin key. */
  agentScope?: string[] | null;
  /** A revoked key gets 401. */
  revoked?: boolean;
}

/** Options of {@link createRuntimeDouble}. */
export interface RuntimeDoubleOptions {
  /**
   * The `SYMBIONT_API_TOKEN` equivalent: the legacy bearer token, treated as admin. Ignored when
   * `apiKeys` has at least one record. With neither, every protected route answers 401.
   */
  apiToken?: string;
  /** The API key store. When it has records it is the only authority (the token is ignored). */
  apiKeys?: DoubleApiKey[];
  /** `SYMBIONT_REFUSE_LEGACY_API_TOKEN=1`: refuse the token fallback. Default false. */
  refuseLegacyToken?: boolean;
  /**
   * `SYMBI_REJECT_LEGACY_API_KEYS=1`: refuse key-store tokens without a `keyid.` prefix. Default
   * false: such a token is accepted when it equals a record's whole `secret`.
   */
  rejectLegacyApiKeys?: boolean;
  /**
   * Per-client rate limiting as `symbi up` runs it (burst 100, one request per 600 ms after that), or
   * `false`. Default `false` so test suites are not throttled; one bucket serves every client (a
   * fetch handler does not see the peer address). 429 has an empty body and no rate headers.
   */
  rateLimit?: RateLimitConfig | false;
  /** Version reported by `/health` and `/status`. Default `"1.19.0"`. */
  version?: string;
  /**
   * `--serve-agents-md`: the AGENTS.md text served at `/agents.md` and `/.well-known/agents.md` (with
   * sensitive sections removed); `null` serves the routes but answers 404 (file missing); absent
   * leaves the routes out (404 for everyone, like any unknown path).
   */
  serveAgentsMd?: string | null;
  /**
   * `SYMBIONT_ENABLE_DOCS=1` outside production: serve `/api-docs/openapi.json` (generated from the
   * double's own route table; every `/api/v1` operation except approvals, `info.version` "1.0.0")
   * and `/swagger-ui`, both behind auth. Default false (both 404).
   */
  docs?: boolean;
  /**
   * Whether a CronScheduler is attached. Default true. Without it, list schedules is `[]`, create and
   * update answer 500 and the other schedule routes 404 ("Schedule API requires a running
   * CronScheduler"); `/health/scheduler` reports zeros and `is_running: false`.
   */
  cron?: boolean;
  /**
   * `"oss"` (default): the channel routes answer as the OSS runtime's stubs. `"memory"`: a working
   * in-memory provider (register, get, update, delete, start, stop, health, mappings, audit).
   */
  channels?: "oss" | "memory";
  /** The clock, in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Readiness answers 503 until this long after creation. Default 5000 ms. */
  readyAfterMs?: number;
  /** How long a held action waits before it is denied with reason `"timeout"`. Default 120 000 ms. */
  approvalTimeoutMs?: number;
  /**
   * Keep approved or denied actions in the queue (status `approved`/`denied`) so that resolving them
   * again answers 409 `already_resolved`. Default true. The runtime removes them as soon as the
   * waiting caller wakes, so there the second resolve usually answers 404 `not_found`.
   */
  keepResolvedApprovals?: boolean;
  /** The bus `message_ttl` in seconds that caps message TTLs. Default 3600. */
  busMessageTtlSecs?: number;
  /**
   * An AgentPin verifier. When set, heartbeat, events and send require `agentpin_jwt`, and it must
   * verify for the agent (the sender for messages, the path id otherwise), else 401
   * `AGENTPIN_VERIFICATION_FAILED`. Absent: `agentpin_jwt` is ignored, as in the runtime.
   */
  verifyAgentPin?: (jwt: string, agentId: string) => boolean | Promise<boolean>;
  /**
   * Attach a coordinator: `GET /ws/chat?token=` then upgrades to Coordinator Chat, answering each
   * `ChatSend` from this script (see {@link ChatScript}). `false` (the default): no coordinator, the
   * path answers 404 like any unknown one. The token is checked as the runtime's WebSocket handler
   * does: the key store when it has records (any valid, unrevoked key; scope is not enforced), else
   * the legacy token, even with `refuseLegacyToken` (the handler ignores that switch).
   */
  chat?: ChatScript | false;
  /**
   * Interval of the unsolicited `Pong` heartbeats on chat connections, in milliseconds; the first
   * one is sent right after connect whatever the interval. Default 30 000; 0 sends only that first.
   */
  chatHeartbeatMs?: number;
}

/** An agent to put into the double without going through HTTP. */
export interface SeedAgentInput {
  /** The agent id (any UUID form). Default: a fresh one. */
  id?: string;
  /** The name. */
  name: string;
  /** DSL source. Default `""`. */
  dsl?: string;
  /**
   * The execution mode in its wire form (`"Ephemeral"`, `{External: {heartbeat_interval_secs: 60}}`,
   * ...). Default `"Ephemeral"`.
   */
  executionMode?: unknown;
  /** The state. Default `Ready` (`Created` for External agents). */
  state?: AgentState;
  /** Custom capabilities. */
  capabilities?: string[];
  /** Metadata. */
  metadata?: Record<string, string>;
  /** Register the agent on the message bus. Default true. */
  registerOnBus?: boolean;
}

/** A held action to enqueue, as a policy gate would. */
export interface HoldActionInput {
  /** The agent whose action is held. */
  agentId: string;
  /** Default `tool_call`. */
  kind?: HeldActionKind;
  /** Default `"tool_call <tool name>"` or `"other"`. */
  summary?: string;
  /** Default `"policy requires human approval"`. */
  reason?: string;
  /** The serialized proposed action, e.g. `{ToolCall: {call_id, name, arguments}}`. Default null. */
  contextSnapshot?: unknown;
  /** Overrides the double's `approvalTimeoutMs` for this action. */
  timeoutMs?: number;
}

/** A held action in the queue and the decision its caller is waiting for. */
export interface HeldActionHandle {
  /** The 16-hex-character id used by the approvals routes. */
  readonly id: string;
  /** Resolves on approve or deny over HTTP, or on timeout (deny, reason `"timeout"`). */
  readonly decision: Promise<HeldDecision>;
}

/** A message still waiting in an inbox, as {@link RuntimeDouble.peekInbox} shows it. */
export interface InboxMessage {
  /** The message id. */
  messageId: string;
  /** The sender's agent id. */
  sender: string;
  /** The topic, for published messages. */
  topic: string | null;
  /** The payload text. */
  payload: string;
  /** The effective TTL in seconds. */
  ttlSeconds: number;
}

/** The runtime double: a fetch handler plus controls for tests. */
export interface RuntimeDouble {
  /** The fetch handler (bound; pass it to `serve` as is). */
  readonly fetch: (request: Request) => Promise<Response>;
  /**
   * The WebSocket upgrade decision for `/ws/chat` (bound). `serve(double)` uses it; it refuses with
   * 429, 400 or 401 as the runtime does, and leaves other paths to `fetch`.
   */
  readonly webSocket: WebSocketUpgrade;
  /** The chat connections accepted so far, open or closed, oldest first. */
  chatConnections(): ChatConnection[];
  /** Adds an agent; returns its id. */
  seedAgent(input: SeedAgentInput): string;
  /** Sets an agent's state (for External agents, its reported state). */
  setAgentState(agentId: string, state: AgentState): void;
  /** Registers an agent on the message bus (creates its inbox). */
  registerOnBus(agentId: string): void;
  /** Removes an agent from the bus: receive then answers 404 `AGENT_NOT_FOUND`. */
  unregisterFromBus(agentId: string): void;
  /** Subscribes an agent to a topic, so messages sent with that `topic` reach its inbox. */
  subscribe(agentId: string, topic: string): void;
  /** The messages waiting for an agent, without draining them. */
  peekInbox(agentId: string): InboxMessage[];
  /** Enqueues a held action in the approvals queue. */
  holdAction(input: HoldActionInput): HeldActionHandle;
  /** Turns rate limiting on (with a full bucket) or off. */
  setRateLimit(config: RateLimitConfig | false): void;
  /** Applies whatever the clock has made due (also done before every request). */
  tick(): void;
}

const STATES: readonly string[] = AGENT_STATES;

function canonicalId(id: string): string {
  const c = id.trim().toLowerCase();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(c)) {
    throw new TypeError(`runtime double: "${id}" is not a hyphenated UUID`);
  }
  return c;
}

function modeLabel(mode: unknown): ExecutionModeLabel {
  const name = typeof mode === "string"
    ? mode
    : typeof mode === "object" && mode !== null
    ? Object.keys(mode)[0]
    : "Ephemeral";
  const labels = [
    "Persistent",
    "Ephemeral",
    "EventDriven",
    "Scheduled",
    "CronScheduled",
    "External",
  ];
  if (!labels.includes(name)) throw new TypeError(`runtime double: unknown execution mode ${name}`);
  return name as ExecutionModeLabel;
}

/**
 * Creates a runtime double.
 *
 * @param options Auth, feature switches, the clock and timeouts.
 * @returns The fetch handler and its test controls.
 *
 * @example Scoped keys, a seeded agent and a held action
 * ```ts ignore
 * import { createRuntimeDouble, serve } from "@symbiont/sdk/testing";
 * const double = createRuntimeDouble({
 *   apiKeys: [
 *     { keyId: "admin", secret: "s3cret" },
 *     { keyId: "bot", secret: "b0t", agentScope: ["5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40"] },
 *   ],
 * });
 * double.seedAgent({ id: "5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40", name: "bot" });
 * const held = double.holdAction({ agentId: "5f0c6a8e-4d7b-4c3e-9a51-2f8d3b1e7c40" });
 * const server = await serve(double.fetch);
 * await fetch(`${server.url}/api/v1/approvals/${held.id}/approve`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer admin.s3cret" },
 * });
 * console.log(await held.decision); // { decision: "approve", ... }
 * await server.close();
 * ```
 */
export function createRuntimeDouble(options: RuntimeDoubleOptions = {}): RuntimeDouble {
  const now = options.now ?? (() => Date.now());
  const settings: RouteSettings = {
    version: options.version ?? "1.19.0",
    readyAfterMs: options.readyAfterMs ?? 5000,
    cron: options.cron ?? true,
    channels: options.channels ?? "oss",
    agentsMd: options.serveAgentsMd,
    docs: options.docs ?? false,
    busMessageTtlSecs: options.busMessageTtlSecs ?? 3600,
    approvalTimeoutMs: options.approvalTimeoutMs ?? 120_000,
    verifyAgentPin: options.verifyAgentPin,
  };
  const state = new DoubleState({
    now,
    busMessageTtlSecs: settings.busMessageTtlSecs,
    approvalTimeoutMs: settings.approvalTimeoutMs,
    keepResolvedApprovals: options.keepResolvedApprovals ?? true,
    cron: settings.cron,
  });
  state.setRateLimit(options.rateLimit);
  const routes = buildRoutes(settings);
  const keys = (options.apiKeys ?? []).map((k) => ({ ...k }));

  function authenticate(request: Request): Caller | null | undefined {
    const header = request.headers.get("authorization");
    if (header === null || !header.startsWith("Bearer ")) return undefined;
    return authenticateToken(header.slice(7), false);
  }

  // The key store when it has records, else the legacy token. The WebSocket handler's check ignores
  // SYMBIONT_REFUSE_LEGACY_API_TOKEN (runtime-api.md section 7).
  function authenticateToken(token: string, webSocket: boolean): Caller | undefined {
    if (keys.length > 0) {
      const dot = token.indexOf(".");
      let record: DoubleApiKey | undefined;
      if (dot >= 0) {
        const keyId = token.slice(0, dot);
        const secret = token.slice(dot + 1);
        record = keys.find((k) => k.keyId === keyId);
        if (record && !timingSafeEqual(record.secret, secret)) record = undefined;
      } else if (!options.rejectLegacyApiKeys) {
        record = keys.find((k) => !k.revoked && timingSafeEqual(k.secret, token));
      }
      if (!record || record.revoked) return undefined;
      return { kind: "key", keyId: record.keyId, scope: record.agentScope ?? null };
    }
    const refused = options.refuseLegacyToken && !webSocket;
    if (refused || options.apiToken === undefined || options.apiToken === "") {
      return undefined;
    }
    if (!timingSafeEqual(token, options.apiToken)) return undefined;
    return { kind: "legacy", keyId: "operator", scope: null };
  }

  const chatScript = options.chat ?? false;
  const chatHeartbeatMs = options.chatHeartbeatMs ?? 30_000;
  const chats: ChatConnection[] = [];

  // axum's WebSocketUpgrade extractor, which runs before the handler checks the token.
  function chatUpgradeRejection(request: Request): Response | undefined {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return empty(405, { allow: "GET,HEAD" });
    }
    const tokens = (name: string) =>
      (request.headers.get(name) ?? "").toLowerCase().split(",").map((t) => t.trim());
    if (!tokens("connection").includes("upgrade")) {
      return text(400, "Connection header did not include 'upgrade'");
    }
    if (!tokens("upgrade").includes("websocket")) {
      return text(400, "`Upgrade` header did not include 'websocket'");
    }
    if (request.headers.get("sec-websocket-version") !== "13") {
      return text(400, "`Sec-WebSocket-Version` header did not include '13'");
    }
    if (!request.headers.has("sec-websocket-key")) {
      return text(400, "`Sec-WebSocket-Key` header missing");
    }
    return undefined;
  }

  function chatToken(request: Request): string | undefined {
    const token = new URL(request.url).searchParams.get("token");
    if (token === null || authenticateToken(token, true) === undefined) return undefined;
    return token;
  }

  async function handle(request: Request): Promise<Response> {
    state.sweep();
    if (!state.takeToken()) return empty(429);
    const url = new URL(request.url);
    if (chatScript !== false && url.pathname === "/ws/chat") {
      // Reached without a WebSocket upgrade (plain fetch, or a server that cannot upgrade).
      const rejection = chatUpgradeRejection(request);
      if (rejection) return rejection;
      if (chatToken(request) === undefined) return empty(401);
      return text(426, "WebSocket request couldn't be upgraded since no upgrade state was present");
    }
    const match = matchRoute(routes, url.pathname);
    if (!match) return empty(404);
    let caller: Caller | null = null;
    if (match.route.auth) {
      const found = authenticate(request);
      if (!found) return empty(401);
      caller = found;
    }
    const method = request.method === "HEAD" ? "GET" : request.method;
    const handler = match.route.methods[method];
    if (!handler) {
      const allow = Object.keys(match.route.methods).flatMap((m) =>
        m === "GET" ? ["GET", "HEAD"] : [m]
      );
      return empty(405, { allow: allow.join(",") });
    }
    try {
      return await handler({ request, params: match.params, caller, state, settings });
    } catch (error) {
      if (error instanceof Reject) return error.response;
      throw error;
    }
  }

  function secured(request: Request, response: Response): Response {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    const body = request.method === "HEAD" ? null : response.body;
    return new Response(body, { status: response.status, headers });
  }

  async function fetchHandler(request: Request): Promise<Response> {
    return secured(request, await handle(request));
  }

  function webSocket(request: Request): ReturnType<WebSocketUpgrade> {
    if (chatScript === false || new URL(request.url).pathname !== "/ws/chat") return undefined;
    state.sweep();
    if (!state.takeToken()) return secured(request, empty(429));
    const rejection = chatUpgradeRejection(request);
    if (rejection) return secured(request, rejection);
    const token = chatToken(request);
    if (token === undefined) return secured(request, empty(401));
    const session = createChatSession({
      script: chatScript,
      heartbeatMs: chatHeartbeatMs,
      id: chats.length + 1,
      token,
    });
    chats.push(session.connection);
    return session.handler;
  }

  return {
    fetch: fetchHandler,
    webSocket,
    chatConnections(): ChatConnection[] {
      return chats.slice();
    },
    seedAgent(input: SeedAgentInput): string {
      const id = input.id === undefined ? uuid() : canonicalId(input.id);
      const mode = input.executionMode ?? "Ephemeral";
      const label = modeLabel(mode);
      const external = label === "External";
      const hb = external
        ? Number(
          (mode as { External?: { heartbeat_interval_secs?: number } }).External
            ?.heartbeat_interval_secs ?? 60,
        )
        : 60;
      const initial = input.state ?? (external ? "Created" : "Ready");
      if (!STATES.includes(initial)) {
        throw new TypeError(`runtime double: unknown state ${initial}`);
      }
      state.agents.set(id, {
        id,
        name: input.name,
        dsl: input.dsl ?? "",
        executionMode: mode,
        modeLabel: label,
        capabilities: input.capabilities ?? [],
        metadata: { ...input.metadata },
        state: initial,
        lastActivity: now(),
        external: external
          ? { heartbeatIntervalSecs: hb, reportedState: initial, metadata: {}, events: [] }
          : undefined,
      });
      if (input.registerOnBus ?? true) state.registerOnBus(id);
      state.record(id, id, "created");
      return id;
    },
    setAgentState(agentId: string, next: AgentState): void {
      const agent = state.agents.get(canonicalId(agentId));
      if (!agent) throw new TypeError(`runtime double: no agent ${agentId}`);
      if (!STATES.includes(next)) throw new TypeError(`runtime double: unknown state ${next}`);
      if (agent.external) agent.external.reportedState = next;
      else agent.state = next;
    },
    registerOnBus(agentId: string): void {
      state.registerOnBus(canonicalId(agentId));
    },
    unregisterFromBus(agentId: string): void {
      state.unregisterFromBus(canonicalId(agentId));
    },
    subscribe(agentId: string, topic: string): void {
      const id = canonicalId(agentId);
      const list = state.subscriptions.get(topic) ?? [];
      if (!list.includes(id)) list.push(id);
      state.subscriptions.set(topic, list);
    },
    peekInbox(agentId: string): InboxMessage[] {
      return (state.inboxes.get(canonicalId(agentId)) ?? []).map((m) => ({
        messageId: m.message_id,
        sender: m.sender,
        topic: m.topic,
        payload: m.payload,
        ttlSeconds: m.ttl_seconds,
      }));
    },
    holdAction(input: HoldActionInput): HeldActionHandle {
      const id = state.newHeldId();
      const created = now();
      const kind = input.kind ?? "tool_call";
      const snapshot = input.contextSnapshot ?? null;
      const toolName = (snapshot as { ToolCall?: { name?: string } } | null)?.ToolCall?.name;
      let settle: (d: HeldDecision) => void = () => {};
      const decision = new Promise<HeldDecision>((resolve) => {
        settle = resolve;
      });
      state.held.set(id, {
        id,
        agent_id: input.agentId,
        kind,
        summary: input.summary ?? (toolName ? `tool_call ${toolName}` : kind),
        reason: input.reason ?? "policy requires human approval",
        context_snapshot: snapshot,
        created_at: created,
        expires_at: created + (input.timeoutMs ?? settings.approvalTimeoutMs),
        status: "pending",
        settle,
      });
      return { id, decision };
    },
    setRateLimit(config: RateLimitConfig | false): void {
      state.setRateLimit(config);
    },
    tick(): void {
      state.sweep();
    },
  };
}
