import { test } from "./_harness.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "./_assert.ts";
import {
  cedarActionId,
  CedarError,
  checkAction,
  checkToolCall,
  initCedar,
  validatePolicies,
} from "../cedar/mod.ts";
import { generateCedarPolicy, parseManifest } from "../toolclad/mod.ts";

const agentId = "6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f";
const other = "0b8e1f8a-2c44-4d77-9b1e-5f2a7c9d3e10";

test("cedar: the engine loads on this runtime", async () => {
  const version = await initCedar();
  assert(/^\d+\.\d+/.test(version), version);
});

test("cedar: no active policies deny, as the runtime's gate (fail-closed)", async () => {
  const none = await checkToolCall({ policies: [], agentId, toolName: "nmap_scan" });
  assertEquals([none.decision, none.message], ["deny", "No Cedar policies loaded"]);
  const inactive = await checkToolCall({
    policies: [{ name: "all", source: "permit(principal, action, resource);", active: false }],
    agentId,
    toolName: "nmap_scan",
  });
  assertEquals(inactive.decision, "deny");
});

test("cedar: permit allows, forbid overrides, other tools are not permitted", async () => {
  const policies = [
    { name: "everything", source: "permit(principal, action, resource);" },
    {
      name: "no-writes",
      source: 'forbid(principal, action == Action::"tool_call::write_file", resource);',
    },
  ];
  const allowed = await checkToolCall({ policies, agentId, toolName: "nmap_scan" });
  assertEquals([allowed.decision, allowed.reasons, allowed.action], [
    "allow",
    ["everything"],
    "tool_call::nmap_scan",
  ]);
  const denied = await checkToolCall({ policies, agentId, toolName: "write_file" });
  assertEquals([denied.decision, denied.reasons], ["deny", ["no-writes"]]);
  assertEquals(denied.message, `Cedar denied action 'tool_call::write_file' for agent ${agentId}`);
  const narrow =
    'permit(principal, action == Action::"tool_call::whois_lookup", resource == Resource::"default");';
  assertEquals(
    (await checkToolCall({ policies: narrow, agentId, toolName: "whois_lookup" })).decision,
    "allow",
  );
  assertEquals(
    (await checkToolCall({ policies: narrow, agentId, toolName: "whois_lookup2" })).decision,
    "deny",
  );
});

test("cedar: principal is Agent::<uuid>, and delegate/respond/terminate map to the runtime's ids", async () => {
  const onlyOne = `permit(principal == Agent::"${agentId}", action, resource);`;
  assertEquals(
    (await checkToolCall({ policies: onlyOne, agentId: agentId.toUpperCase(), toolName: "x" }))
      .decision,
    "allow",
  );
  assertEquals(
    (await checkToolCall({ policies: onlyOne, agentId: other, toolName: "x" })).decision,
    "deny",
  );
  const policies = [
    'permit(principal, action == Action::"delegate::reviewer", resource);',
    'permit(principal, action == Action::"respond", resource);',
  ];
  const delegate = await checkAction({
    policies,
    agentId,
    action: { type: "delegate", target: "reviewer" },
  });
  assertEquals([delegate.decision, delegate.reasons], ["allow", ["policy"]]);
  assertEquals(
    (await checkAction({ policies, agentId, action: { type: "delegate", target: "x" } })).decision,
    "deny",
  );
  assertEquals((await checkAction({ policies, agentId, action: { type: "respond" } })).reasons, [
    "policy1",
  ]);
  assertEquals(
    (await checkAction({ policies, agentId, action: { type: "terminate" } })).decision,
    "deny",
  );
  assertEquals(cedarActionId({ type: "tool_call", name: "a" }), "tool_call::a");
});

test("cedar: context conditions decide; a missing attribute is an error that denies", async () => {
  const policies =
    'permit(principal, action == Action::"tool_call::escalate", resource) when { context.ticket_severity == "critical" };';
  const yes = await checkToolCall({
    policies,
    agentId,
    toolName: "escalate",
    context: { ticket_severity: "critical" },
  });
  assertEquals(yes.decision, "allow");
  const no = await checkToolCall({
    policies,
    agentId,
    toolName: "escalate",
    context: { ticket_severity: "low" },
  });
  assertEquals([no.decision, no.errors], ["deny", []]);
  const missing = await checkToolCall({ policies, agentId, toolName: "escalate" });
  assertEquals(missing.decision, "deny");
  assertEquals(missing.errors.length, 1);
  assertStringIncludes(missing.message, "ticket_severity");
});

test("cedar: a policy that does not parse denies everything, naming the policy", async () => {
  const result = await checkToolCall({
    policies: [
      { name: "good", source: "permit(principal, action, resource);" },
      { name: "broken", source: "permit(principal action resource)" },
    ],
    agentId,
    toolName: "anything",
  });
  assertEquals(result.decision, "deny");
  assertStringIncludes(result.errors[0], "broken:");
  assertStringIncludes(result.message, "Cedar policy parse error");
  assertEquals((await validatePolicies("permit(principal, action, resource);")).valid, true);
  assertEquals((await validatePolicies({ name: "x", source: "forbid(" })).valid, false);
});

test("cedar: multi-policy sources are reported per policy", async () => {
  const source =
    'permit(principal, action, resource);\nforbid(principal, action == Action::"tool_call::rm", resource);';
  const result = await checkToolCall({
    policies: { name: "base", source },
    agentId,
    toolName: "rm",
  });
  assertEquals([result.decision, result.reasons], ["deny", ["base#1"]]);
});

test("cedar: ToolClad-generated policies give the decisions their manifests ask for", async () => {
  const low = parseManifest(`
[tool]
name = "whois_lookup"
version = "1"
binary = "whois"
description = "d"
dispatch = "callback"
`);
  const approval = parseManifest(`
[tool]
name = "zone_transfer"
version = "1"
binary = "dig"
description = "d"
risk_tier = "critical"
human_approval = true
dispatch = "callback"
`);
  const policies = [
    { name: "whois", source: generateCedarPolicy(low) },
    { name: "zone", source: generateCedarPolicy(approval) },
  ];
  assertEquals(
    (await checkToolCall({ policies, agentId, toolName: "whois_lookup" })).decision,
    "allow",
  );
  assertEquals(
    (await checkToolCall({ policies, agentId, toolName: "zone_transfer" })).decision,
    "deny",
  );
  const approved = await checkToolCall({
    policies,
    agentId,
    toolName: "zone_transfer",
    context: { has_human_approval: true },
  });
  assertEquals([approved.decision, approved.reasons], ["allow", ["zone"]]);
  const scoped = generateCedarPolicy(low, { agentId });
  assertEquals(
    (await checkToolCall({ policies: scoped, agentId: other, toolName: "whois_lookup" })).decision,
    "deny",
  );
});

test("cedar: bad input gets CEDAR_INPUT_INVALID", async () => {
  const bad: [Record<string, unknown>, string][] = [
    [{ policies: [], agentId: "agent-1", toolName: "x" }, "agentId"],
    [{ policies: [], agentId, toolName: "" }, "action.name"],
    [{ policies: [], agentId, toolName: "x", context: [] }, "context"],
    [{ policies: [{ name: "", source: "" }], agentId, toolName: "x" }, "policies[0].name"],
    [
      { policies: [{ name: "a", source: "" }, { name: "a", source: "" }], agentId, toolName: "x" },
      "policies[1].name",
    ],
  ];
  for (const [input, field] of bad) {
    const error = await assertRejects(() => checkToolCall(input as never), CedarError);
    assertEquals([error.code, error.field], ["CEDAR_INPUT_INVALID", field]);
  }
  const action = await assertRejects(
    () => checkAction({ policies: [], agentId, action: { type: "exec" } as never }),
    CedarError,
  );
  assertEquals(action.field, "action.type");
});
