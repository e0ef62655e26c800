// client.chat over a real WebSocket against the runtime double's /ws/chat (runtime-api.md §7).
import { test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  AuthenticationError,
  type ChatEvent,
  Client,
  ConnectionError,
  NotOfferedError,
} from "../../client/mod.ts";
import { type ChatScript, createRuntimeDouble, serve } from "../../testing/mod.ts";

const local = ["deno", "node", "bun"] as const;

async function chatRuntime(t: TestContext, chat: ChatScript | false) {
  const double = createRuntimeDouble({
    apiToken: "tok",
    readyAfterMs: 0,
    chat,
    chatHeartbeatMs: 0,
  });
  const server = await serve(double);
  t.defer(() => server.close());
  return { double, url: server.url, client: new Client({ baseUrl: server.url, apiKey: "tok" }) };
}

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

test(
  "chat: a request yields tool calls, policy decisions and ends at the final chunk",
  async (t) => {
    const { client, double } = await chatRuntime(t, () => ({
      iterations: [
        {
          toolCalls: [{ name: "list_agents" }, {
            name: "delegate",
            arguments: { agent: "x" },
            denied: true,
          }],
        },
        {},
      ],
      output: "There are 2 agents.",
    }));
    const session = await client.chat.connect();
    t.defer(() => session.close());
    const events = await collect(session.send("How many agents?"));
    assertEquals(events.map((e) => e.type), [
      "ToolCallStarted",
      "ToolCallStarted",
      "PolicyDecision",
      "PolicyDecision",
      "ChatChunk",
    ]);
    const first = events[0];
    assert(first.type === "ToolCallStarted");
    assertEquals(first.tool_name, "list_agents");
    const decision = events[2];
    assert(decision.type === "PolicyDecision");
    assertEquals([decision.decision, decision.reason], ["partial_deny", "1 denied"]);
    const chunk = events[4];
    assert(chunk.type === "ChatChunk" && chunk.done);
    assertEquals(chunk.content, "There are 2 agents.");
    // Every event of the request carries the request id the runtime generated for it.
    assertEquals(new Set(events.map((e) => (e as { request_id: string }).request_id)).size, 1);
    const received = double.chatConnections()[0].received as { type: string; content?: string }[];
    assertEquals(received.filter((f) => f.type === "ChatSend").map((f) => f.content), [
      "How many agents?",
    ]);
  },
  { runtimes: [...local] },
);

test(
  "chat: several requests in flight each get their own events; LOOP_ERRORs arrive late",
  async (t) => {
    const { client } = await chatRuntime(
      t,
      (content) =>
        content === "fail"
          ? { output: "partial", loopError: "model overloaded" }
          : { output: `echo ${content}` },
    );
    const late: ChatEvent[] = [];
    const session = await client.chat.connect({
      onLateEvent: (e) => late.push(e),
    });
    t.defer(() => session.close());
    const a = session.send("one");
    const b = session.send("fail");
    const c = session.send("three");
    const [ea, eb, ec] = await Promise.all([collect(a), collect(b), collect(c)]);
    const output = (events: ChatEvent[]) =>
      events.filter((e) => e.type === "ChatChunk").map((e) => (e as { content: string }).content);
    assertEquals([output(ea), output(eb), output(ec)], [["echo one"], ["partial"], ["echo three"]]);
    await session.ping();
    assertEquals(late.map((e) => e.type === "Error" ? e.code : e.type), ["LOOP_ERROR"]);
    assertEquals(session.lateEvents.length, 1);
  },
  { runtimes: [...local] },
);

test("chat: unknown frame types are surfaced, not dropped; ping gets a Pong", async (t) => {
  const { client } = await chatRuntime(t, () => ({
    output: "done",
    frames: [{ type: "FutureFrame", detail: 1 }, "not json at all"],
  }));
  const session = await client.chat.connect();
  t.defer(() => session.close());
  await session.ping(5_000);
  const events = await collect(session.send("hi"));
  const unknown = events.filter((e) => e.type === "Unknown");
  assertEquals(unknown.map((e) => e.type === "Unknown" ? e.frame_type : ""), ["FutureFrame", null]);
  assertEquals(events.at(-1)?.type, "ChatChunk");
}, { runtimes: [...local] });

test(
  "chat: a bad token is an AuthenticationError, no coordinator is NotOffered, closes end requests",
  async (t) => {
    const { url, double } = await chatRuntime(t, () => new Promise<never>(() => {}));
    await assertRejects(
      () => new Client({ baseUrl: url, apiKey: "wrong" }).chat.connect(),
      AuthenticationError,
    );
    const none = await chatRuntime(t, false);
    const missing = await assertRejects(() => none.client.chat.connect(), NotOfferedError);
    assertEquals(missing.code, "NOT_OFFERED");
    const session = await new Client({ baseUrl: url, apiKey: "tok" }).chat.connect();
    const pending = collect(session.send("never answered"));
    while (double.chatConnections().length === 0) await new Promise((r) => setTimeout(r, 5));
    double.chatConnections()[0].close(1011, "server going away");
    const closed = await assertRejects(() => pending, ConnectionError);
    assertEquals(closed.code, "CHAT_CLOSED");
    assert(session.closed);
  },
  { runtimes: [...local] },
);

test("chat: an idle request times out with a typed error", async (t) => {
  const { client } = await chatRuntime(t, () => new Promise<never>(() => {}));
  const session = await client.chat.connect();
  t.defer(() => session.close());
  const error = await assertRejects(
    () => collect(session.send("slow", { idleTimeout: 150 })),
    ConnectionError,
  );
  assertEquals(error.code, "TIMEOUT");
}, { runtimes: [...local] });

test("chat: the client answers the runtime's Ping frames with Pong", async (t) => {
  const { client, double } = await chatRuntime(t, () => "ok");
  const session = await client.chat.connect();
  t.defer(() => session.close());
  await session.ping(); // the connection is up on both sides
  const connection = double.chatConnections()[0];
  connection.send({ type: "Ping" });
  const deadline = Date.now() + 5_000;
  const pongs = () =>
    (connection.received as { type?: string }[]).filter((f) => f.type === "Pong").length;
  while (pongs() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assertEquals(pongs(), 1);
}, { runtimes: [...local] });
