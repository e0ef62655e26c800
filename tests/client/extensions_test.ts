// Issue 5's surfaces on the Client: local engines that work, and remote calls that say clearly
// when the runtime (1.19, here the runtime double) does not offer them.
import { test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { Client, InvalidArgumentError, NotFoundError, NotOfferedError } from "../../client/mod.ts";
import { ToolCladError } from "../../toolclad/mod.ts";
import { buildDiscoveryDocument } from "../../agentpin/mod.ts";
import { createRuntimeDouble, serve } from "../../testing/mod.ts";
import { scripted } from "./_servers.ts";

const local = ["deno", "node", "bun"] as const;

async function onDouble(t: TestContext) {
  const double = createRuntimeDouble({ apiToken: "tok", readyAfterMs: 0, version: "1.19.0" });
  const server = await serve(double.fetch);
  t.defer(() => server.close());
  return new Client({ baseUrl: server.url, apiKey: "tok" });
}

async function fixture(name: string): Promise<string> {
  const fs = await import("node:fs/promises");
  return await fs.readFile(new URL(`../testdata/toolclad/tools/${name}`, import.meta.url), "utf8");
}

test(
  "client.toolclad: local schema, dry run and validation; execution is not offered by 1.19",
  async (t) => {
    const client = await onDouble(t);
    client.toolclad.addManifest(await fixture("port_probe.clad.toml"), "port_probe.clad.toml");
    const listed = await client.toolclad.listTools();
    assertEquals(listed.map((tool) => tool.name), ["port_probe"]);
    const schema = client.toolclad.getSchema("port_probe");
    assertEquals((schema.inputSchema as { required?: string[] }).required?.includes("host"), true);
    const run = client.toolclad.test("port_probe", { host: "10.0.0.1", port: 443 });
    assert(run.argv && run.argv[0] === "nmap", `argv: ${run.argv}`);
    assert(run.argv.includes("10.0.0.1") && run.argv.includes("443"), run.command);
    const broken = client.toolclad.validate('[tool]\nname = "x"\n[args.a]\ntype = "warp_drive"\n');
    assertEquals(broken.valid, false);
    assert(broken.errors.length > 0);
    // Hostile arguments stop locally, before the wire.
    await assertRejects(
      () => client.toolclad.executeTool("port_probe", { host: "10.0.0.1; rm -rf /", port: 80 }),
      ToolCladError,
    );
    const error = await assertRejects(
      () => client.toolclad.executeTool("port_probe", { host: "10.0.0.1", port: 80 }),
      NotOfferedError,
    );
    assertEquals([error.code, error.status, error.runtimeVersion], ["NOT_OFFERED", 404, "1.19.0"]);
    assertStringIncludes(error.message, "version 1.19.0");
    await assertRejects(() => client.toolclad.listTools({ remote: true }), NotOfferedError);
    await assertRejects(() => client.toolclad.reloadTools({ remote: true }), NotOfferedError);
  },
  { runtimes: [...local] },
);

test("client.toolclad: loadTools and reloadTools read real manifests from a folder", async (t) => {
  const fs = await import("node:fs/promises");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "symbiont-tools-"));
  t.defer(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.writeFile(path.join(dir, "port_probe.clad.toml"), await fixture("port_probe.clad.toml"));
  const client = new Client({ baseUrl: "http://127.0.0.1:9" });
  await client.toolclad.loadTools(dir);
  assertEquals(client.toolclad.getSchema("port_probe").description, "Probe one TCP port on a host");
  const text = (await fixture("port_probe.clad.toml")).replace(
    'description = "Probe one TCP port on a host"',
    'description = "Probe a port"',
  );
  await fs.writeFile(path.join(dir, "port_probe.clad.toml"), text);
  await client.toolclad.reloadTools();
  assertEquals(client.toolclad.getSchema("port_probe").description, "Probe a port");
}, { runtimes: [...local] });

test("communication: seed-form rules evaluate locally with priority and default deny", async () => {
  const client = new Client({ baseUrl: "http://127.0.0.1:9" });
  const denied = await client.evaluateCommunication({ sender: "analyst", recipient: "reporter" });
  assertEquals([denied.allowed, denied.reason], [false, "No matching rule and default is deny"]);
  await client.addCommunicationRule({
    from_agent: "analyst",
    to_agent: "reporter",
    action: "allow",
    priority: 10,
    max_depth: 3,
  });
  await client.addCommunicationRule({
    id: "block",
    name: "quarantine",
    from_agent: "analyst",
    action: "deny",
    reason: "analyst is quarantined",
    priority: 20,
  });
  const blocked = await client.evaluateCommunication({ sender: "analyst", recipient: "reporter" });
  assertEquals([blocked.allowed, blocked.reason], [false, "[quarantine] analyst is quarantined"]);
  assertEquals(await client.removeCommunicationRule("block"), true);
  const allowed = await client.evaluateCommunication({ sender: "analyst", recipient: "reporter" });
  assertEquals(allowed.allowed, true);
  assertEquals((await client.listCommunicationRules()).length, 1);
});

test("communication: the runtime's routes are not offered by 1.19", async (t) => {
  const client = await onDouble(t);
  await assertRejects(() => client.listCommunicationRules({ remote: true }), NotOfferedError);
  await assertRejects(
    () => client.evaluateCommunication({ sender: "a", recipient: "b" }, { remote: true }),
    NotOfferedError,
  );
});

test("client.reasoning: every call names what 1.19 lacks; inputs are checked first", async (t) => {
  const client = await onDouble(t);
  const agent = "6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10";
  for (
    const call of [
      () =>
        client.reasoning.runLoop(agent, { initial_message: "hi", config: { max_iterations: 3 } }),
      () => client.reasoning.getJournalEntries(agent, { limit: 5 }),
      () => client.reasoning.listCedarPolicies(agent),
      () => client.reasoning.getCircuitBreakerStatus(agent),
      () => client.reasoning.getToolProfiles(agent),
      () => client.reasoning.getLoopDiagnostics(agent, "loop-1"),
    ]
  ) {
    const error = await assertRejects(call, NotOfferedError);
    assertStringIncludes(error.message, "1.19.0");
  }
  await assertRejects(
    () =>
      client.reasoning.addCedarPolicy(agent, {
        name: "",
        source: "permit(principal, action, resource);",
        active: true,
      }),
    InvalidArgumentError,
  );
  await assertRejects(
    () => client.reasoning.runLoop(agent, { initial_message: "" }),
    InvalidArgumentError,
  );
});

test("client.reasoning: a runtime that serves the routes gets typed answers; its JSON 404 stays NotFound", async (t) => {
  const { url, seen } = await scripted(t, (n) =>
    n === 0
      ? Response.json({
        loop_id: "loop-1",
        result: {
          output: "report ready",
          iterations: 2,
          total_usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          termination_reason: "Completed",
          duration_ms: 40,
        },
      })
      : Response.json({ error: "Agent not found", code: "AGENT_NOT_FOUND", details: null }, {
        status: 404,
      }));
  const client = new Client({ baseUrl: url, apiKey: "k" });
  const run = await client.reasoning.runLoop("agent-1", { initial_message: "go" });
  assertEquals([run.loop_id, run.result.output, run.result.termination_reason], [
    "loop-1",
    "report ready",
    "Completed",
  ]);
  assertEquals(seen[0].path, "/api/v1/agents/agent-1/reasoning/loop");
  const missing = await assertRejects(
    () => client.reasoning.listCedarPolicies("agent-1"),
    NotFoundError,
  );
  assertEquals(missing.code, "AGENT_NOT_FOUND");
  assert(!(missing instanceof NotOfferedError));
});

test("client.agentpin: issue and verify offline as in the seed, on the client", async () => {
  const client = new Client({ baseUrl: "http://127.0.0.1:9" });
  const keys = await client.agentpin.generateKeyPair();
  const kid = await client.agentpin.generateKeyId(keys.publicKeyPem);
  assertEquals(kid, keys.kid);
  const agentId = "urn:agentpin:example.com:data-analyzer";
  const jwt = await client.agentpin.issueCredential({
    privateKeyPem: keys.privateKeyPem,
    kid,
    issuer: "example.com",
    agentId,
    capabilities: ["read:data", "write:reports"],
    ttlSecs: 3600,
  });
  const discovery = buildDiscoveryDocument({
    entity: "example.com",
    publicKeys: [keys.publicKeyJwk],
    agents: [{ agent_id: agentId, name: "analyzer", capabilities: ["read:*", "write:reports"] }],
  });
  const result = await client.agentpin.verifyCredentialOffline(jwt, discovery, null);
  assertEquals([result.valid, result.agentId, result.capabilities], [
    true,
    agentId,
    ["read:data", "write:reports"],
  ]);
});
