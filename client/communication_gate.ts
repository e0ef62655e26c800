/**
 * The Communication Policy Gate, locally: the rule model (the seed's `from_agent` / `to_agent` /
 * `action` / `priority` / `max_depth` form and the runtime's condition/effect form) and an
 * evaluator with the runtime's semantics (`communication/policy_gate.rs`):
 *
 * - rules are tried from the highest `priority` down; equal priorities keep insertion order;
 * - the first rule whose condition matches decides;
 * - a deny reads `[<rule name>] <reason>`;
 * - with no match the gate denies with `No matching rule and default is deny` (unless it was
 *   built permissive, when it allows with `No matching rule and default is allow`).
 *
 * Seed form → condition/effect form:
 *
 * | seed field | becomes |
 * |---|---|
 * | `from_agent` (absent or `"*"`: any) | `{ type: "sender_is", agent }` |
 * | `to_agent` (absent or `"*"`: any) | `{ type: "recipient_is", agent }` |
 * | `action: "allow" \| "deny"` | the effect (as in the seed README) |
 * | `action: <anything else>`, e.g. `"send_message"` | `{ type: "action_is", action }`; the effect comes from `effect` (default allow) |
 * | `max_depth` | `{ type: "max_depth", depth }`: matches while the request's delegation depth ≤ depth |
 * | `reason` | the deny reason (default `Communication denied by policy`) |
 * | `priority` (default 0), `id`, `name` | kept; `name` defaults to `<from>-><to>` |
 *
 * The parts are joined with `all` (or `always` when there are none). `action_is` and `max_depth`
 * are SDK extensions: the runtime's conditions are `SenderIs`, `RecipientIs`, `Always`, `All`,
 * `Any`. Agents compare as exact strings (the runtime uses UUIDs).
 *
 * @module
 */

/** Stable error codes of the communication gate. */
export const CommunicationPolicyErrorCode = {
  /** A rule is malformed (`field` names the problem). */
  RULE_INVALID: "COMMUNICATION_RULE_INVALID",
  /** A rule with that id already exists. */
  RULE_DUPLICATE: "COMMUNICATION_RULE_DUPLICATE",
  /** An evaluation request is malformed. */
  REQUEST_INVALID: "COMMUNICATION_REQUEST_INVALID",
} as const;

/** One of {@link CommunicationPolicyErrorCode}. */
export type CommunicationPolicyErrorCode =
  typeof CommunicationPolicyErrorCode[keyof typeof CommunicationPolicyErrorCode];

/**
 * Thrown for malformed rules and requests.
 *
 * @example
 * ```ts
 * import { CommunicationPolicyError, CommunicationPolicyGate } from "@symbiont/sdk/client";
 *
 * try {
 *   new CommunicationPolicyGate().add({ from_agent: "a", to_agent: "b", action: "allow", priority: -1 });
 * } catch (error) {
 *   if (error instanceof CommunicationPolicyError) console.log(error.code, error.field); // COMMUNICATION_RULE_INVALID priority
 * }
 * ```
 */
export class CommunicationPolicyError extends Error {
  /** Stable code. */
  readonly code: CommunicationPolicyErrorCode;
  /** The offending field, when one is to blame. */
  readonly field?: string;

  /**
   * Creates the error.
   *
   * @param code Stable code.
   * @param message What was wrong.
   * @param field The offending field.
   */
  constructor(code: CommunicationPolicyErrorCode, message: string, field?: string) {
    super(message);
    this.name = "CommunicationPolicyError";
    this.code = code;
    this.field = field;
  }
}

/** When a rule applies (the runtime's `CommunicationCondition`, plus two SDK extensions). */
export type CommunicationCondition =
  | { type: "sender_is"; agent: string }
  | { type: "recipient_is"; agent: string }
  | { type: "always" }
  | { type: "all"; conditions: CommunicationCondition[] }
  | { type: "any"; conditions: CommunicationCondition[] }
  | { type: "action_is"; action: string }
  | { type: "max_depth"; depth: number };

/** What a matching rule decides (the runtime's `CommunicationEffect`). */
export type CommunicationEffect = { type: "allow" } | { type: "deny"; reason: string };

/** A rule in the runtime's form. */
export interface CommunicationPolicyRule {
  /** Unique id. */
  id: string;
  /** Name shown in deny messages. */
  name: string;
  /** When it applies. */
  condition: CommunicationCondition;
  /** What it decides. */
  effect: CommunicationEffect;
  /** Higher runs first (0 to 4294967295, the runtime's u32). */
  priority: number;
}

/** A rule in the seed's form (what `client.addCommunicationRule({...})` takes). */
export interface CommunicationRuleInput {
  /** Unique id; generated when absent. */
  id?: string;
  /** Name shown in deny messages; default `<from>-><to>`. */
  name?: string;
  /** Sender the rule applies to; absent or `"*"` for any. */
  from_agent?: string;
  /** Recipient the rule applies to; absent or `"*"` for any. */
  to_agent?: string;
  /** `"allow"`/`"deny"` (the effect, as in the seed), or a message action to match. */
  action?: string;
  /** `"allow"` or `"deny"`; must agree with `action` when that is allow/deny. */
  effect?: "allow" | "deny";
  /** Deny reason. */
  reason?: string;
  /** Priority, default 0. */
  priority?: number;
  /** Applies only while the delegation depth is at most this. */
  max_depth?: number;
}

/** A rule in the runtime's form with an optional id (generated when absent). */
export type CommunicationPolicyRuleInput = Omit<CommunicationPolicyRule, "id"> & { id?: string };

/** What {@link CommunicationPolicyGate.evaluate} is asked. */
export interface CommunicationRequest {
  /** Sending agent. */
  sender: string;
  /** Receiving agent. */
  recipient: string;
  /** Message action, default `"send_message"`. */
  action?: string;
  /** Delegation depth of the message (0 for a first-hand message). */
  depth?: number;
}

/** The decision, shaped as the seed shows it: `allowed`, `rule`, `reason`. */
export interface CommunicationEvaluation {
  /** Whether the message may be sent. */
  allowed: boolean;
  /** The rule that decided, or `null` when none matched. */
  rule: CommunicationPolicyRule | null;
  /** Why: the runtime's deny message, or an explanation of the allow. */
  reason: string;
}

/** Options of {@link CommunicationPolicyGate}. */
export interface CommunicationPolicyGateOptions {
  /** Initial rules, in either form. */
  rules?: (CommunicationRuleInput | CommunicationPolicyRuleInput)[];
  /** Allow when no rule matches (the runtime's `permissive()`); default false (fail-closed). */
  defaultAllow?: boolean;
}

const U32_MAX = 4294967295;
const DEFAULT_DENY = "No matching rule and default is deny";
const DEFAULT_ALLOW = "No matching rule and default is allow";

function invalid(message: string, field?: string): CommunicationPolicyError {
  return new CommunicationPolicyError(CommunicationPolicyErrorCode.RULE_INVALID, message, field);
}

function nonEmptyString(v: unknown, field: string): string {
  if (typeof v !== "string" || v.trim() === "") {
    throw invalid(`${field} must be a non-empty string`, field);
  }
  return v;
}

function checkPriority(v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > U32_MAX) {
    throw invalid(`priority must be an integer from 0 to ${U32_MAX}`, "priority");
  }
  return v;
}

function checkCondition(c: unknown, path: string): CommunicationCondition {
  if (typeof c !== "object" || c === null) {
    throw invalid(`${path} must be a condition object`, path);
  }
  const cond = c as Record<string, unknown>;
  switch (cond.type) {
    case "sender_is":
    case "recipient_is":
      return { type: cond.type, agent: nonEmptyString(cond.agent, `${path}.agent`) };
    case "always":
      return { type: "always" };
    case "all":
    case "any":
      if (!Array.isArray(cond.conditions)) {
        throw invalid(`${path}.conditions must be an array`, `${path}.conditions`);
      }
      return {
        type: cond.type,
        conditions: cond.conditions.map((x, i) => checkCondition(x, `${path}.conditions[${i}]`)),
      };
    case "action_is":
      return { type: "action_is", action: nonEmptyString(cond.action, `${path}.action`) };
    case "max_depth":
      if (typeof cond.depth !== "number" || !Number.isInteger(cond.depth) || cond.depth < 0) {
        throw invalid(`${path}.depth must be a non-negative integer`, `${path}.depth`);
      }
      return { type: "max_depth", depth: cond.depth };
    default:
      throw invalid(
        `${path}.type must be sender_is, recipient_is, always, all, any, action_is or max_depth`,
        `${path}.type`,
      );
  }
}

function checkEffect(e: unknown): CommunicationEffect {
  if (typeof e === "object" && e !== null) {
    const eff = e as Record<string, unknown>;
    if (eff.type === "allow") return { type: "allow" };
    if (eff.type === "deny") {
      if (typeof eff.reason !== "string") {
        throw invalid("effect.reason must be a string", "effect.reason");
      }
      return { type: "deny", reason: eff.reason };
    }
  }
  throw invalid('effect must be { type: "allow" } or { type: "deny", reason }', "effect");
}

function isAny(agent: string | undefined): boolean {
  return agent === undefined || agent === "*";
}

/**
 * Converts a seed-form rule into the runtime's condition/effect form (see the module doc table).
 *
 * @param input The seed-form rule.
 * @param id Id to use when `input.id` is absent.
 * @returns The rule in the runtime's form.
 * @throws {CommunicationPolicyError} `COMMUNICATION_RULE_INVALID` naming the bad field.
 *
 * @example
 * ```ts
 * import { ruleFromSeed } from "@symbiont/sdk/client";
 *
 * const rule = ruleFromSeed({ from_agent: "analyst", to_agent: "reporter", action: "allow", priority: 10 }, "r1");
 * rule.condition; // { type: "all", conditions: [sender_is analyst, recipient_is reporter] }
 * ```
 */
export function ruleFromSeed(input: CommunicationRuleInput, id: string): CommunicationPolicyRule {
  if (typeof input !== "object" || input === null) throw invalid("a rule must be an object");
  for (const f of ["from_agent", "to_agent", "action", "reason", "name", "id"] as const) {
    if (input[f] !== undefined && typeof input[f] !== "string") {
      throw invalid(`${f} must be a string`, f);
    }
  }
  if (input.from_agent !== undefined) nonEmptyString(input.from_agent, "from_agent");
  if (input.to_agent !== undefined) nonEmptyString(input.to_agent, "to_agent");
  if (input.effect !== undefined && input.effect !== "allow" && input.effect !== "deny") {
    throw invalid('effect must be "allow" or "deny"', "effect");
  }
  const conditions: CommunicationCondition[] = [];
  if (!isAny(input.from_agent)) conditions.push({ type: "sender_is", agent: input.from_agent! });
  if (!isAny(input.to_agent)) conditions.push({ type: "recipient_is", agent: input.to_agent! });
  let effectKind: "allow" | "deny";
  if (input.action === "allow" || input.action === "deny") {
    if (input.effect !== undefined && input.effect !== input.action) {
      throw invalid(`action "${input.action}" contradicts effect "${input.effect}"`, "effect");
    }
    effectKind = input.action;
  } else {
    if (input.action !== undefined) {
      conditions.push({ type: "action_is", action: nonEmptyString(input.action, "action") });
    }
    effectKind = input.effect ?? "allow";
  }
  if (input.max_depth !== undefined) {
    if (!Number.isInteger(input.max_depth) || input.max_depth < 0) {
      throw invalid("max_depth must be a non-negative integer", "max_depth");
    }
    conditions.push({ type: "max_depth", depth: input.max_depth });
  }
  const name = input.name ?? `${input.from_agent ?? "*"}->${input.to_agent ?? "*"}`;
  return {
    id: input.id ?? id,
    name: nonEmptyString(name, "name"),
    condition: conditions.length === 0
      ? { type: "always" }
      : conditions.length === 1
      ? conditions[0]
      : { type: "all", conditions },
    effect: effectKind === "allow"
      ? { type: "allow" }
      : { type: "deny", reason: input.reason ?? "Communication denied by policy" },
    priority: checkPriority(input.priority ?? 0),
  };
}

/**
 * Converts a runtime-form rule back to the seed form, when its condition is expressible there
 * (`always`, or `all`/single of at most one `sender_is`, `recipient_is`, `action_is`, `max_depth`).
 *
 * @param rule The rule.
 * @returns The seed form, or `null` when the condition uses `any`, nesting or repeats.
 *
 * @example
 * ```ts
 * import { ruleFromSeed, ruleToSeed } from "@symbiont/sdk/client";
 *
 * ruleToSeed(ruleFromSeed({ from_agent: "a", to_agent: "b", action: "deny" }, "r1"))?.action; // "deny"
 * ```
 */
export function ruleToSeed(rule: CommunicationPolicyRule): CommunicationRuleInput | null {
  const parts = rule.condition.type === "all"
    ? rule.condition.conditions
    : rule.condition.type === "always"
    ? []
    : [rule.condition];
  const out: CommunicationRuleInput = { id: rule.id, name: rule.name, priority: rule.priority };
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p.type)) return null;
    seen.add(p.type);
    if (p.type === "sender_is") out.from_agent = p.agent;
    else if (p.type === "recipient_is") out.to_agent = p.agent;
    else if (p.type === "max_depth") out.max_depth = p.depth;
    else if (p.type === "action_is") out.action = p.action;
    else return null;
  }
  out.from_agent ??= "*";
  out.to_agent ??= "*";
  if (out.action === undefined) out.action = rule.effect.type;
  else out.effect = rule.effect.type;
  if (rule.effect.type === "deny") out.reason = rule.effect.reason;
  return out;
}

function matches(c: CommunicationCondition, req: Required<CommunicationRequest>): boolean {
  switch (c.type) {
    case "sender_is":
      return req.sender === c.agent;
    case "recipient_is":
      return req.recipient === c.agent;
    case "always":
      return true;
    case "all":
      return c.conditions.every((x) => matches(x, req));
    case "any":
      return c.conditions.some((x) => matches(x, req));
    case "action_is":
      return req.action === c.action;
    case "max_depth":
      return req.depth <= c.depth;
  }
}

function isRuntimeForm(r: object): r is CommunicationPolicyRuleInput {
  return "condition" in r || "effect" in r && typeof (r as { effect: unknown }).effect === "object";
}

function clone(rule: CommunicationPolicyRule): CommunicationPolicyRule {
  return structuredClone(rule);
}

/**
 * A local rule set evaluated with the runtime's semantics. Hold one on a client for the
 * `addCommunicationRule` / `removeCommunicationRule` / `listCommunicationRules` /
 * `evaluateCommunication` methods.
 *
 * @example Priority order and default deny
 * ```ts
 * import { CommunicationPolicyGate } from "@symbiont/sdk/client";
 *
 * const gate = new CommunicationPolicyGate();
 * gate.add({ from_agent: "analyst", to_agent: "reporter", action: "allow", priority: 10, max_depth: 3 });
 * gate.add({ from_agent: "*", to_agent: "reporter", action: "deny", reason: "reporter is read-only", priority: 1 });
 *
 * gate.evaluate({ sender: "analyst", recipient: "reporter" }).allowed; // true
 * gate.evaluate({ sender: "intern", recipient: "reporter" }).reason; // "[*->reporter] reporter is read-only"
 * gate.evaluate({ sender: "intern", recipient: "auditor" }).reason; // "No matching rule and default is deny"
 * ```
 */
export class CommunicationPolicyGate {
  #rules: CommunicationPolicyRule[] = [];
  #defaultAllow: boolean;
  #counter = 0;

  /**
   * Creates a gate, fail-closed unless `defaultAllow` is set.
   *
   * @param options Initial rules and default decision.
   */
  constructor(options: CommunicationPolicyGateOptions = {}) {
    this.#defaultAllow = options.defaultAllow ?? false;
    for (const rule of options.rules ?? []) this.add(rule);
  }

  /**
   * A gate that allows when no rule matches (the runtime's `permissive()`).
   *
   * @param rules Initial rules.
   * @returns The gate.
   */
  static permissive(
    rules: (CommunicationRuleInput | CommunicationPolicyRuleInput)[] = [],
  ): CommunicationPolicyGate {
    return new CommunicationPolicyGate({ rules, defaultAllow: true });
  }

  /** Whether the gate allows when no rule matches. */
  get defaultAllow(): boolean {
    return this.#defaultAllow;
  }

  #nextId(): string {
    let id: string;
    do id = `rule-${++this.#counter}`; while (this.#rules.some((r) => r.id === id));
    return id;
  }

  /**
   * Adds a rule, in the seed form or the runtime form.
   *
   * @param input The rule.
   * @returns The stored rule (runtime form, with its id).
   * @throws {CommunicationPolicyError} `COMMUNICATION_RULE_INVALID` or `COMMUNICATION_RULE_DUPLICATE`.
   */
  add(input: CommunicationRuleInput | CommunicationPolicyRuleInput): CommunicationPolicyRule {
    if (typeof input !== "object" || input === null) throw invalid("a rule must be an object");
    let rule: CommunicationPolicyRule;
    if (isRuntimeForm(input)) {
      const r = input as CommunicationPolicyRuleInput;
      if (r.id !== undefined) nonEmptyString(r.id, "id");
      rule = {
        id: r.id ?? "",
        name: nonEmptyString(r.name, "name"),
        condition: checkCondition(r.condition, "condition"),
        effect: checkEffect(r.effect),
        priority: checkPriority(r.priority ?? 0),
      };
    } else {
      rule = ruleFromSeed(input as CommunicationRuleInput, "");
    }
    if (rule.id === "") rule.id = this.#nextId();
    if (this.#rules.some((r) => r.id === rule.id)) {
      throw new CommunicationPolicyError(
        CommunicationPolicyErrorCode.RULE_DUPLICATE,
        `a rule with id '${rule.id}' already exists`,
        "id",
      );
    }
    // Stable insert: after every rule of higher or equal priority (the runtime sorts stably).
    let at = this.#rules.findIndex((r) => r.priority < rule.priority);
    if (at < 0) at = this.#rules.length;
    this.#rules.splice(at, 0, rule);
    return clone(rule);
  }

  /**
   * Removes a rule.
   *
   * @param id Rule id.
   * @returns Whether a rule was removed.
   */
  remove(id: string): boolean {
    const at = this.#rules.findIndex((r) => r.id === id);
    if (at < 0) return false;
    this.#rules.splice(at, 1);
    return true;
  }

  /**
   * The rules in evaluation order (highest priority first).
   *
   * @returns Copies of the rules.
   */
  list(): CommunicationPolicyRule[] {
    return this.#rules.map(clone);
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /**
   * Decides whether `sender` may message `recipient`, with the runtime's semantics.
   *
   * @param request Sender, recipient, action (default `send_message`), delegation depth (default 0).
   * @returns `{ allowed, rule, reason }`.
   * @throws {CommunicationPolicyError} `COMMUNICATION_REQUEST_INVALID` for a malformed request.
   */
  evaluate(request: CommunicationRequest): CommunicationEvaluation {
    if (typeof request !== "object" || request === null) {
      throw new CommunicationPolicyError(
        CommunicationPolicyErrorCode.REQUEST_INVALID,
        "request must be an object",
      );
    }
    for (const f of ["sender", "recipient"] as const) {
      if (typeof request[f] !== "string" || request[f] === "") {
        throw new CommunicationPolicyError(
          CommunicationPolicyErrorCode.REQUEST_INVALID,
          `${f} must be a non-empty string`,
          f,
        );
      }
    }
    const action = request.action ?? "send_message";
    const depth = request.depth ?? 0;
    if (typeof action !== "string" || action === "") {
      throw new CommunicationPolicyError(
        CommunicationPolicyErrorCode.REQUEST_INVALID,
        "action must be a non-empty string",
        "action",
      );
    }
    if (!Number.isInteger(depth) || depth < 0) {
      throw new CommunicationPolicyError(
        CommunicationPolicyErrorCode.REQUEST_INVALID,
        "depth must be a non-negative integer",
        "depth",
      );
    }
    const req = { sender: request.sender, recipient: request.recipient, action, depth };
    for (const rule of this.#rules) {
      if (!matches(rule.condition, req)) continue;
      if (rule.effect.type === "allow") {
        return { allowed: true, rule: clone(rule), reason: `Allowed by rule [${rule.name}]` };
      }
      return { allowed: false, rule: clone(rule), reason: `[${rule.name}] ${rule.effect.reason}` };
    }
    return this.#defaultAllow
      ? { allowed: true, rule: null, reason: DEFAULT_ALLOW }
      : { allowed: false, rule: null, reason: DEFAULT_DENY };
  }
}
