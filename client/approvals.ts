/**
 * Approvals: the queue of actions the runtime's policy held for human review.
 *
 * @module
 */
import * as z from "zod";
import {
  type ClientContext,
  contextOf,
  type ContextSource,
  requestJson,
  requestVoid,
} from "./_context.ts";
import { requireSegment } from "./_input.ts";
import { Timestamp, type WireModel, zodOf } from "./_models.ts";
import type { RequestOptions } from "./transport.ts";

/**
 * An action held for approval: `id` (16 hex chars), agent, kind, summary, reason, the proposed action
 * in `context_snapshot`, times, and status. Unresolved actions are denied when they expire (120 s by
 * default).
 */
export interface HeldAction {
  /** The held action's id, 16 lowercase hex characters. */
  id: string;
  /** The agent that proposed the action. */
  agent_id: string;
  /** What kind of action it is. */
  kind: "tool_call" | "delegate" | "schedule" | "other";
  /** A short description, e.g. `"tool_call …"`. */
  summary: string;
  /** Why it was held, e.g. `"policy requires human approval"`. */
  reason: string;
  /** The proposed action as the runtime serialized it (e.g. `{ToolCall: {...}}`), or `null`. */
  context_snapshot: unknown;
  /** When it was held, RFC 3339. */
  created_at: string;
  /** When it is denied unless resolved, RFC 3339. */
  expires_at: string;
  /** Where it stands. */
  status: "pending" | "approved" | "denied" | "expired";
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link HeldAction}. */
export const HeldAction: WireModel<HeldAction> = z.looseObject({
  id: z.string(),
  agent_id: z.string(),
  kind: z.enum(["tool_call", "delegate", "schedule", "other"]),
  summary: z.string(),
  reason: z.string(),
  context_snapshot: z.unknown().nullable(),
  created_at: Timestamp,
  expires_at: Timestamp,
  status: z.enum(["pending", "approved", "denied", "expired"]),
});
const HeldActionList: WireModel<HeldAction[]> = z.array(zodOf(HeldAction));

/** Optional reason recorded with a decision. */
export interface DecisionOptions extends RequestOptions {
  /** Why the action was approved or denied (kept in the runtime's audit trail). */
  reason?: string;
}

/**
 * The runtime's approval routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client();
 * for (const held of await client.approvals.list()) {
 *   if (held.status === "pending") await client.approvals.approve(held.id, { reason: "looks fine" });
 * }
 * ```
 */
export class ApprovalsClient {
  readonly #context: ClientContext;

  /**
   * Creates the client; given a {@link Client}, it shares that client's transport and options.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
  }

  /**
   * `GET /approvals`: every action still in the queue (scoped keys may list).
   * @param options Per-call options.
   * @returns The held actions.
   */
  list(options: RequestOptions = {}): Promise<HeldAction[]> {
    return requestJson(this.#context, HeldActionList, {
      ...options,
      method: "GET",
      path: "/approvals",
    });
  }

  async #decide(id: string, decision: "approve" | "deny", options: DecisionOptions): Promise<void> {
    const { reason, ...request } = options;
    await requestVoid(this.#context, {
      ...request,
      method: "POST",
      path: `/approvals/${requireSegment("id", id)}/${decision}`,
      body: reason === undefined ? {} : { reason },
    });
  }

  /**
   * `POST /approvals/{id}/approve` (admin).
   * @param id The held action's id.
   * @param options A reason, and per-call options.
   * @throws {NotFoundError} code `not_found`.
   * @throws {ConflictError} code `already_resolved`.
   */
  approve(id: string, options: DecisionOptions = {}): Promise<void> {
    return this.#decide(id, "approve", options);
  }

  /**
   * `POST /approvals/{id}/deny` (admin).
   * @param id The held action's id.
   * @param options A reason, and per-call options.
   * @throws {NotFoundError} code `not_found`.
   * @throws {ConflictError} code `already_resolved`.
   */
  deny(id: string, options: DecisionOptions = {}): Promise<void> {
    return this.#decide(id, "deny", options);
  }
}
