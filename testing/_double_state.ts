/**
 * The in-memory state of the runtime double and the behaviour that does not depend on HTTP: agents and
 * their execution log, the message bus, cron jobs, channels, the approvals queue, the rate limiter and
 * the clock-driven sweeps (approval timeouts, due cron jobs, unreachable external agents).
 *
 * @module
 */
import { parseCron } from "../client/cron.ts";
import { timestampOffset, uuid } from "./_double_http.ts";

/** One of the runtime's `AgentState` wire strings (PascalCase variant names). */
export type AgentState =
  | "Created"
  | "Initializing"
  | "Ready"
  | "Running"
  | "Suspended"
  | "Waiting"
  | "Completed"
  | "Failed"
  | "Terminating"
  | "Terminated"
  | "Unreachable";

/** The runtime's `AgentState` wire strings. */
export const AGENT_STATES: readonly AgentState[] = [
  "Created",
  "Initializing",
  "Ready",
  "Running",
  "Suspended",
  "Waiting",
  "Completed",
  "Failed",
  "Terminating",
  "Terminated",
  "Unreachable",
];

/** The execution mode labels the status route reports. */
export type ExecutionModeLabel =
  | "Persistent"
  | "Ephemeral"
  | "EventDriven"
  | "Scheduled"
  | "CronScheduled"
  | "External";

/** An event pushed by an External agent. */
export interface AgentEventRecord {
  event_type: "RunStarted" | "RunCompleted" | "RunFailed";
  payload: unknown;
  timestamp: number;
}

/** What the runtime keeps for an External agent. */
export interface ExternalState {
  heartbeatIntervalSecs: number;
  lastHeartbeat?: number;
  reportedState: AgentState;
  metadata: Record<string, string>;
  lastResult?: string;
  events: AgentEventRecord[];
}

/** One agent. */
export interface AgentRecord {
  id: string;
  name: string;
  dsl: string;
  executionMode: unknown;
  modeLabel: ExecutionModeLabel;
  capabilities: string[];
  metadata: Record<string, string>;
  state: AgentState;
  lastActivity: number;
  external?: ExternalState;
}

/** One execution-log entry. */
export interface HistoryRecord {
  execution_id: string;
  status: "created" | "workflow_started" | "execution_started";
  timestamp: number;
}

/** One message on the bus. */
export interface BusMessage {
  message_id: string;
  sender: string;
  recipient: string | null;
  topic: string | null;
  payload: string;
  message_type: "direct" | "publish";
  sentAt: number;
  ttl_seconds: number;
}

/** The runtime's delivery states. */
export type DeliveryStatus = "pending" | "delivered" | "failed" | "expired";

/** One cron job. */
export interface CronJob {
  job_id: string;
  name: string;
  cron_expression: string;
  timezone: string;
  agent_name: string;
  agentId: string;
  policy_ids: string[];
  status: "Active" | "Paused" | "Completed" | "Failed" | "DeadLetter";
  enabled: boolean;
  one_shot: boolean;
  next_run: number | null;
  last_run: number | null;
  run_count: number;
  failure_count: number;
  created_at: number;
  updated_at: number;
}

/** One run of a cron job. */
export interface CronRun {
  run_id: string;
  started_at: number;
  completed_at: number | null;
  status: "Running" | "Succeeded" | "Failed" | "TimedOut" | "Skipped";
  error: string | null;
  execution_time_ms: number | null;
}

/** One channel of the in-memory channel provider. */
export interface ChannelRecord {
  id: string;
  name: string;
  platform: string;
  status: "running" | "stopped" | "error";
  config: unknown;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  mappings: MappingRecord[];
  audit: AuditRecord[];
}

/** One identity mapping. */
export interface MappingRecord {
  platform_user_id: string;
  platform: string;
  symbiont_user_id: string;
  display_name: string;
  email: string | null;
  roles: string[];
  verified: boolean;
  created_at: number;
}

/** One channel audit entry. */
export interface AuditRecord {
  timestamp: number;
  event_type: string;
  user_id: string | null;
  channel_id: string | null;
  agent: string | null;
  details: unknown;
}

/** The kinds of held action. */
export type HeldActionKind = "tool_call" | "delegate" | "schedule" | "other";

/** The decision on a held action, as the runtime's escalation queue returns it to the waiter. */
export interface HeldDecision {
  /** `approve` or `deny`. */
  decision: "approve" | "deny";
  /** The reason given (`"timeout"` when the action expired). */
  reason: string | null;
  /** Who decided: `{surface: "rest", id: key id or "operator"}`, or `null` on timeout. */
  approver: { surface: "rest"; id: string } | null;
}

/** One held action. */
export interface HeldRecord {
  id: string;
  agent_id: string;
  kind: HeldActionKind;
  summary: string;
  reason: string;
  context_snapshot: unknown;
  created_at: number;
  expires_at: number;
  status: "pending" | "approved" | "denied" | "expired";
  settle: (decision: HeldDecision) => void;
}

/** The identity of the system agent that sends the empty message `execute` delivers. */
export const SYSTEM_AGENT_ID = "00000000-0000-0000-0000-000000000000";

/** Rate limiter settings. */
export interface RateLimitConfig {
  /** Requests allowed at once. Default 100 (governor `per_minute(100)`). */
  burst?: number;
  /** One request is refilled per this many milliseconds. Default 600. */
  refillMs?: number;
}

/** The runtime's settings the state needs. */
export interface StateSettings {
  now: () => number;
  busMessageTtlSecs: number;
  approvalTimeoutMs: number;
  keepResolvedApprovals: boolean;
  cron: boolean;
}

/** The whole in-memory runtime. */
export class DoubleState {
  readonly settings: StateSettings;
  readonly startedAt: number;
  readonly agents: Map<string, AgentRecord> = new Map();
  readonly history: Map<string, HistoryRecord[]> = new Map();
  readonly inboxes: Map<string, BusMessage[]> = new Map();
  readonly delivery: Map<string, DeliveryStatus> = new Map();
  readonly subscriptions: Map<string, string[]> = new Map();
  readonly jobs: Map<string, CronJob> = new Map();
  readonly runs: Map<string, CronRun[]> = new Map();
  readonly channels: Map<string, ChannelRecord> = new Map();
  readonly held: Map<string, HeldRecord> = new Map();
  rateLimit: Required<RateLimitConfig> | undefined;
  #tokens = 0;
  #refilledAt = 0;

  constructor(settings: StateSettings) {
    this.settings = settings;
    this.startedAt = settings.now();
  }

  now(): number {
    return this.settings.now();
  }

  // ---- rate limiting ----

  setRateLimit(config: RateLimitConfig | false | undefined): void {
    if (!config) {
      this.rateLimit = undefined;
      return;
    }
    this.rateLimit = { burst: config.burst ?? 100, refillMs: config.refillMs ?? 600 };
    this.#tokens = this.rateLimit.burst;
    this.#refilledAt = this.now();
  }

  /** Takes one token; `false` when the bucket is empty (429). */
  takeToken(): boolean {
    const limit = this.rateLimit;
    if (!limit) return true;
    const now = this.now();
    const refill = Math.max(0, now - this.#refilledAt) / limit.refillMs;
    this.#tokens = Math.min(limit.burst, this.#tokens + refill);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  // ---- agents ----

  record(agentId: string, executionId: string, status: HistoryRecord["status"]): void {
    const list = this.history.get(agentId) ?? [];
    list.push({ execution_id: executionId, status, timestamp: this.now() });
    this.history.set(agentId, list);
  }

  registerOnBus(agentId: string): void {
    if (!this.inboxes.has(agentId)) this.inboxes.set(agentId, []);
  }

  unregisterFromBus(agentId: string): void {
    this.inboxes.delete(agentId);
    for (const [topic, ids] of this.subscriptions) {
      this.subscriptions.set(topic, ids.filter((id) => id !== agentId));
    }
  }

  // ---- the bus ----

  /** Delivers a direct message as the runtime's bus does: into a registered inbox, or failed. */
  deliver(message: BusMessage): void {
    const inbox = message.recipient ? this.inboxes.get(message.recipient) : undefined;
    if (inbox) {
      inbox.push(message);
      this.delivery.set(message.message_id, "delivered");
    } else {
      this.delivery.set(message.message_id, "failed");
    }
  }

  /** Publishes to a topic: one copy with a fresh id per subscriber; the original id is not tracked. */
  publish(message: BusMessage): void {
    for (const subscriber of this.subscriptions.get(message.topic ?? "") ?? []) {
      this.deliver({ ...message, message_id: uuid(), recipient: subscriber });
    }
  }

  isExpired(message: BusMessage): boolean {
    return this.now() - message.sentAt > message.ttl_seconds * 1000;
  }

  // ---- cron ----

  nextRun(expression: string, timeZone: string, after: number): number | null {
    return parseCron(expression).next(after, timeZone)?.getTime() ?? null;
  }

  runJob(job: CronJob, at: number): CronRun {
    const run: CronRun = {
      run_id: uuid(),
      started_at: at,
      completed_at: at,
      status: "Succeeded",
      error: null,
      execution_time_ms: 0,
    };
    const list = this.runs.get(job.job_id) ?? [];
    list.push(run);
    this.runs.set(job.job_id, list);
    const agent = this.agents.get(job.agentId);
    if (agent) {
      agent.state = "Ready";
      agent.lastActivity = at;
    } else {
      this.agents.set(job.agentId, {
        id: job.agentId,
        name: job.agent_name,
        dsl: "",
        executionMode: {
          CronScheduled: { cron_expression: job.cron_expression, timezone: job.timezone },
        },
        modeLabel: "CronScheduled",
        capabilities: [],
        metadata: { trigger: "cron", cron_job_id: job.job_id },
        state: "Ready",
        lastActivity: at,
      });
    }
    return run;
  }

  // ---- approvals ----

  newHeldId(): string {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  resolveHeld(
    id: string,
    decision: "approve" | "deny",
    reason: string | null,
    approverId: string,
  ): "ok" | "not_found" | "already_resolved" {
    const entry = this.held.get(id);
    if (!entry) return "not_found";
    if (entry.status !== "pending") return "already_resolved";
    entry.status = decision === "approve" ? "approved" : "denied";
    entry.settle({ decision, reason, approver: { surface: "rest", id: approverId } });
    if (!this.settings.keepResolvedApprovals) this.held.delete(id);
    return "ok";
  }

  // ---- sweeps ----

  /** Applies everything the clock has made due. */
  sweep(): void {
    const now = this.now();
    for (const entry of [...this.held.values()]) {
      if (entry.status === "pending" && now >= entry.expires_at) {
        entry.status = "expired";
        this.held.delete(entry.id);
        entry.settle({ decision: "deny", reason: "timeout", approver: null });
      }
    }
    if (this.settings.cron) {
      for (const job of this.jobs.values()) {
        let guard = 0;
        while (
          job.status === "Active" && job.enabled && job.next_run !== null && job.next_run <= now &&
          guard++ < 1000
        ) {
          const at = job.next_run;
          this.runJob(job, at);
          job.run_count += 1;
          job.last_run = at;
          if (job.one_shot) {
            job.status = "Completed";
            job.enabled = false;
            job.next_run = null;
          } else {
            job.next_run = this.nextRun(job.cron_expression, job.timezone, now);
          }
        }
      }
    }
    for (const agent of this.agents.values()) {
      const ext = agent.external;
      if (!ext || ext.reportedState === "Unreachable" || ext.lastHeartbeat === undefined) continue;
      if (now - ext.lastHeartbeat > ext.heartbeatIntervalSecs * 3 * 1000) {
        ext.reportedState = "Unreachable";
      }
    }
  }

  // ---- wire shapes shared by several routes ----

  scheduleDetail(job: CronJob): Record<string, unknown> {
    return {
      job_id: job.job_id,
      name: job.name,
      cron_expression: job.cron_expression,
      timezone: job.timezone,
      status: job.status,
      enabled: job.enabled,
      one_shot: job.one_shot,
      next_run: job.next_run === null ? null : timestampOffset(job.next_run),
      last_run: job.last_run === null ? null : timestampOffset(job.last_run),
      run_count: job.run_count,
      failure_count: job.failure_count,
      created_at: timestampOffset(job.created_at),
      updated_at: timestampOffset(job.updated_at),
    };
  }
}
