// The client inside workerd (no nodejs_compat), calling the runtime double over real loopback HTTP
// through the DOUBLE_URL binding: configuration, transport, zod validation and typed errors.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { workerEnv } from "./_env.ts";
import {
  AuthenticationError,
  Client,
  InvalidArgumentError,
  NotFoundError,
  NotOfferedError,
} from "../../client/mod.ts";

// Values of tests/workerd/_double_server.ts (importing it would pull node:http into the worker).
const TOKEN = "workerd-token";
const SEEDED = "0f8fad5b-d9cb-469f-a165-70867728950e";

test("workerd client: health, agent lifecycle and status against the double over loopback", async () => {
  const client = new Client({ baseUrl: workerEnv().DOUBLE_URL, apiKey: TOKEN });
  assertEquals((await client.healthCheck()).status, "healthy");
  const agents = await client.listAgents();
  assert(agents.some((a) => a.id === SEEDED), "seeded agent missing");
  const { id } = await client.createAgent({ name: "from-workerd", dsl: "agent w {}" });
  assertEquals((await client.executeAgent(id)).status, "execution_started");
  assertEquals((await client.getAgentStatus(id)).agent_id, id);
  assertEquals((await client.deleteAgent(id)).status, "deleted");
});

test("workerd client: typed errors (401, 404, not offered, input checks)", async () => {
  const url = workerEnv().DOUBLE_URL;
  await assertRejects(
    () => new Client({ baseUrl: url, apiKey: "wrong" }).listAgents(),
    AuthenticationError,
  );
  const client = new Client({ baseUrl: url, apiKey: TOKEN });
  const missing = await assertRejects(
    () => client.getAgentStatus("6f1c1a55-9d7e-4a43-9a5e-2f0c8d1b7a10"),
    NotFoundError,
  );
  assertEquals(missing.code, "AGENT_NOT_FOUND");
  await assertRejects(() => client.reasoning.listCedarPolicies(SEEDED), NotOfferedError);
  await assertRejects(() => client.getAgentStatus("nope"), InvalidArgumentError);
});
