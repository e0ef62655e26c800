/**
 * The `Client`: one transport shared by namespaced resource clients, plus the seed's flat methods.
 *
 * @module
 */
import { AgentPinClient } from "../agentpin/client.ts";
import { MetricsClient } from "../metrics/metrics_client.ts";
import { type ClientContext, createContext } from "./_context.ts";
import {
  type AgentActionResponse,
  type AgentExecutionRecord,
  AgentsClient,
  type AgentStatusResponse,
  type AgentSummary,
  type CreateAgentRequest,
  type ExecuteAgentResponse,
  type HeartbeatRequest,
  type PushEventRequest,
  type UpdateAgentRequest,
} from "./agents.ts";
import { ApprovalsClient, type DecisionOptions, type HeldAction } from "./approvals.ts";
import { ChannelClient } from "./channels.ts";
import {
  type MessageEnvelope,
  MessagesClient,
  type MessageStatusResponse,
  type SendMessageRequest,
  type SendMessageResponse,
} from "./messages.ts";
import { ChatClient } from "./chat.ts";
import { CommunicationClient, type RemoteCommunicationEvaluation } from "./communication.ts";
import type {
  CommunicationEvaluation,
  CommunicationPolicyRule,
  CommunicationPolicyRuleInput,
  CommunicationRequest,
  CommunicationRuleInput,
} from "./communication_gate.ts";
import { HttpInputClient } from "./http_input.ts";
import { ReasoningClient } from "./reasoning.ts";
import { type RemoteOption, ToolCladClient } from "./toolclad.ts";
import type { ClientOptions } from "./options.ts";
import { ScheduleClient } from "./schedules.ts";
import {
  type WorkflowExecutionRequest,
  type WorkflowExecutionResult,
  WorkflowsClient,
} from "./workflows.ts";
import {
  type HealthResponse,
  type RuntimeMetrics,
  type SchedulerHealthResponse,
  type StatusResponse,
  SystemClient,
} from "./system.ts";
import type { RequestOptions } from "./transport.ts";

/**
 * The Symbiont runtime client. Options fall back to the environment (`SYMBIONT_API_KEY` or
 * `SYMBIONT_API_TOKEN`, `SYMBIONT_BASE_URL`, `SYMBIONT_TIMEOUT`, `SYMBIONT_VALIDATION_MODE`,
 * `SYMBIONT_MAX_RETRIES`, `SYMBIONT_HTTP_INPUT_URL`), then to defaults. The API key is held in a
 * private field: it never shows in `toString()`, `JSON.stringify`, `console.log` or an error.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client({ apiKey: "…", baseUrl: "http://localhost:8080/api/v1" });
 * console.log(await client.healthCheck());
 * ```
 */
export class Client {
  /** Shared transport, validator and options (no secrets in readable fields). */
  readonly context: ClientContext;
  /** Health probes, status, scheduler health, metrics, agents.md. */
  readonly system: SystemClient;
  /** Typed metrics snapshots: `/metrics` plus `/status` and `/health/scheduler`. */
  readonly metricsClient: MetricsClient;
  /** Agent lifecycle, history, heartbeat and events. */
  readonly agents: AgentsClient;
  /** Inter-agent messages. */
  readonly messages: MessagesClient;
  /** Cron schedules. */
  readonly schedules: ScheduleClient;
  /** Chat channels. */
  readonly channels: ChannelClient;
  /** Workflow execution. */
  readonly workflows: WorkflowsClient;
  /** The human-approval queue. */
  readonly approvals: ApprovalsClient;
  /** The HTTP Input (webhook) server, port 8081. */
  readonly httpInput: HttpInputClient;
  /** Coordinator Chat over the runtime's WebSocket. */
  readonly chat: ChatClient;
  /** ToolClad: local manifests, schemas and dry runs; execution on the runtime. */
  readonly toolclad: ToolCladClient;
  /** Reasoning-loop control (proposed routes; not offered by runtime 1.19). */
  readonly reasoning: ReasoningClient;
  /** Communication Policy Gate: local rules with the runtime's semantics. */
  readonly communication: CommunicationClient;
  /** AgentPin identity, entirely client-side. */
  readonly agentpin: AgentPinClient;

  /**
   * Creates a client.
   *
   * @param options Client options; anything left out comes from the environment or defaults.
   */
  constructor(options: ClientOptions = {}) {
    this.context = createContext(options);
    this.system = new SystemClient(this);
    this.metricsClient = new MetricsClient(this);
    this.agents = new AgentsClient(this);
    this.messages = new MessagesClient(this);
    this.schedules = new ScheduleClient(this);
    this.channels = new ChannelClient(this);
    this.workflows = new WorkflowsClient(this);
    this.approvals = new ApprovalsClient(this);
    this.httpInput = new HttpInputClient(this);
    this.chat = new ChatClient(this);
    this.toolclad = new ToolCladClient(this);
    this.reasoning = new ReasoningClient(this);
    this.communication = new CommunicationClient(this);
    this.agentpin = new AgentPinClient({ fetch: this.context.options.fetch, ...options.agentpin });
  }

  /** The runtime API base URL in use. */
  get baseUrl(): string {
    return this.context.transport.baseUrl;
  }

  /**
   * `GET /health`, as the seed's `health_check()`.
   *
   * @param options Per-call options.
   * @returns The health response.
   */
  healthCheck(options?: RequestOptions): Promise<HealthResponse> {
    return this.system.health(options);
  }

  /**
   * `GET /status`.
   *
   * @param options Per-call options.
   * @returns Version, health and counts.
   */
  getStatus(options?: RequestOptions): Promise<StatusResponse> {
    return this.system.status(options);
  }

  /**
   * `GET /health/scheduler`.
   *
   * @param options Per-call options.
   * @returns The scheduler's counters.
   */
  getSchedulerHealth(options?: RequestOptions): Promise<SchedulerHealthResponse> {
    return this.system.schedulerHealth(options);
  }

  /**
   * `GET /metrics`, as the seed's `get_metrics()`.
   *
   * @param options Per-call options.
   * @returns Agent counts and system figures.
   */
  getMetrics(options?: RequestOptions): Promise<RuntimeMetrics> {
    return this.system.metrics(options);
  }

  /**
   * `GET /agents`, as the seed's `list_agents()`.
   *
   * @param options Per-call options.
   * @returns Every agent's id, name and state.
   */
  listAgents(options?: RequestOptions): Promise<AgentSummary[]> {
    return this.agents.list(options);
  }

  /**
   * `GET /agents/{id}/status`, as the seed's `get_agent_status(id)`.
   *
   * @param agent The agent's UUID, or an {@link AgentSummary}.
   * @param options Per-call options.
   * @returns The agent's status.
   */
  getAgentStatus(
    agent: string | { id: string },
    options?: RequestOptions,
  ): Promise<AgentStatusResponse> {
    return this.agents.status(agent, options);
  }

  /**
   * `POST /agents`, as the seed's `create_agent(...)`.
   *
   * @param request Name, DSL, execution mode, capabilities, metadata.
   * @param options Per-call options.
   * @returns `{id, status: "scheduled"}`.
   */
  createAgent(request: CreateAgentRequest, options?: RequestOptions): Promise<AgentActionResponse> {
    return this.agents.create(request, options);
  }

  /**
   * `PUT /agents/{id}`.
   *
   * @param agentId The agent's UUID.
   * @param request Name and/or DSL.
   * @param options Per-call options.
   * @returns `{id, status: "updated"}`.
   */
  updateAgent(
    agentId: string,
    request: UpdateAgentRequest,
    options?: RequestOptions,
  ): Promise<AgentActionResponse> {
    return this.agents.update(agentId, request, options);
  }

  /**
   * `DELETE /agents/{id}`.
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{id, status: "deleted"}`.
   */
  deleteAgent(agentId: string, options?: RequestOptions): Promise<AgentActionResponse> {
    return this.agents.delete(agentId, options);
  }

  /**
   * `POST /agents/{id}/execute`.
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{execution_id, status: "execution_started"}`.
   */
  executeAgent(agentId: string, options?: RequestOptions): Promise<ExecuteAgentResponse> {
    return this.agents.execute(agentId, options);
  }

  /**
   * Runs an agent again (the runtime's `execute` re-runs a Completed agent; it has no re-execute
   * route).
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns `{execution_id, status: "execution_started"}`.
   */
  reExecuteAgent(agentId: string, options?: RequestOptions): Promise<ExecuteAgentResponse> {
    return this.agents.reExecute(agentId, options);
  }

  /**
   * `GET /agents/{id}/history`.
   *
   * @param agentId The agent's UUID.
   * @param options Per-call options.
   * @returns Execution records, newest first.
   */
  getAgentHistory(agentId: string, options?: RequestOptions): Promise<AgentExecutionRecord[]> {
    return this.agents.history(agentId, options);
  }

  /**
   * `POST /agents/{id}/heartbeat`.
   *
   * @param agentId The External agent's UUID.
   * @param request State, metadata, last result, AgentPin JWT.
   * @param options Per-call options.
   */
  sendHeartbeat(
    agentId: string,
    request: HeartbeatRequest,
    options?: RequestOptions,
  ): Promise<void> {
    return this.agents.heartbeat(agentId, request, options);
  }

  /**
   * `POST /agents/{id}/events`.
   *
   * @param agentId The External agent's UUID.
   * @param request Event type, payload, AgentPin JWT.
   * @param options Per-call options.
   */
  pushAgentEvent(
    agentId: string,
    request: PushEventRequest,
    options?: RequestOptions,
  ): Promise<void> {
    return this.agents.pushEvent(agentId, request, options);
  }

  /**
   * `POST /agents/{recipient}/messages`.
   *
   * @param recipientId The recipient agent's UUID.
   * @param request Sender, payload, TTL, topic, AgentPin JWT.
   * @param options Per-call options.
   * @returns `{message_id, status: "pending"}`.
   */
  sendMessage(
    recipientId: string,
    request: SendMessageRequest,
    options?: RequestOptions,
  ): Promise<SendMessageResponse> {
    return this.messages.send(recipientId, request, options);
  }

  /**
   * `GET /agents/{id}/messages`. **Drains the inbox**: each message is returned once.
   *
   * @param agentId The receiving agent's UUID.
   * @param options Per-call options.
   * @returns The messages that were waiting.
   */
  receiveMessages(agentId: string, options?: RequestOptions): Promise<MessageEnvelope[]> {
    return this.messages.receive(agentId, options);
  }

  /**
   * `GET /messages/{id}/status`.
   *
   * @param messageId The message's UUID.
   * @param options Per-call options.
   * @returns Its delivery status.
   */
  getMessageStatus(messageId: string, options?: RequestOptions): Promise<MessageStatusResponse> {
    return this.messages.status(messageId, options);
  }

  /**
   * `POST /workflows/execute`, as the seed's `execute_workflow(...)`.
   *
   * @param request DSL source in `workflow_id`, parameters, optional agent.
   * @param options Per-call options.
   * @returns The runtime's result object.
   */
  executeWorkflow(
    request: WorkflowExecutionRequest,
    options?: RequestOptions,
  ): Promise<WorkflowExecutionResult> {
    return this.workflows.execute(request, options);
  }

  /**
   * `GET /approvals`.
   *
   * @param options Per-call options.
   * @returns The held actions.
   */
  listApprovals(options?: RequestOptions): Promise<HeldAction[]> {
    return this.approvals.list(options);
  }

  /**
   * `POST /approvals/{id}/approve`.
   *
   * @param id The held action's id.
   * @param options A reason, and per-call options.
   */
  approveAction(id: string, options?: DecisionOptions): Promise<void> {
    return this.approvals.approve(id, options);
  }

  /**
   * `POST /approvals/{id}/deny`.
   *
   * @param id The held action's id.
   * @param options A reason, and per-call options.
   */
  denyAction(id: string, options?: DecisionOptions): Promise<void> {
    return this.approvals.deny(id, options);
  }

  /**
   * Adds a communication rule, as the seed's `add_communication_rule({...})`.
   *
   * @param rule `{from_agent, to_agent, action, priority, max_depth}` or the runtime's form.
   * @param options `remote: true` for the runtime's (proposed) route.
   * @returns The stored rule.
   */
  addCommunicationRule(
    rule: CommunicationRuleInput | CommunicationPolicyRuleInput,
    options?: RemoteOption,
  ): Promise<CommunicationPolicyRule | Record<string, unknown>> {
    return this.communication.addRule(rule, options);
  }

  /**
   * Removes a communication rule by id.
   *
   * @param id The rule id.
   * @param options `remote: true` for the runtime's (proposed) route.
   * @returns Whether a rule was removed.
   */
  removeCommunicationRule(id: string, options?: RemoteOption): Promise<boolean> {
    return this.communication.removeRule(id, options);
  }

  /**
   * Lists communication rules, highest priority first.
   *
   * @param options `remote: true` for the runtime's (proposed) route.
   * @returns The rules.
   */
  listCommunicationRules(
    options?: RemoteOption,
  ): Promise<CommunicationPolicyRule[] | Record<string, unknown>[]> {
    return this.communication.listRules(options);
  }

  /**
   * Evaluates a message against the rules, as the seed's `evaluate_communication(...)`.
   *
   * @param request Sender, recipient, action, depth.
   * @param options `remote: true` for the runtime's (proposed) route.
   * @returns `{allowed, rule, reason}`.
   */
  evaluateCommunication(
    request: CommunicationRequest,
    options?: RemoteOption,
  ): Promise<CommunicationEvaluation | RemoteCommunicationEvaluation> {
    return this.communication.evaluate(request, options);
  }

  /**
   * A description without secrets.
   *
   * @returns e.g. `Client(baseUrl=http://localhost:8080/api/v1, apiKey=set)`.
   */
  toString(): string {
    return `Client(baseUrl=${this.baseUrl}, apiKey=${
      this.context.transport.hasApiKey ? "set" : "unset"
    }, validationMode=${this.context.options.validationMode})`;
  }

  /**
   * What `JSON.stringify` shows: no secrets.
   *
   * @returns Base URL, whether a key is set, and the validation mode.
   */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      apiKey: this.context.transport.hasApiKey ? "[redacted]" : null,
      validationMode: this.context.options.validationMode,
    };
  }

  /** Deno's and Node's inspectors (console.log) show the same redacted view. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Node's and Bun's `util.inspect`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
