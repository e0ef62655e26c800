/**
 * Local checks of the runtime's Cedar gate (`reasoning/cedar_gate.rs`) with the official engine.
 *
 * @module
 */
import { CedarError, CedarErrorCode, getEngine } from "./engine.ts";
import type { AuthorizationCall, CedarValueJson } from "@cedar-policy/cedar-wasm/web";

/** A named Cedar policy source, as the runtime's `CedarPolicy` (`{name, source, active}`). */
export interface CedarPolicy {
  /** Unique name; reported in `reasons`. */
  name: string;
  /** Cedar text (one or more policies). */
  source: string;
  /** Inactive policies are ignored, as in the runtime. Default true. */
  active?: boolean;
}

/** Policies as text, named policies, or a mix. A bare string is named `policy`, `policy1`, .... */
export type CedarPolicies = string | CedarPolicy | readonly (string | CedarPolicy)[];

/** An action of the reasoning loop, mapped to the runtime's Cedar action ids. */
export type CedarAction =
  | { type: "tool_call"; name: string }
  | { type: "delegate"; target: string }
  | { type: "respond" }
  | { type: "terminate" };

/** The outcome of a check. */
export interface CedarDecision {
  /** `allow` only when a permit applies and no forbid does. */
  decision: "allow" | "deny";
  /** Names of the policies that determined the decision (`<name>` or `<name>#<n>` for multi-policy sources). */
  reasons: string[];
  /** Parse and evaluation errors (a policy that errors is skipped, as in Cedar). */
  errors: string[];
  /** The runtime gate's own decision text for this outcome. */
  message: string;
  /** The Cedar action id evaluated, e.g. `tool_call::nmap_scan`. */
  action: string;
}

/** Inputs of {@link checkAction}. */
export interface CheckActionInput {
  /** The policies loaded on the runtime (files under `policies/`). */
  policies: CedarPolicies;
  /** The agent's UUID (principal `Agent::"<uuid>"`). */
  agentId: string;
  /** The proposed action. */
  action: CedarAction;
  /** The trusted context the runtime would supply (a JSON object); default empty. */
  context?: Record<string, unknown>;
}

/** Inputs of {@link checkToolCall}. */
export interface CheckToolCallInput {
  /** The policies loaded on the runtime. */
  policies: CedarPolicies;
  /** The agent's UUID. */
  agentId: string;
  /** Tool name (action `Action::"tool_call::<name>"`). */
  toolName: string;
  /** Trusted context; default empty. */
  context?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function inputError(message: string, field: string): CedarError {
  return new CedarError(CedarErrorCode.INPUT_INVALID, message, { field });
}

/**
 * The Cedar action id the runtime uses for an action: `tool_call::<name>`, `delegate::<target>`,
 * `respond` or `terminate`.
 *
 * @param action The action.
 * @returns The id of `Action::"<id>"`.
 * @throws {CedarError} `CEDAR_INPUT_INVALID` for an unknown type or empty name.
 *
 * @example
 * ```ts
 * import { cedarActionId } from "@symbiont/sdk/cedar";
 *
 * cedarActionId({ type: "delegate", target: "reviewer" }); // "delegate::reviewer"
 * ```
 */
export function cedarActionId(action: CedarAction): string {
  if (typeof action !== "object" || action === null) {
    throw inputError("action must be an object", "action");
  }
  switch (action.type) {
    case "tool_call":
      if (typeof action.name !== "string" || action.name === "") {
        throw inputError("tool name must be a non-empty string", "action.name");
      }
      return `tool_call::${action.name}`;
    case "delegate":
      if (typeof action.target !== "string" || action.target === "") {
        throw inputError("delegate target must be a non-empty string", "action.target");
      }
      return `delegate::${action.target}`;
    case "respond":
    case "terminate":
      return action.type;
    default:
      throw inputError(
        "action.type must be tool_call, delegate, respond or terminate",
        "action.type",
      );
  }
}

function normalisePolicies(policies: CedarPolicies): CedarPolicy[] {
  const list = typeof policies === "string" || !Array.isArray(policies)
    ? [policies as string | CedarPolicy]
    : policies as readonly (string | CedarPolicy)[];
  const out: CedarPolicy[] = [];
  const names = new Set<string>();
  list.forEach((p, i) => {
    const policy: CedarPolicy = typeof p === "string"
      ? { name: i === 0 ? "policy" : `policy${i}`, source: p }
      : p;
    if (typeof policy !== "object" || policy === null) {
      throw inputError(`policies[${i}] must be a string or { name, source }`, `policies[${i}]`);
    }
    if (typeof policy.name !== "string" || policy.name === "") {
      throw inputError(`policies[${i}].name must be a non-empty string`, `policies[${i}].name`);
    }
    if (typeof policy.source !== "string") {
      throw inputError(`policies[${i}].source must be a string`, `policies[${i}].source`);
    }
    if (names.has(policy.name)) {
      throw inputError(`duplicate policy name '${policy.name}'`, `policies[${i}].name`);
    }
    names.add(policy.name);
    if (policy.active !== false) out.push(policy);
  });
  return out;
}

function messages(errors: { message: string }[]): string[] {
  return errors.map((e) => e.message);
}

/**
 * Would the runtime's Cedar gate allow this action for this agent? Evaluates the active policies
 * with the official engine and the runtime's entity model: principal `Agent::"<uuid>"`, action
 * `Action::"<id>"` (see {@link cedarActionId}), resource `Resource::"default"`, no entities, the
 * given context.
 *
 * Fail-closed like the runtime: no active policies → deny ("No Cedar policies loaded"); any policy
 * that does not parse → deny with the parse errors; otherwise Cedar's rule (a forbid wins, and
 * without a permit the answer is deny).
 *
 * @param input Policies, agent, action, context.
 * @returns The decision with the deciding policy names and any errors.
 * @throws {CedarError} `CEDAR_INPUT_INVALID` (agent not a UUID, bad action or policy list, context
 * not an object) or `CEDAR_WASM_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * const result = await checkAction({
 *   policies: 'permit(principal, action == Action::"respond", resource);',
 *   agentId: "6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f",
 *   action: { type: "respond" },
 * });
 * result.decision; // "allow"
 * ```
 */
export async function checkAction(input: CheckActionInput): Promise<CedarDecision> {
  if (typeof input !== "object" || input === null) {
    throw inputError("input must be an object", "input");
  }
  if (typeof input.agentId !== "string" || !UUID.test(input.agentId)) {
    throw inputError(
      "agentId must be the agent's UUID (the runtime's principal is Agent::\"<uuid>\")",
      "agentId",
    );
  }
  const agentId = input.agentId.toLowerCase();
  const action = cedarActionId(input.action);
  const context = input.context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context)) {
    throw inputError("context must be a JSON object", "context");
  }
  const policies = normalisePolicies(input.policies);
  const deny = (message: string, errors: string[] = []): CedarDecision => ({
    decision: "deny",
    reasons: [],
    errors,
    message,
    action,
  });
  if (policies.length === 0) return deny("No Cedar policies loaded");

  const cedar = await getEngine();
  const staticPolicies: Record<string, string> = {};
  const parseErrors: string[] = [];
  for (const policy of policies) {
    const parts = cedar.policySetTextToParts(policy.source);
    if (parts.type === "failure") {
      parseErrors.push(...messages(parts.errors).map((m) => `${policy.name}: ${m}`));
      continue;
    }
    if (parts.policy_templates.length > 0) {
      parseErrors.push(`${policy.name}: templates are not supported by the runtime's gate`);
    }
    parts.policies.forEach((text, i) => {
      staticPolicies[parts.policies.length === 1 ? policy.name : `${policy.name}#${i}`] = text;
    });
  }
  if (parseErrors.length > 0) {
    return deny(`Cedar policy parse error: ${parseErrors.join("; ")}`, parseErrors);
  }

  const call: AuthorizationCall = {
    principal: { type: "Agent", id: agentId },
    action: { type: "Action", id: action },
    resource: { type: "Resource", id: "default" },
    context: context as Record<string, CedarValueJson>,
    policies: { staticPolicies },
    entities: [],
  };
  const answer = cedar.isAuthorized(call);
  if (answer.type === "failure") {
    const errors = messages(answer.errors);
    return deny(`Cedar request error: ${errors.join("; ")}`, errors);
  }
  const { decision, diagnostics } = answer.response;
  const errors = diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`);
  const reasons = [...diagnostics.reason];
  if (decision === "allow") return { decision, reasons, errors, message: "Allow", action };
  const base = `Cedar denied action '${action}' for agent ${agentId}`;
  return {
    decision: "deny",
    reasons,
    errors,
    message: errors.length > 0 ? `${base}: ${errors.join("; ")}` : base,
    action,
  };
}

/**
 * Would the runtime's gate allow this agent to call this tool? Shorthand for {@link checkAction}
 * with `{ type: "tool_call", name: toolName }`.
 *
 * @param input Policies, agent UUID, tool name, context.
 * @returns The decision (`allow` | `deny`), deciding policy names and errors.
 * @throws {CedarError} `CEDAR_INPUT_INVALID` or `CEDAR_WASM_UNAVAILABLE`.
 *
 * @example Checking a policy file before deploying it
 * ```ts ignore
 * import { checkToolCall } from "@symbiont/sdk/cedar";
 *
 * const policies = [
 *   { name: "scanners", source: 'permit(principal, action == Action::"tool_call::nmap_scan", resource);' },
 *   { name: "no-writes", source: 'forbid(principal, action == Action::"tool_call::write_file", resource);' },
 * ];
 * const agentId = "6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f";
 * (await checkToolCall({ policies, agentId, toolName: "nmap_scan" })).decision; // "allow"
 * (await checkToolCall({ policies, agentId, toolName: "write_file" })).reasons; // ["no-writes"]
 * ```
 */
export function checkToolCall(input: CheckToolCallInput): Promise<CedarDecision> {
  if (typeof input !== "object" || input === null) {
    return Promise.reject(inputError("input must be an object", "input"));
  }
  return checkAction({
    policies: input.policies,
    agentId: input.agentId,
    action: { type: "tool_call", name: input.toolName },
    context: input.context,
  });
}

/**
 * Parses policies without evaluating them: the syntax check the runtime runs when it reloads
 * policies.
 *
 * @param policies The policies.
 * @returns `valid` and the parse errors, each prefixed with the policy name.
 * @throws {CedarError} `CEDAR_INPUT_INVALID` or `CEDAR_WASM_UNAVAILABLE`.
 *
 * @example
 * ```ts ignore
 * (await validatePolicies("permit(principal, action, resource)")).valid; // false (missing ';')
 * ```
 */
export async function validatePolicies(
  policies: CedarPolicies,
): Promise<{ valid: boolean; errors: string[] }> {
  const cedar = await getEngine();
  const errors: string[] = [];
  for (const policy of normalisePolicies(policies)) {
    const parts = cedar.policySetTextToParts(policy.source);
    if (parts.type === "failure") {
      errors.push(...messages(parts.errors).map((m) => `${policy.name}: ${m}`));
    }
  }
  return { valid: errors.length === 0, errors };
}
