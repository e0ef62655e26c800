/**
 * The route table of the runtime double (port 8080, `runtime-api.md` section 2.2) and its handlers.
 * Each handler runs its extractors in the runtime's order (path id, then JSON body), then the scope
 * check, then the work, and answers with the runtime's status codes, error codes and field names.
 *
 * @module
 */
import { CronError, parseCron } from "../client/cron.ts";
import {
  anyValue,
  arrayOf,
  bool,
  DataError as DataError422,
  empty,
  errorBody,
  json,
  oneOf,
  optional,
  parseUuid,
  readJson,
  readOptionalJson,
  Reject,
  str,
  stringMap,
  struct,
  text,
  timestampOffset,
  timestampZ,
  uint,
  uuid,
  uuidValue,
  type Validator,
  withDefault,
} from "./_double_http.ts";
import {
  AGENT_STATES,
  type AgentRecord,
  type ChannelRecord,
  type CronJob,
  type DoubleState,
  type ExecutionModeLabel,
  SYSTEM_AGENT_ID,
} from "./_double_state.ts";

/** Who the request is authenticated as. */
export interface Caller {
  /** `legacy` for the env token; `key` for a key-store key. */
  kind: "legacy" | "key";
  /** The key id (`operator` for the legacy token). */
  keyId: string;
  /** The key's agent scope; `null` for admin. */
  scope: string[] | null;
}

/** Settings the handlers read. */
export interface RouteSettings {
  version: string;
  readyAfterMs: number;
  cron: boolean;
  channels: "oss" | "memory";
  agentsMd: string | null | undefined;
  docs: boolean;
  busMessageTtlSecs: number;
  approvalTimeoutMs: number;
  verifyAgentPin?: (jwt: string, agentId: string) => boolean | Promise<boolean>;
}

/** Everything a handler gets. */
export interface HandlerContext {
  request: Request;
  params: string[];
  caller: Caller | null;
  state: DoubleState;
  settings: RouteSettings;
}

type Handler = (ctx: HandlerContext) => Response | Promise<Response>;

/** One path of the route table with its methods. */
export interface Route {
  /** Segments; `:` marks a parameter. */
  segments: string[];
  /** Whether auth_middleware wraps the route. */
  auth: boolean;
  /** Handlers by method. */
  methods: Record<string, Handler>;
}

const MESSAGE_BODY_LIMIT = 256 * 1024;

// ---- scope rules (routes.rs) ----

function requireAdmin(caller: Caller | null): void {
  if (caller?.scope) {
    throw new Reject(
      errorBody(403, "ADMIN_REQUIRED", "Scoped API keys may not access this endpoint"),
    );
  }
}

function checkAgentAccess(caller: Caller | null, agentId: string): void {
  if (caller?.scope && !caller.scope.includes(agentId)) {
    throw new Reject(errorBody(403, "AGENT_SCOPE_DENIED", "API key is not scoped to this agent"));
  }
}

/** axum's `Path<AgentId>`: a non-UUID segment is a 400 text/plain before the handler runs. */
function agentIdParam(ctx: HandlerContext, index = 0): string {
  const raw = ctx.params[index];
  const id = parseUuid(raw);
  if (!id) {
    throw new Reject(
      text(400, `Invalid URL: UUID parsing failed: invalid UUID ${JSON.stringify(raw)}`),
    );
  }
  return id;
}

async function verifyAgentPin(
  ctx: HandlerContext,
  jwt: string | undefined,
  agentId: string,
): Promise<void> {
  const verify = ctx.settings.verifyAgentPin;
  if (!verify) return;
  let ok = false;
  let why = "AgentPin JWT required";
  if (jwt !== undefined) {
    try {
      ok = await verify(jwt, agentId);
      why = `AgentPin credential does not cover agent ${agentId}`;
    } catch (error) {
      why = error instanceof Error ? error.message : String(error);
    }
  }
  if (!ok) {
    throw new Reject(
      errorBody(401, "AGENTPIN_VERIFICATION_FAILED", `Authentication failed: ${why}`),
    );
  }
}

// ---- request types (types.rs) ----

const AGENT_STATE = oneOf(AGENT_STATES);

const EXECUTION_MODE: Validator<{ value: unknown; label: ExecutionModeLabel; hb?: number }> = (
  v,
  p,
) => {
  const units = ["Persistent", "Ephemeral", "EventDriven"] as const;
  const all = ["Persistent", "Ephemeral", "Scheduled", "CronScheduled", "EventDriven", "External"];
  if (typeof v === "string") {
    if ((units as readonly string[]).includes(v)) {
      return { value: v, label: v as ExecutionModeLabel };
    }
    if (all.includes(v)) {
      throw new DataError422(`${p}: invalid type: unit variant, expected struct variant`);
    }
    return { value: oneOf(all)(v, p), label: "Ephemeral" };
  }
  if (typeof v !== "object" || v === null || Array.isArray(v) || Object.keys(v).length !== 1) {
    throw new DataError422(`${p}: invalid type: expected enum ExecutionMode`);
  }
  const [variant, body] = Object.entries(v)[0];
  const at = `${p}.${variant}`;
  switch (variant) {
    case "Scheduled":
      struct({
        interval: struct({ secs: uint(), nanos: uint(0xffff_ffff, "u32") }, "Duration"),
      })(body, at);
      return { value: v, label: "Scheduled" };
    case "CronScheduled":
      struct({ cron_expression: str, timezone: str })(body, at);
      return { value: v, label: "CronScheduled" };
    case "External": {
      const ext = struct({
        endpoint: optional(str),
        agentpin_domain: optional(str),
        heartbeat_interval_secs: uint(),
      })(body, at);
      return { value: v, label: "External", hb: ext.heartbeat_interval_secs };
    }
    default:
      if ((units as readonly string[]).includes(variant)) {
        if (body !== null) throw new DataError422(`${at}: invalid type, expected unit`);
        return { value: variant, label: variant as ExecutionModeLabel };
      }
      return { value: oneOf(all)(variant, p), label: "Ephemeral" };
  }
};

const CREATE_AGENT = struct({
  name: str,
  dsl: optional(str),
  execution_mode: optional(EXECUTION_MODE),
  capabilities: optional(arrayOf(str)),
  metadata: optional(stringMap),
}, "CreateAgentRequest");

const UPDATE_AGENT = struct({ name: optional(str), dsl: optional(str) }, "UpdateAgentRequest");

const EXECUTE_AGENT = struct({}, "ExecuteAgentRequest");

const HEARTBEAT = struct({
  state: AGENT_STATE,
  metadata: optional(stringMap),
  last_result: optional(str),
  agentpin_jwt: optional(str),
}, "HeartbeatRequest");

const PUSH_EVENT = struct({
  event_type: oneOf(["RunStarted", "RunCompleted", "RunFailed"] as const),
  payload: anyValue,
  agentpin_jwt: optional(str),
}, "PushEventRequest");

const SEND_MESSAGE = struct({
  sender: uuidValue,
  payload: str,
  ttl_seconds: optional(uint()),
  topic: optional(str),
  agentpin_jwt: optional(str),
}, "SendMessageRequest");

const WORKFLOW = struct({
  workflow_id: str,
  parameters: anyValue,
  agent_id: optional(uuidValue),
}, "WorkflowExecutionRequest");

const CREATE_SCHEDULE = struct({
  name: str,
  cron_expression: str,
  timezone: withDefault(str, () => "UTC"),
  agent_name: str,
  policy_ids: withDefault(arrayOf(str), () => []),
  one_shot: withDefault(bool, () => false),
}, "CreateScheduleRequest");

const UPDATE_SCHEDULE = struct({
  cron_expression: optional(str),
  timezone: optional(str),
  policy_ids: optional(arrayOf(str)),
  one_shot: optional(bool),
}, "UpdateScheduleRequest");

const REGISTER_CHANNEL = struct({ name: str, platform: str, config: anyValue }, "RegisterChannel");
const UPDATE_CHANNEL = struct({ config: optional(anyValue) }, "UpdateChannelRequest");
const ADD_MAPPING = struct({
  platform_user_id: str,
  symbiont_user_id: str,
  email: optional(str),
  display_name: str,
  roles: arrayOf(str),
}, "AddIdentityMappingRequest");
const RESOLVE = struct({ reason: optional(str) }, "ResolveBody");

// ---- system ----

function health(ctx: HandlerContext): Response {
  const now = ctx.state.now();
  return json(200, {
    status: "healthy",
    uptime_seconds: Math.floor((now - ctx.state.startedAt) / 1000),
    timestamp: timestampZ(now),
    version: ctx.settings.version,
  });
}

function ready(ctx: HandlerContext): Response {
  return empty(ctx.state.now() - ctx.state.startedAt >= ctx.settings.readyAfterMs ? 200 : 503);
}

function schedulerHealth(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const jobs = [...ctx.state.jobs.values()];
  const runs = [...ctx.state.runs.values()].flat();
  const on = ctx.settings.cron;
  const times = runs.map((r) => r.execution_time_ms ?? 0);
  return json(200, {
    is_running: on,
    store_accessible: on,
    jobs_total: on ? jobs.length : 0,
    jobs_active: on ? jobs.filter((j) => j.status === "Active").length : 0,
    jobs_paused: on ? jobs.filter((j) => j.status === "Paused").length : 0,
    jobs_dead_letter: on ? jobs.filter((j) => j.status === "DeadLetter").length : 0,
    global_active_runs: 0,
    max_concurrent: on ? 100 : 0,
    runs_total: on ? runs.length : 0,
    runs_succeeded: on ? runs.filter((r) => r.status === "Succeeded").length : 0,
    runs_failed: on ? runs.filter((r) => r.status === "Failed").length : 0,
    average_execution_time_ms: on && times.length
      ? times.reduce((a, b) => a + b, 0) / times.length
      : 0,
    longest_run_ms: on && times.length ? Math.max(...times) : 0,
  });
}

function agentState(agent: AgentRecord): string {
  return agent.external ? agent.external.reportedState : agent.state;
}

function status(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  return json(200, {
    version: ctx.settings.version,
    healthy: true,
    agent_count: ctx.state.agents.size,
    schedule_count: ctx.settings.cron ? ctx.state.jobs.size : 0,
    channel_count: ctx.settings.channels === "memory" ? ctx.state.channels.size : 0,
  });
}

function metrics(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const agents = [...ctx.state.agents.values()];
  const running = agents.filter((a) => agentState(a) === "Running").length;
  const failed = agents.filter((a) => agentState(a) === "Failed").length;
  return json(200, {
    agents: {
      total: agents.length,
      running,
      idle: Math.max(0, agents.length - running - failed),
      error: failed,
    },
    system: {
      uptime_seconds: Math.floor((ctx.state.now() - ctx.state.startedAt) / 1000),
      memory_usage: 0,
      cpu_usage: 0,
    },
  });
}

function stripSensitive(content: string): string {
  const START = "<!-- agents-md:sensitive-start -->";
  const END = "<!-- agents-md:sensitive-end -->";
  let result = content;
  for (;;) {
    const start = result.indexOf(START);
    const end = result.indexOf(END);
    if (start < 0 || end < 0 || end <= start) break;
    let endPos = end + END.length;
    if (result[endPos] === "\n") endPos++;
    const startPos = start > 0 && result[start - 1] === "\n" ? start - 1 : start;
    result = result.slice(0, startPos) + result.slice(endPos);
  }
  return result;
}

function agentsMd(ctx: HandlerContext): Response {
  const content = ctx.settings.agentsMd;
  if (typeof content !== "string") return empty(404);
  return new Response(stripSensitive(content), {
    status: 200,
    headers: { "content-type": "text/markdown; charset=utf-8" },
  });
}

// ---- agents ----

function listAgents(ctx: HandlerContext): Response {
  const scope = ctx.caller?.scope;
  const list = [...ctx.state.agents.values()]
    .filter((a) => !scope || scope.includes(a.id))
    .map((a) => ({ id: a.id, name: a.name, state: agentState(a) }));
  return json(200, list);
}

async function createAgent(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, CREATE_AGENT);
  requireAdmin(ctx.caller);
  const fail = (why: string) => errorBody(500, "AGENT_CREATION_FAILED", `Internal error: ${why}`);
  if (body.name === "") return fail("Agent name cannot be empty");
  const mode = body.execution_mode ?? { value: "Ephemeral", label: "Ephemeral" as const };
  const dsl = body.dsl ?? "";
  if (mode.label !== "External" && dsl === "") {
    return fail("Agent DSL cannot be empty for non-external agents");
  }
  const id = uuid();
  const now = ctx.state.now();
  ctx.state.agents.set(id, {
    id,
    name: body.name,
    dsl,
    executionMode: mode.value,
    modeLabel: mode.label,
    capabilities: body.capabilities ?? [],
    metadata: body.metadata ?? {},
    state: mode.label === "External" ? "Created" : "Ready",
    lastActivity: now,
    external: mode.label === "External"
      ? { heartbeatIntervalSecs: mode.hb ?? 60, reportedState: "Created", metadata: {}, events: [] }
      : undefined,
  });
  ctx.state.registerOnBus(id);
  ctx.state.record(id, id, "created");
  return json(200, { id, status: "scheduled" });
}

function notFoundAgent(id: string): string {
  return `Internal error: Agent ${id} not found`;
}

function agentStatus(ctx: HandlerContext): Response {
  const id = agentIdParam(ctx);
  checkAgentAccess(ctx.caller, id);
  const agent = ctx.state.agents.get(id);
  if (!agent) return errorBody(404, "AGENT_NOT_FOUND", notFoundAgent(id));
  const ext = agent.external;
  const state = agentState(agent);
  const lastActivity = ext
    ? (ext.lastHeartbeat === undefined
      ? ctx.state.now()
      : Math.floor(ext.lastHeartbeat / 1000) * 1000)
    : agent.lastActivity;
  const body: Record<string, unknown> = {
    agent_id: id,
    state,
    last_activity: timestampZ(lastActivity),
    resource_usage: { memory_bytes: 0, cpu_percent: 0, active_tasks: state === "Running" ? 1 : 0 },
  };
  if (ext) {
    body.metadata = { ...ext.metadata };
    if (ext.lastResult !== undefined) body.last_result = ext.lastResult;
    body.recent_events = ext.events.map((e) => ({
      event_type: e.event_type,
      payload: e.payload,
      timestamp: timestampZ(e.timestamp),
    }));
  }
  body.execution_mode = agent.modeLabel;
  return json(200, body);
}

async function updateAgent(ctx: HandlerContext): Promise<Response> {
  const id = agentIdParam(ctx);
  const body = await readJson(ctx.request, UPDATE_AGENT);
  requireAdmin(ctx.caller);
  const fail = (why: string) => errorBody(500, "AGENT_UPDATE_FAILED", why);
  if (body.name === undefined && body.dsl === undefined) {
    return fail("Internal error: At least one field (name or dsl) must be provided for update");
  }
  if (body.name === "") return fail("Internal error: Agent name cannot be empty");
  if (body.dsl === "") return fail("Internal error: Agent DSL cannot be empty");
  const agent = ctx.state.agents.get(id);
  if (!agent) return fail(`Scheduler error: Agent not found: ${id}`);
  if (body.name !== undefined) agent.name = body.name;
  if (body.dsl !== undefined) agent.dsl = body.dsl;
  agent.lastActivity = ctx.state.now();
  return json(200, { id, status: "updated" });
}

function deleteAgent(ctx: HandlerContext): Response {
  const id = agentIdParam(ctx);
  requireAdmin(ctx.caller);
  if (!ctx.state.agents.delete(id)) {
    return errorBody(500, "AGENT_DELETION_FAILED", `Scheduler error: Agent not found: ${id}`);
  }
  ctx.state.unregisterFromBus(id);
  return json(200, { id, status: "deleted" });
}

async function executeAgent(ctx: HandlerContext): Promise<Response> {
  const id = agentIdParam(ctx);
  await readJson(ctx.request, EXECUTE_AGENT);
  checkAgentAccess(ctx.caller, id);
  const agent = ctx.state.agents.get(id);
  if (!agent) return errorBody(500, "AGENT_EXECUTION_FAILED", notFoundAgent(id));
  const now = ctx.state.now();
  if (!agent.external) agent.state = "Running";
  agent.lastActivity = now;
  // The runtime then sends the agent an empty message from its system agent.
  ctx.state.deliver({
    message_id: uuid(),
    sender: SYSTEM_AGENT_ID,
    recipient: id,
    topic: null,
    payload: "{}",
    message_type: "direct",
    sentAt: now,
    ttl_seconds: 300,
  });
  const executionId = uuid();
  ctx.state.record(id, executionId, "execution_started");
  return json(200, { execution_id: executionId, status: "execution_started" });
}

function agentHistory(ctx: HandlerContext): Response {
  const id = agentIdParam(ctx);
  checkAgentAccess(ctx.caller, id);
  const history = (ctx.state.history.get(id) ?? []).slice(-100).reverse().map((r) => ({
    execution_id: r.execution_id,
    status: r.status,
    timestamp: timestampOffset(r.timestamp),
  }));
  return json(200, { history });
}

async function heartbeat(ctx: HandlerContext): Promise<Response> {
  const id = agentIdParam(ctx);
  const body = await readJson(ctx.request, HEARTBEAT);
  checkAgentAccess(ctx.caller, id);
  await verifyAgentPin(ctx, body.agentpin_jwt, id);
  const ext = ctx.state.agents.get(id)?.external;
  if (!ext) {
    return errorBody(
      404,
      "HEARTBEAT_FAILED",
      `Internal error: Agent ${id} is not an external agent`,
    );
  }
  ext.lastHeartbeat = ctx.state.now();
  ext.reportedState = body.state;
  if (body.metadata) Object.assign(ext.metadata, body.metadata);
  if (body.last_result !== undefined) ext.lastResult = body.last_result;
  return empty(200);
}

async function pushEvent(ctx: HandlerContext): Promise<Response> {
  const id = agentIdParam(ctx);
  const body = await readJson(ctx.request, PUSH_EVENT);
  checkAgentAccess(ctx.caller, id);
  await verifyAgentPin(ctx, body.agentpin_jwt, id);
  const ext = ctx.state.agents.get(id)?.external;
  if (!ext) {
    return errorBody(
      404,
      "PUSH_EVENT_FAILED",
      `Internal error: Agent ${id} is not an external agent`,
    );
  }
  if (ext.events.length >= 100) ext.events.shift();
  ext.events.push({
    event_type: body.event_type,
    payload: body.payload,
    timestamp: ctx.state.now(),
  });
  return empty(200);
}

// ---- messages ----

async function sendMessage(ctx: HandlerContext): Promise<Response> {
  const recipient = agentIdParam(ctx);
  const body = await readJson(ctx.request, SEND_MESSAGE, MESSAGE_BODY_LIMIT);
  checkAgentAccess(ctx.caller, body.sender);
  await verifyAgentPin(ctx, body.agentpin_jwt, body.sender);
  const requested = body.ttl_seconds ?? 300;
  const ttl = Math.min(Math.max(Math.min(requested, ctx.settings.busMessageTtlSecs), 1), 86_400);
  const message = {
    message_id: uuid(),
    sender: body.sender,
    recipient,
    topic: body.topic ?? null,
    payload: body.payload,
    message_type: body.topic === undefined ? "direct" as const : "publish" as const,
    sentAt: ctx.state.now(),
    ttl_seconds: ttl,
  };
  if (body.topic === undefined) ctx.state.deliver(message);
  else ctx.state.publish(message);
  return json(200, { message_id: message.message_id, status: "pending" });
}

function receiveMessages(ctx: HandlerContext): Response {
  const id = agentIdParam(ctx);
  checkAgentAccess(ctx.caller, id);
  const inbox = ctx.state.inboxes.get(id);
  if (!inbox) {
    return errorBody(404, "AGENT_NOT_FOUND", `Communication error: Agent not registered: ${id}`);
  }
  const drained = inbox.splice(0, inbox.length);
  const messages = [];
  for (const m of drained) {
    if (ctx.state.isExpired(m)) {
      ctx.state.delivery.set(m.message_id, "expired");
      continue;
    }
    messages.push({
      message_id: m.message_id,
      sender: m.sender,
      recipient: m.recipient,
      topic: m.topic,
      payload: m.payload,
      message_type: m.message_type,
      timestamp_secs: Math.floor(m.sentAt / 1000),
      ttl_seconds: m.ttl_seconds,
    });
  }
  return json(200, { messages });
}

function messageStatus(ctx: HandlerContext): Response {
  if (ctx.caller?.scope) {
    return errorBody(403, "AGENT_SCOPE_DENIED", "Scoped API keys may not query message status");
  }
  const raw = ctx.params[0];
  const id = parseUuid(raw);
  if (!id) {
    return errorBody(
      400,
      "INVALID_MESSAGE_ID",
      `Communication error: Invalid message format: Invalid message ID: ${raw}`,
    );
  }
  for (const inbox of ctx.state.inboxes.values()) {
    for (const m of inbox) {
      if (m.message_id === id && ctx.state.isExpired(m)) ctx.state.delivery.set(id, "expired");
    }
  }
  const found = ctx.state.delivery.get(id);
  if (!found) {
    return errorBody(404, "MESSAGE_STATUS_FAILED", `Communication error: Message not found: ${id}`);
  }
  return json(200, { message_id: raw, status: found });
}

// ---- workflows ----

function parseDsl(source: string): { ok: boolean; metadata: Record<string, string> } {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ")": "(", "}": "{", "]": "[" };
  let quote = false;
  for (const ch of source) {
    if (ch === '"') quote = !quote;
    else if (quote) continue;
    else if ("({[".includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return { ok: false, metadata: {} };
  }
  const metadata: Record<string, string> = {};
  const agent = /\bagent\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(source);
  if (agent) metadata.name = agent[1];
  const block = /\bmetadata\s*\{([^}]*)\}/.exec(source);
  if (block) {
    for (const m of block[1].matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=|:)?\s*"([^"]*)"/g)) {
      metadata[m[1]] = m[2];
    }
  }
  return { ok: !quote && stack.length === 0 && source.trim() !== "", metadata };
}

async function executeWorkflow(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, WORKFLOW);
  if (body.agent_id !== undefined) checkAgentAccess(ctx.caller, body.agent_id);
  else requireAdmin(ctx.caller);
  const parsed = parseDsl(body.workflow_id);
  if (!parsed.ok) {
    return errorBody(
      500,
      "WORKFLOW_EXECUTION_FAILED",
      "Internal error: DSL contains syntax errors",
    );
  }
  const id = body.agent_id ?? uuid();
  const now = ctx.state.now();
  const existing = ctx.state.agents.get(id);
  ctx.state.agents.set(id, {
    id,
    name: parsed.metadata.name ?? "workflow_agent",
    dsl: body.workflow_id,
    executionMode: "Ephemeral",
    modeLabel: "Ephemeral",
    capabilities: ["Computation"],
    metadata: parsed.metadata,
    state: "Ready",
    lastActivity: now,
    external: existing?.external,
  });
  ctx.state.registerOnBus(id);
  ctx.state.record(id, id, "workflow_started");
  const agents = [...ctx.state.agents.values()];
  const result: Record<string, unknown> = {
    status: "success",
    workflow_id: body.workflow_id,
    agent_id: id,
    execution_started: true,
    metadata: parsed.metadata,
    system_status: {
      total_agents: agents.length,
      running_agents: agents.filter((a) => agentState(a) === "Running").length,
      resource_utilization: {
        memory_used: 0,
        cpu_utilization: 0,
        disk_io_rate: 0,
        network_io_rate: 0,
      },
    },
  };
  if (body.parameters !== null) result.parameters = body.parameters;
  return json(200, result);
}

// ---- schedules ----

const NO_CRON = "Internal error: Schedule API requires a running CronScheduler";

function jobParam(ctx: HandlerContext, status: number, code: string): CronJob {
  const raw = ctx.params[0];
  if (!ctx.settings.cron) throw new Reject(errorBody(status, code, NO_CRON));
  const id = parseUuid(raw);
  if (!id) throw new Reject(errorBody(status, code, `Internal error: Invalid job ID: ${raw}`));
  const job = ctx.state.jobs.get(id);
  if (!job) throw new Reject(errorBody(status, code, `Internal error: job not found: ${id}`));
  return job;
}

function validateCron(expression: string, timeZone: string): string | undefined {
  try {
    parseCron(expression);
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    return `Internal error: invalid cron expression (expected 6-field: sec min hour day month weekday): ${error.message}`;
  }
  try {
    parseCron("0 0 0 * * *").next(0, timeZone);
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    return `Internal error: invalid timezone: ${timeZone}`;
  }
  return undefined;
}

function listSchedules(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  if (!ctx.settings.cron) return json(200, []);
  return json(
    200,
    [...ctx.state.jobs.values()].map((j) => {
      const d = ctx.state.scheduleDetail(j);
      return {
        job_id: d.job_id,
        name: d.name,
        cron_expression: d.cron_expression,
        timezone: d.timezone,
        status: d.status,
        enabled: d.enabled,
        next_run: d.next_run,
        run_count: d.run_count,
      };
    }),
  );
}

async function createSchedule(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, CREATE_SCHEDULE);
  requireAdmin(ctx.caller);
  if (!ctx.settings.cron) return errorBody(500, "CREATE_SCHEDULE_FAILED", NO_CRON);
  const timezone = body.timezone === "" ? "UTC" : body.timezone;
  const problem = validateCron(body.cron_expression, timezone);
  if (problem) return errorBody(500, "CREATE_SCHEDULE_FAILED", problem);
  const now = ctx.state.now();
  const job: CronJob = {
    job_id: uuid(),
    name: body.name,
    cron_expression: body.cron_expression,
    timezone,
    agent_name: body.agent_name,
    agentId: uuid(),
    policy_ids: body.policy_ids,
    status: "Active",
    enabled: true,
    one_shot: body.one_shot,
    next_run: ctx.state.nextRun(body.cron_expression, timezone, now),
    last_run: null,
    run_count: 0,
    failure_count: 0,
    created_at: now,
    updated_at: now,
  };
  ctx.state.jobs.set(job.job_id, job);
  return json(201, {
    job_id: job.job_id,
    next_run: job.next_run === null ? null : timestampOffset(job.next_run),
    status: "created",
  });
}

function getSchedule(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  return json(200, ctx.state.scheduleDetail(jobParam(ctx, 404, "SCHEDULE_NOT_FOUND")));
}

async function updateSchedule(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, UPDATE_SCHEDULE);
  requireAdmin(ctx.caller);
  const job = jobParam(ctx, 500, "UPDATE_SCHEDULE_FAILED");
  const expression = body.cron_expression ?? job.cron_expression;
  const timezone = body.timezone ?? job.timezone;
  const problem = validateCron(expression, timezone);
  if (problem) return errorBody(500, "UPDATE_SCHEDULE_FAILED", problem);
  const now = ctx.state.now();
  job.cron_expression = expression;
  job.timezone = timezone;
  if (body.policy_ids) job.policy_ids = body.policy_ids;
  if (body.one_shot !== undefined) job.one_shot = body.one_shot;
  job.next_run = ctx.state.nextRun(expression, timezone, now);
  job.updated_at = now;
  return json(200, ctx.state.scheduleDetail(job));
}

function deleteSchedule(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const job = jobParam(ctx, 404, "SCHEDULE_NOT_FOUND");
  ctx.state.jobs.delete(job.job_id);
  return json(200, { job_id: ctx.params[0], deleted: true });
}

function scheduleAction(action: "pause" | "resume" | "trigger"): Handler {
  const code = {
    pause: "SCHEDULE_PAUSE_FAILED",
    resume: "SCHEDULE_RESUME_FAILED",
    trigger: "SCHEDULE_TRIGGER_FAILED",
  }[action];
  return (ctx) => {
    requireAdmin(ctx.caller);
    const job = jobParam(ctx, 404, code);
    const now = ctx.state.now();
    let status = "triggered";
    if (action === "pause") {
      job.status = "Paused";
      job.enabled = false;
      job.updated_at = now;
      status = "paused";
    } else if (action === "resume") {
      job.status = "Active";
      job.enabled = true;
      job.failure_count = 0;
      job.next_run = ctx.state.nextRun(job.cron_expression, job.timezone, now);
      job.updated_at = now;
      status = "active";
    } else {
      ctx.state.runJob(job, now);
    }
    return json(200, { job_id: ctx.params[0], action, status });
  };
}

function scheduleHistory(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const raw = ctx.params[0];
  if (!ctx.settings.cron) return errorBody(404, "SCHEDULE_HISTORY_FAILED", NO_CRON);
  const id = parseUuid(raw);
  if (!id) {
    return errorBody(404, "SCHEDULE_HISTORY_FAILED", `Internal error: Invalid job ID: ${raw}`);
  }
  // The run store is queried by id without checking the job exists: unknown ids list nothing.
  const history = (ctx.state.runs.get(id) ?? []).slice(-50).reverse().map((r) => ({
    run_id: r.run_id,
    started_at: timestampOffset(r.started_at),
    completed_at: r.completed_at === null ? null : timestampOffset(r.completed_at),
    status: r.status,
    error: r.error,
    execution_time_ms: r.execution_time_ms,
  }));
  return json(200, { job_id: raw, history });
}

function nextRuns(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const job = jobParam(ctx, 404, "SCHEDULE_NEXT_RUNS_FAILED");
  const runs = parseCron(job.cron_expression).upcoming(ctx.state.now(), 10, job.timezone);
  return json(200, {
    job_id: ctx.params[0],
    next_runs: runs.map((d) => timestampOffset(d.getTime())),
  });
}

// ---- channels ----

const NO_CHANNELS = "Internal error: Channel API requires a running ChannelAdapterManager";
const NO_MAPPINGS = "Internal error: Channel identity mappings require enterprise edition";
const NO_AUDIT = "Internal error: Channel audit log requires enterprise edition";
const PLATFORMS = ["slack", "teams", "mattermost"];

function channelParam(ctx: HandlerContext, status: number, code: string, oss: string) {
  if (ctx.settings.channels === "oss") throw new Reject(errorBody(status, code, oss));
  const channel = ctx.state.channels.get(ctx.params[0]);
  if (!channel) {
    throw new Reject(
      errorBody(status, code, `Internal error: Channel not found: ${ctx.params[0]}`),
    );
  }
  return channel;
}

function audit(ctx: HandlerContext, channel: ChannelRecord, event: string, details: unknown) {
  channel.audit.push({
    timestamp: ctx.state.now(),
    event_type: event,
    user_id: ctx.caller?.keyId ?? null,
    channel_id: channel.id,
    agent: null,
    details,
  });
}

function channelDetail(c: ChannelRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    platform: c.platform,
    status: c.status,
    config: c.config,
    created_at: timestampOffset(c.created_at),
    updated_at: timestampOffset(c.updated_at),
  };
}

function listChannels(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  if (ctx.settings.channels === "oss") return json(200, []);
  return json(
    200,
    [...ctx.state.channels.values()].map((c) => ({
      id: c.id,
      name: c.name,
      platform: c.platform,
      status: c.status,
    })),
  );
}

async function registerChannel(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, REGISTER_CHANNEL);
  requireAdmin(ctx.caller);
  const fail = (why: string) => errorBody(500, "REGISTER_CHANNEL_FAILED", why);
  if (ctx.settings.channels === "oss") return fail(NO_CHANNELS);
  if (!PLATFORMS.includes(body.platform)) {
    return fail(`Internal error: Unsupported platform: ${body.platform}`);
  }
  if (body.name === "") return fail("Internal error: Channel name cannot be empty");
  const now = ctx.state.now();
  const channel: ChannelRecord = {
    id: uuid(),
    name: body.name,
    platform: body.platform,
    status: "stopped",
    config: body.config,
    created_at: now,
    updated_at: now,
    started_at: null,
    mappings: [],
    audit: [],
  };
  ctx.state.channels.set(channel.id, channel);
  audit(ctx, channel, "registered", { name: channel.name });
  return json(201, {
    id: channel.id,
    name: channel.name,
    platform: channel.platform,
    status: channel.status,
  });
}

function getChannel(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  return json(200, channelDetail(channelParam(ctx, 404, "CHANNEL_NOT_FOUND", NO_CHANNELS)));
}

async function updateChannel(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, UPDATE_CHANNEL);
  requireAdmin(ctx.caller);
  const channel = channelParam(ctx, 500, "UPDATE_CHANNEL_FAILED", NO_CHANNELS);
  if (body.config !== undefined) channel.config = body.config;
  channel.updated_at = ctx.state.now();
  audit(ctx, channel, "updated", null);
  return json(200, channelDetail(channel));
}

function deleteChannel(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const channel = channelParam(ctx, 404, "CHANNEL_NOT_FOUND", NO_CHANNELS);
  ctx.state.channels.delete(channel.id);
  return json(200, { id: channel.id, deleted: true });
}

function channelAction(action: "start" | "stop"): Handler {
  const code = action === "start" ? "CHANNEL_START_FAILED" : "CHANNEL_STOP_FAILED";
  return (ctx) => {
    requireAdmin(ctx.caller);
    const channel = channelParam(ctx, 404, code, NO_CHANNELS);
    const now = ctx.state.now();
    channel.status = action === "start" ? "running" : "stopped";
    channel.started_at = action === "start" ? now : null;
    channel.updated_at = now;
    audit(ctx, channel, action === "start" ? "started" : "stopped", null);
    return json(200, { id: channel.id, action, status: channel.status });
  };
}

function channelHealth(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const c = channelParam(ctx, 404, "CHANNEL_HEALTH_FAILED", NO_CHANNELS);
  const running = c.status === "running";
  return json(200, {
    id: c.id,
    connected: running,
    platform: c.platform,
    workspace_name: null,
    channels_active: running ? 1 : 0,
    last_message_at: null,
    uptime_secs: running && c.started_at !== null
      ? Math.floor((ctx.state.now() - c.started_at) / 1000)
      : 0,
  });
}

function mappingWire(m: ChannelRecord["mappings"][number]): Record<string, unknown> {
  return {
    platform_user_id: m.platform_user_id,
    platform: m.platform,
    symbiont_user_id: m.symbiont_user_id,
    email: m.email,
    display_name: m.display_name,
    roles: m.roles,
    verified: m.verified,
    created_at: timestampOffset(m.created_at),
  };
}

function listMappings(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const c = channelParam(ctx, 404, "CHANNEL_MAPPINGS_FAILED", NO_MAPPINGS);
  return json(200, c.mappings.map(mappingWire));
}

async function addMapping(ctx: HandlerContext): Promise<Response> {
  const body = await readJson(ctx.request, ADD_MAPPING);
  requireAdmin(ctx.caller);
  const c = channelParam(ctx, 500, "ADD_CHANNEL_MAPPING_FAILED", NO_MAPPINGS);
  if (c.mappings.some((m) => m.platform_user_id === body.platform_user_id)) {
    return errorBody(
      500,
      "ADD_CHANNEL_MAPPING_FAILED",
      `Internal error: Mapping for ${body.platform_user_id} already exists`,
    );
  }
  const mapping = {
    platform_user_id: body.platform_user_id,
    platform: c.platform,
    symbiont_user_id: body.symbiont_user_id,
    display_name: body.display_name,
    email: body.email ?? null,
    roles: body.roles,
    verified: false,
    created_at: ctx.state.now(),
  };
  c.mappings.push(mapping);
  audit(ctx, c, "mapping_added", { platform_user_id: body.platform_user_id });
  return json(201, mappingWire(mapping));
}

function removeMapping(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const c = channelParam(ctx, 404, "REMOVE_CHANNEL_MAPPING_FAILED", NO_MAPPINGS);
  const userId = ctx.params[1];
  const index = c.mappings.findIndex((m) => m.platform_user_id === userId);
  if (index < 0) {
    return errorBody(
      404,
      "REMOVE_CHANNEL_MAPPING_FAILED",
      `Internal error: Mapping not found: ${userId}`,
    );
  }
  c.mappings.splice(index, 1);
  audit(ctx, c, "mapping_removed", { platform_user_id: userId });
  return empty(204);
}

function channelAudit(ctx: HandlerContext): Response {
  requireAdmin(ctx.caller);
  const c = channelParam(ctx, 404, "CHANNEL_AUDIT_FAILED", NO_AUDIT);
  return json(200, {
    channel_id: c.id,
    entries: c.audit.slice(-50).reverse().map((e) => ({
      timestamp: timestampOffset(e.timestamp),
      event_type: e.event_type,
      user_id: e.user_id,
      channel_id: e.channel_id,
      agent: e.agent,
      details: e.details,
    })),
  });
}

// ---- approvals ----

function listApprovals(ctx: HandlerContext): Response {
  return json(
    200,
    [...ctx.state.held.values()].map((h) => ({
      id: h.id,
      agent_id: h.agent_id,
      kind: h.kind,
      summary: h.summary,
      reason: h.reason,
      context_snapshot: h.context_snapshot ?? null,
      created_at: timestampZ(h.created_at),
      expires_at: timestampZ(h.expires_at),
      status: h.status,
    })),
  );
}

function resolveApproval(decision: "approve" | "deny"): Handler {
  return async (ctx) => {
    const body = await readOptionalJson(ctx.request, RESOLVE);
    requireAdmin(ctx.caller);
    const outcome = ctx.state.resolveHeld(
      ctx.params[0],
      decision,
      body?.reason ?? null,
      ctx.caller?.kind === "key" ? ctx.caller.keyId : "operator",
    );
    if (outcome === "not_found") return errorBody(404, "not_found", "Held action not found");
    if (outcome === "already_resolved") {
      return errorBody(409, "already_resolved", "Held action already resolved");
    }
    return empty(200);
  };
}

// ---- the table ----

function route(path: string, auth: boolean, methods: Record<string, Handler>): Route {
  return { segments: path.split("/").filter(Boolean), auth, methods };
}

/** Builds the route table for the given settings (agents.md routes only when configured). */
export function buildRoutes(settings: RouteSettings): Route[] {
  const routes = [
    route("/api/v1/health", false, { GET: health }),
    route("/api/v1/health/live", false, { GET: () => empty(200) }),
    route("/api/v1/health/ready", false, { GET: ready }),
    route("/api/v1/health/scheduler", true, { GET: schedulerHealth }),
    route("/api/v1/status", true, { GET: status }),
    route("/api/v1/metrics", true, { GET: metrics }),
    route("/api/v1/workflows/execute", true, { POST: executeWorkflow }),
    route("/api/v1/agents", true, { GET: listAgents, POST: createAgent }),
    route("/api/v1/agents/:id/status", true, { GET: agentStatus }),
    route("/api/v1/agents/:id", true, { PUT: updateAgent, DELETE: deleteAgent }),
    route("/api/v1/agents/:id/execute", true, { POST: executeAgent }),
    route("/api/v1/agents/:id/history", true, { GET: agentHistory }),
    route("/api/v1/agents/:id/heartbeat", true, { POST: heartbeat }),
    route("/api/v1/agents/:id/events", true, { POST: pushEvent }),
    route("/api/v1/agents/:id/messages", true, { GET: receiveMessages, POST: sendMessage }),
    route("/api/v1/messages/:id/status", true, { GET: messageStatus }),
    route("/api/v1/schedules", true, { GET: listSchedules, POST: createSchedule }),
    route("/api/v1/schedules/:id", true, {
      GET: getSchedule,
      PUT: updateSchedule,
      DELETE: deleteSchedule,
    }),
    route("/api/v1/schedules/:id/pause", true, { POST: scheduleAction("pause") }),
    route("/api/v1/schedules/:id/resume", true, { POST: scheduleAction("resume") }),
    route("/api/v1/schedules/:id/trigger", true, { POST: scheduleAction("trigger") }),
    route("/api/v1/schedules/:id/history", true, { GET: scheduleHistory }),
    route("/api/v1/schedules/:id/next-runs", true, { GET: nextRuns }),
    route("/api/v1/channels", true, { GET: listChannels, POST: registerChannel }),
    route("/api/v1/channels/:id", true, {
      GET: getChannel,
      PUT: updateChannel,
      DELETE: deleteChannel,
    }),
    route("/api/v1/channels/:id/start", true, { POST: channelAction("start") }),
    route("/api/v1/channels/:id/stop", true, { POST: channelAction("stop") }),
    route("/api/v1/channels/:id/health", true, { GET: channelHealth }),
    route("/api/v1/channels/:id/mappings", true, { GET: listMappings, POST: addMapping }),
    route("/api/v1/channels/:id/mappings/:user_id", true, { DELETE: removeMapping }),
    route("/api/v1/channels/:id/audit", true, { GET: channelAudit }),
    route("/api/v1/approvals", true, { GET: listApprovals }),
    route("/api/v1/approvals/:id/approve", true, { POST: resolveApproval("approve") }),
    route("/api/v1/approvals/:id/deny", true, { POST: resolveApproval("deny") }),
  ];
  if (settings.agentsMd !== undefined) {
    routes.push(route("/agents.md", true, { GET: agentsMd }));
    routes.push(route("/.well-known/agents.md", true, { GET: agentsMd }));
  }
  if (settings.docs) {
    // The spec utoipa generates covers every /api/v1 operation except the approvals routes.
    const documented = routes.filter((r) =>
      r.segments[0] === "api" && r.segments[2] !== "approvals"
    );
    const spec = openApiDocument(documented);
    routes.push(route("/api-docs/openapi.json", true, { GET: () => json(200, spec) }));
    routes.push(route("/swagger-ui", true, { GET: swaggerUi }));
  }
  return routes;
}

/** The OpenAPI document of the given routes, as the runtime's utoipa output is shaped. */
function openApiDocument(routes: Route[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = "/" + r.segments.map((s) => s.startsWith(":") ? `{${s.slice(1)}}` : s).join("/");
    const operations: Record<string, unknown> = {};
    for (const method of Object.keys(r.methods)) {
      operations[method.toLowerCase()] = {
        operationId: `${method.toLowerCase()}_${r.segments.slice(2).join("_").replace(/:/g, "")}`,
        ...(r.auth ? { security: [{ bearer_auth: [] }] } : {}),
        responses: { "200": { description: "Success" } },
      };
    }
    paths[path] = operations;
  }
  return {
    openapi: "3.0.3",
    info: { title: "Symbiont Runtime API", version: "1.0.0" },
    paths,
    components: {
      securitySchemes: { bearer_auth: { type: "http", scheme: "bearer" } },
    },
  };
}

function swaggerUi(): Response {
  return new Response(
    '<!doctype html><html><head><title>Swagger UI</title></head><body><div id="swagger-ui" ' +
      'data-url="/api-docs/openapi.json"></div></body></html>',
    { status: 200, headers: { "content-type": "text/html; charset=utf-8" } },
  );
}

/** Finds the route for a path; `undefined` means axum's 404 with an empty body. */
export function matchRoute(
  routes: Route[],
  pathname: string,
): { route: Route; params: string[] } | undefined {
  const parts = pathname.split("/");
  if (parts[0] !== "") return undefined;
  const segments = parts.slice(1);
  for (const r of routes) {
    if (r.segments.length !== segments.length) continue;
    const params: string[] = [];
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const want = r.segments[i];
      const got = segments[i];
      if (want.startsWith(":")) {
        if (got === "") ok = false;
        else {
          try {
            params.push(decodeURIComponent(got));
          } catch {
            ok = false;
          }
        }
      } else ok = want === got;
    }
    if (ok) return { route: r, params };
  }
  return undefined;
}
