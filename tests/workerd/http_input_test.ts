// HTTP Input inside workerd (no nodejs_compat): the client's invoke signs with WebCrypto, routes by
// agent path and parses both success shapes against the HTTP Input double served by Node on
// loopback (HTTP_INPUT_URL); and the double's own fetch handler runs inside the worker.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { workerEnv } from "./_env.ts";
import {
  AuthenticationError,
  Client,
  RateLimitError,
  WebhookInvocationStatus,
} from "../../client/mod.ts";
// http_input_double.ts directly: testing/mod.ts also exports serve.ts (node:http on Node).
import { createHttpInputDouble } from "../../testing/http_input_double.ts";

// Values of tests/workerd/_double_server.ts (importing it would pull node:http into the worker).
const TOKEN = "workerd-input-token";
const SECRET = "workerd-webhook-secret";
const INPUT_AGENT = "3b241101-e2bb-4255-8caf-4136c566a962";
const SCANNER_AGENT = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";

test("http input (workerd): invoke signs, routes and parses both shapes over loopback", async () => {
  const client = new Client({
    httpInputUrl: `${workerEnv().HTTP_INPUT_URL}/webhook`,
    httpInputToken: TOKEN,
  });
  const signature = { provider: "github", secret: SECRET };
  const started = await client.httpInput.invoke({ prompt: "wake up" }, { signature });
  assertEquals(started.status, WebhookInvocationStatus.EXECUTION_STARTED);
  assertEquals(started.agent_id, INPUT_AGENT);
  const completed = await client.httpInput.invoke({ prompt: "scan 10.0.0.1", target: "10.0.0.1" }, {
    agentPath: "scanner",
    signature,
  });
  assert(completed.status === WebhookInvocationStatus.COMPLETED);
  assertEquals(completed.agent_id, SCANNER_AGENT);
  assertEquals(completed.response, "scanned: scan 10.0.0.1");
  assertEquals(completed.tool_runs.map((r) => [r.tool, r.output_preview]), [
    ["toolclad:nmap", "22/tcp open ssh"],
    ["write_file", "[Policy denied] no policy permits tool_call::write_file"],
  ]);
  assertEquals(completed.tool_runs[0].input, { prompt: "scan 10.0.0.1", target: "10.0.0.1" });
  assertEquals(completed.termination_reason, "Completed");
  assertEquals([completed.model, completed.provider], ["workerd-model", "workerd-provider"]);
});

test("http input (workerd): a wrong token, a missing or wrong signature are 401s", async () => {
  const url = `${workerEnv().HTTP_INPUT_URL}/webhook`;
  const good = new Client({ httpInputUrl: url, httpInputToken: TOKEN });
  const wrongToken = new Client({ httpInputUrl: url, httpInputToken: "nope" });
  await assertRejects(
    () =>
      wrongToken.httpInput.invoke({ prompt: "x" }, {
        signature: { provider: "github", secret: SECRET },
      }),
    AuthenticationError,
  );
  await assertRejects(() => good.httpInput.invoke({ prompt: "x" }), AuthenticationError);
  await assertRejects(
    () =>
      good.httpInput.invoke({ prompt: "x" }, {
        signature: { provider: "github", secret: "not-the-secret" },
      }),
    AuthenticationError,
  );
  // The runtime checks only its configured provider's header.
  await assertRejects(
    () =>
      good.httpInput.invoke({ prompt: "x" }, { signature: { provider: "stripe", secret: SECRET } }),
    AuthenticationError,
  );
});

test("http input (workerd): the double's fetch handler in the worker (429 with a held permit)", async () => {
  const double = createHttpInputDouble({
    authHeader: "Bearer w",
    concurrency: 1,
    script: () => ({ status: "completed", response: "ok" }),
  });
  const client = new Client({
    httpInputUrl: "http://input.test/webhook",
    httpInputToken: "w",
    fetch: (input, init) => double.fetch(new Request(input, init)),
  });
  const release = double.hold();
  const first = client.httpInput.invoke({ prompt: "first" });
  await double.whenInFlight(1);
  const busy = await assertRejects(
    () => client.httpInput.invoke({ prompt: "second" }),
    RateLimitError,
  );
  assertEquals(busy.code, "RATE_LIMITED");
  release();
  const done = await first;
  assert(done.status === "completed");
  assertEquals(done.response, "ok");
  assertEquals(double.requests().map((r) => r.status), [429, 200]);
});
