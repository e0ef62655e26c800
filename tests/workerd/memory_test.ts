import { test } from "../_harness.ts";
import { assertEquals, assertRejects } from "../_assert.ts";
import { MarkdownMemoryStore, MemoryError, WorkersKvStorage } from "../../memory/mod.ts";
import { workerEnv } from "./_env.ts";
import { adapterConformance, context } from "../memory/_conformance.ts";

let run = 0;
/** A fresh key space in the run's KV namespace for each test. */
const fresh = () => new WorkersKvStorage(workerEnv().KV, { prefix: `t${++run}-${Date.now()}/` });

adapterConformance("WorkersKvStorage", () => Promise.resolve(fresh()));

test("memory: WorkersKvStorage pages through long listings and keeps its prefix", async () => {
  const storage = fresh();
  const ids = Array.from({ length: 1_100 }, (_, i) => `agent-${String(i).padStart(4, "0")}`);
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id) => storage.put(`${id}/memory.md`, id)));
  }
  await workerEnv().KV.put("outside-the-prefix/memory.md", "x");
  const store = new MarkdownMemoryStore(storage);
  assertEquals(await store.listAgentContexts(), ids);
}, { timeoutMs: 60_000 });

test("memory: WorkersKvStorage refuses keys over KV's 512-byte limit before calling KV", async () => {
  const storage = new WorkersKvStorage(workerEnv().KV, { prefix: "p".repeat(200) + "/" });
  const error = await assertRejects(
    () => storage.put(`${"a".repeat(250)}/${"b".repeat(70)}`, "x"),
    MemoryError,
  );
  assertEquals(error.code, "MEMORY_INVALID_KEY");
});

test("memory: MarkdownMemoryStore on Workers KV keeps metadata and logs", async () => {
  const store = new MarkdownMemoryStore(fresh(), {
    now: () => new Date(Date.UTC(2026, 0, 5, 1, 2, 3)),
  });
  const saved = context("agent-w", { metadata: { region: "eu", n: 3 } });
  await store.saveContext("agent-w", saved);
  assertEquals(await store.loadContext("agent-w"), saved);
  assertEquals(
    await store.readDailyLog("agent-w", "2026-01-05"),
    "### Update at 01:02:03\n- Facts: 2\n- Procedures: 1\n- Learned Patterns: 0\n",
  );
  const error = await assertRejects(() => store.loadContext("../other"), MemoryError);
  assertEquals(error.code, "MEMORY_INVALID_AGENT_ID");
});

test("memory: a store given a path fails clearly inside Workers", async () => {
  const store = new MarkdownMemoryStore("/data/memory");
  const error = await assertRejects(() => store.listAgentContexts(), MemoryError);
  assertEquals(error.code, "MEMORY_STORAGE_FAILED");
});
