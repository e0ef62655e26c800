/**
 * The Communication Policy Gate from the client: a local rule set evaluated with the runtime's
 * semantics (highest priority first, first match wins, `[<rule name>] <reason>` denials, default
 * deny), or, on request, the routes the vendor's JS SDK proposes (`/communication/...`), which
 * runtime 1.19 does not serve ({@link NotOfferedError}).
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource } from "./_context.ts";
import { requestExtension } from "./_extension.ts";
import { requireSegment } from "./_input.ts";
import {
  type CommunicationEvaluation,
  CommunicationPolicyGate,
  type CommunicationPolicyRule,
  type CommunicationPolicyRuleInput,
  type CommunicationRequest,
  type CommunicationRuleInput,
} from "./communication_gate.ts";
import type { RemoteOption } from "./toolclad.ts";

const RemoteRules: z.ZodType<Record<string, unknown>[]> = z.array(z.looseObject({}));
/** A runtime's evaluation answer (proposed route); its rule shape is the runtime's. */
export interface RemoteCommunicationEvaluation {
  /** Whether the message may be sent. */
  allowed: boolean;
  /** The deciding rule as the runtime describes it, if any. */
  rule?: unknown;
  /** Why. */
  reason: string;
  /** Fields the runtime adds. */
  [key: string]: unknown;
}
const RemoteEvaluation: z.ZodType<RemoteCommunicationEvaluation> = z.looseObject({
  allowed: z.boolean(),
  rule: z.unknown().optional(),
  reason: z.string(),
});

/**
 * Communication rules and their evaluation.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client();
 * client.addCommunicationRule({ from_agent: "analyst", to_agent: "reporter", action: "allow", priority: 10 });
 * const decision = await client.evaluateCommunication({ sender: "analyst", recipient: "reporter" });
 * console.log(decision.allowed, decision.rule?.name, decision.reason);
 * ```
 */
export class CommunicationClient {
  readonly #context: ClientContext;
  /** The local rule set. */
  readonly gate: CommunicationPolicyGate;

  /**
   * Creates the communication client.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   * @param gate The local gate (default: empty, deny by default).
   */
  constructor(
    source?: ContextSource,
    gate: CommunicationPolicyGate = new CommunicationPolicyGate(),
  ) {
    this.#context = contextOf(source);
    this.gate = gate;
  }

  /**
   * Adds a rule (seed form `{from_agent, to_agent, action, priority, max_depth}` or the runtime's
   * condition/effect form) to the local set, or with `remote` to the runtime.
   *
   * @param rule The rule.
   * @param options `remote` and per-call options.
   * @returns The stored rule.
   */
  async addRule(
    rule: CommunicationRuleInput | CommunicationPolicyRuleInput,
    options: RemoteOption = {},
  ): Promise<CommunicationPolicyRule | Record<string, unknown>> {
    const { remote, ...request } = options;
    if (!remote) return this.gate.add(rule);
    return await requestExtension(this.#context, "communication rules", z.looseObject({}), {
      ...request,
      method: "POST",
      path: "/communication/rules",
      body: rule,
    });
  }

  /**
   * Removes a rule by id.
   *
   * @param id The rule id.
   * @param options `remote` and per-call options.
   * @returns Whether a local rule was removed (always true for a remote call that succeeded).
   */
  async removeRule(id: string, options: RemoteOption = {}): Promise<boolean> {
    const { remote, ...request } = options;
    if (!remote) return this.gate.remove(id);
    await requestExtension(this.#context, "communication rules", z.unknown(), {
      ...request,
      method: "DELETE",
      path: `/communication/rules/${requireSegment("id", id)}`,
      route: "DELETE /communication/rules/{id}",
    });
    return true;
  }

  /**
   * The rules, highest priority first.
   *
   * @param options `remote` and per-call options.
   * @returns The rules.
   */
  async listRules(
    options: RemoteOption = {},
  ): Promise<CommunicationPolicyRule[] | Record<string, unknown>[]> {
    const { remote, ...request } = options;
    if (!remote) return this.gate.list();
    return await requestExtension(this.#context, "communication rules", RemoteRules, {
      ...request,
      method: "GET",
      path: "/communication/rules",
    });
  }

  /**
   * Would `sender` be allowed to message `recipient`?
   *
   * @param request Sender, recipient, action (default `send_message`), delegation depth.
   * @param options `remote` and per-call options.
   * @returns `{allowed, rule, reason}`.
   */
  async evaluate(
    request: CommunicationRequest,
    options: RemoteOption = {},
  ): Promise<CommunicationEvaluation | RemoteCommunicationEvaluation> {
    const { remote, ...call } = options;
    if (!remote) return this.gate.evaluate(request);
    return await requestExtension(this.#context, "communication evaluation", RemoteEvaluation, {
      ...call,
      method: "POST",
      path: "/communication/evaluate",
      body: { sender: request.sender, recipient: request.recipient, action: request.action },
    });
  }
}
