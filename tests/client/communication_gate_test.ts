import { test } from "../_harness.ts";
import { assertEquals, assertThrows } from "../_assert.ts";
import {
  CommunicationPolicyError,
  CommunicationPolicyGate,
  ruleFromSeed,
  ruleToSeed,
} from "../../client/communication_gate.ts";

test("communication gate: no rules means deny with the runtime's message", () => {
  const gate = new CommunicationPolicyGate();
  assertEquals(gate.evaluate({ sender: "a", recipient: "b" }), {
    allowed: false,
    rule: null,
    reason: "No matching rule and default is deny",
  });
  const open = CommunicationPolicyGate.permissive();
  assertEquals(open.evaluate({ sender: "a", recipient: "b" }).allowed, true);
  assertEquals(
    open.evaluate({ sender: "a", recipient: "b" }).reason,
    "No matching rule and default is allow",
  );
});

test("communication gate: highest priority first, first match wins, deny reads [name] reason", () => {
  const gate = new CommunicationPolicyGate();
  const low = gate.add({ from_agent: "analyst", to_agent: "*", action: "allow", priority: 1 });
  const high = gate.add({
    name: "quarantine",
    from_agent: "analyst",
    to_agent: "reporter",
    action: "deny",
    reason: "analyst is quarantined",
    priority: 50,
  });
  const denied = gate.evaluate({
    sender: "analyst",
    recipient: "reporter",
    action: "send_message",
  });
  assertEquals(denied.allowed, false);
  assertEquals(denied.reason, "[quarantine] analyst is quarantined");
  assertEquals(denied.rule?.id, high.id);
  const allowed = gate.evaluate({ sender: "analyst", recipient: "archivist" });
  assertEquals([allowed.allowed, allowed.rule?.id], [true, low.id]);
  assertEquals(gate.evaluate({ sender: "intern", recipient: "archivist" }).rule, null);
  // Removing the high-priority deny lets the lower allow decide.
  assertEquals(gate.remove(high.id), true);
  assertEquals(gate.remove(high.id), false);
  assertEquals(gate.evaluate({ sender: "analyst", recipient: "reporter" }).allowed, true);
});

test("communication gate: equal priorities keep insertion order, list is evaluation order", () => {
  const gate = new CommunicationPolicyGate();
  gate.add({ id: "first", from_agent: "a", action: "deny", reason: "one", priority: 5 });
  gate.add({ id: "second", from_agent: "a", action: "allow", priority: 5 });
  gate.add({ id: "top", to_agent: "z", action: "allow", priority: 9 });
  gate.add({ id: "bottom", action: "allow" });
  assertEquals(gate.list().map((r) => r.id), ["top", "first", "second", "bottom"]);
  assertEquals(gate.evaluate({ sender: "a", recipient: "b" }).reason, "[a->*] one");
  assertEquals(gate.evaluate({ sender: "a", recipient: "z" }).rule?.id, "top");
  assertEquals(gate.evaluate({ sender: "q", recipient: "r" }).rule?.id, "bottom");
});

test("communication gate: max_depth and message actions narrow a rule", () => {
  const gate = new CommunicationPolicyGate({
    rules: [
      { from_agent: "analyst", to_agent: "reporter", action: "allow", priority: 10, max_depth: 3 },
      {
        from_agent: "*",
        to_agent: "auditor",
        action: "send_message",
        effect: "allow",
        priority: 5,
      },
    ],
  });
  assertEquals(gate.evaluate({ sender: "analyst", recipient: "reporter", depth: 3 }).allowed, true);
  assertEquals(
    gate.evaluate({ sender: "analyst", recipient: "reporter", depth: 4 }).allowed,
    false,
  );
  assertEquals(gate.evaluate({ sender: "x", recipient: "auditor" }).allowed, true);
  assertEquals(
    gate.evaluate({ sender: "x", recipient: "auditor", action: "delegate" }).allowed,
    false,
  );
});

test("communication gate: runtime condition/effect form with any/all, and seed round trip", () => {
  const gate = new CommunicationPolicyGate();
  gate.add({
    name: "ops-block",
    priority: 100,
    condition: {
      type: "all",
      conditions: [
        {
          type: "any",
          conditions: [{ type: "sender_is", agent: "a" }, { type: "sender_is", agent: "b" }],
        },
        { type: "recipient_is", agent: "ops" },
      ],
    },
    effect: { type: "deny", reason: "no direct ops access" },
  });
  gate.add({
    name: "everyone",
    priority: 0,
    condition: { type: "always" },
    effect: { type: "allow" },
  });
  assertEquals(
    gate.evaluate({ sender: "b", recipient: "ops" }).reason,
    "[ops-block] no direct ops access",
  );
  assertEquals(gate.evaluate({ sender: "c", recipient: "ops" }).allowed, true);
  assertEquals(ruleToSeed(gate.list()[0]), null);
  const seed = {
    id: "r9",
    name: "analyst->reporter",
    from_agent: "analyst",
    to_agent: "reporter",
    action: "deny",
    reason: "nope",
    priority: 10,
    max_depth: 2,
  };
  assertEquals(ruleToSeed(ruleFromSeed(seed, "unused")), seed);
  assertEquals(ruleFromSeed({ action: "allow" }, "x").condition, { type: "always" });
});

test("communication gate: malformed rules and requests get typed errors", () => {
  const gate = new CommunicationPolicyGate();
  const cases: [unknown, string][] = [
    [{ from_agent: "a", action: "allow", priority: -1 }, "priority"],
    [{ from_agent: "a", action: "allow", priority: 1.5 }, "priority"],
    [{ from_agent: "a", action: "allow", priority: 2 ** 32 }, "priority"],
    [{ from_agent: "", action: "allow" }, "from_agent"],
    [{ from_agent: "a", action: "allow", effect: "deny" }, "effect"],
    [{ from_agent: "a", action: "allow", max_depth: -2 }, "max_depth"],
    [
      { name: "x", condition: { type: "sender_like", agent: "a" }, effect: { type: "allow" } },
      "condition.type",
    ],
    [{ name: "x", condition: { type: "always" }, effect: { type: "deny" } }, "effect.reason"],
    [{ condition: { type: "always" }, effect: { type: "allow" } }, "name"],
  ];
  for (const [rule, field] of cases) {
    const error = assertThrows(() => gate.add(rule as never), CommunicationPolicyError);
    assertEquals(
      [error.code, error.field],
      ["COMMUNICATION_RULE_INVALID", field],
      JSON.stringify(rule),
    );
  }
  gate.add({ id: "same", action: "allow" });
  assertEquals(
    assertThrows(() => gate.add({ id: "same", action: "deny" }), CommunicationPolicyError).code,
    "COMMUNICATION_RULE_DUPLICATE",
  );
  const bad = assertThrows(
    () => gate.evaluate({ sender: "", recipient: "b" }),
    CommunicationPolicyError,
  );
  assertEquals([bad.code, bad.field], ["COMMUNICATION_REQUEST_INVALID", "sender"]);
  assertEquals(
    assertThrows(
      () => gate.evaluate({ sender: "a", recipient: "b", depth: -1 }),
      CommunicationPolicyError,
    ).field,
    "depth",
  );
  // The gate hands out copies: editing a listed rule does not change the gate.
  gate.list()[0].priority = 99;
  assertEquals(gate.list()[0].priority, 0);
});
