/**
 * `agents.list()` returning 100 agents over loopback against raw `fetch` + `res.json()`, in the same
 * run and against the same server (the runtime double, served by Deno.serve in this process).
 * Budget (issue 3): at most 1.15x the raw time with validation on.
 *
 *   deno bench -A bench/client_bench.ts
 */
import { Client } from "../client/mod.ts";
import { createRuntimeDouble, serve } from "../testing/mod.ts";

const double = createRuntimeDouble({ apiToken: "bench", readyAfterMs: 0 });
for (let i = 0; i < 100; i++) double.seedAgent({ name: `agent-${i}`, state: "Running" });
const server = await serve(double.fetch);
const url = `${server.url}/api/v1/agents`;
const headers = { authorization: "Bearer bench", accept: "application/json" };

const strict = new Client({ baseUrl: server.url, apiKey: "bench", validationMode: "strict" });
const off = new Client({ baseUrl: server.url, apiKey: "bench", validationMode: "off" });

// Warm up both paths once so connection setup is not in the first sample.
await (await fetch(url, { headers })).json();
if ((await strict.agents.list()).length !== 100) throw new Error("expected 100 agents");

Deno.bench("raw fetch + res.json()", { group: "agents.list x100", baseline: true }, async () => {
  const response = await fetch(url, { headers });
  const data = await response.json();
  if (data.length !== 100) throw new Error("short");
});

Deno.bench("client.agents.list() strict validation", { group: "agents.list x100" }, async () => {
  const agents = await strict.agents.list();
  if (agents.length !== 100) throw new Error("short");
});

Deno.bench("client.agents.list() validation off", { group: "agents.list x100" }, async () => {
  const agents = await off.agents.list();
  if (agents.length !== 100) throw new Error("short");
});
