/**
 * The contract every StorageAdapter keeps, as tests: registered once per adapter by
 * tests/memory/storage_test.ts (memory, folder, Deno KV) and tests/workerd/memory_test.ts
 * (Workers KV). Imports nothing runtime-specific, so it also runs inside workerd.
 */
import { type Runtime, test, type TestContext } from "../_harness.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import {
  type AgentMemoryContext,
  MarkdownMemoryStore,
  MemoryError,
  type StorageAdapter,
} from "../../memory/mod.ts";

/** Makes a fresh, empty adapter; registers its clean-up on `t`. */
export type MakeAdapter = (t: TestContext) => Promise<StorageAdapter>;

/** Text of about `bytes` UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters. */
export function bigText(bytes: number, seed: string): string {
  const unit = `${seed}: aé€😀 line\n`;
  return unit.repeat(Math.ceil(bytes / new TextEncoder().encode(unit).length));
}

export const HOSTILE_KEYS = [
  "",
  "../escape.md",
  "a/../../escape.md",
  "/etc/passwd",
  "a//b.md",
  "a/b/",
  "a\\..\\b.md",
  "a/\0b.md",
  "a/\nb.md",
  ".hidden/memory.md",
  "a/./b.md",
  "x".repeat(256),
  `${"y/".repeat(520)}z`,
];

export function context(
  agentId: string,
  extra: Partial<AgentMemoryContext> = {},
): AgentMemoryContext {
  return {
    agentId,
    facts: ["fact one", "fact two"],
    procedures: ["step one"],
    learnedPatterns: [],
    metadata: {},
    ...extra,
  };
}

/** Registers the adapter contract tests for one adapter. */
export function adapterConformance(
  name: string,
  make: MakeAdapter,
  runtimes?: Runtime[],
): void {
  const opts = { runtimes, timeoutMs: 60_000 };

  test(`memory: ${name}: get, put, overwrite and delete`, async (t) => {
    const s = await make(t);
    assertEquals(await s.get("agent-1/memory.md"), undefined);
    await s.put("agent-1/memory.md", "first ✓ 😀");
    assertEquals(await s.get("agent-1/memory.md"), "first ✓ 😀");
    await s.put("agent-1/memory.md", "");
    assertEquals(await s.get("agent-1/memory.md"), "");
    await s.put("agent-1/memory.md", "second");
    assertEquals(await s.get("agent-1/memory.md"), "second");
    await s.delete("agent-1/memory.md");
    assertEquals(await s.get("agent-1/memory.md"), undefined);
    await s.delete("agent-1/memory.md"); // missing: fine
    await s.delete("never/was.md");
  }, opts);

  test(`memory: ${name}: list by prefix is complete, exact and sorted`, async (t) => {
    const s = await make(t);
    const keys = [
      "b/memory.md",
      "a/logs/2026-01-02.md",
      "a/memory.md",
      "ab/memory.md",
      "a/logs/2026-01-01.md",
      "é/x.md",
      "z/x.md",
    ];
    for (const key of keys) await s.put(key, key);
    const sorted = [
      "a/logs/2026-01-01.md",
      "a/logs/2026-01-02.md",
      "a/memory.md",
      "ab/memory.md",
      "b/memory.md",
      "z/x.md",
      "é/x.md",
    ];
    assertEquals(await s.list(""), sorted);
    assertEquals(await s.list("a/"), [
      "a/logs/2026-01-01.md",
      "a/logs/2026-01-02.md",
      "a/memory.md",
    ]);
    assertEquals(await s.list("a"), sorted.slice(0, 4));
    assertEquals(await s.list("a/logs/2026-01-0"), [
      "a/logs/2026-01-01.md",
      "a/logs/2026-01-02.md",
    ]);
    assertEquals(await s.list("a/mem"), ["a/memory.md"]);
    assertEquals(await s.list("c/"), []);
    await s.delete("a/memory.md");
    assertEquals(await s.list("a/"), ["a/logs/2026-01-01.md", "a/logs/2026-01-02.md"]);
  }, opts);

  test(`memory: ${name}: hostile keys and prefixes are refused`, async (t) => {
    const s = await make(t);
    for (const key of HOSTILE_KEYS) {
      for (const call of [() => s.get(key), () => s.put(key, "x"), () => s.delete(key)]) {
        const error = await assertRejects(call, MemoryError);
        assertEquals(error.code, "MEMORY_INVALID_KEY", `key ${JSON.stringify(key.slice(0, 20))}`);
      }
    }
    for (const prefix of ["../", "/", "a\\b", "a//", "\0"]) {
      const error = await assertRejects(() => s.list(prefix), MemoryError);
      assertEquals(error.code, "MEMORY_INVALID_KEY");
    }
    assertEquals(await s.list(""), []); // nothing was written anywhere
  }, opts);

  test(`memory: ${name}: large values round-trip byte for byte`, async (t) => {
    const s = await make(t);
    const big = bigText(2_500_000, "big");
    await s.put("agent-big/memory.md", big);
    assertEquals(await s.get("agent-big/memory.md"), big);
    const other = bigText(300_000, "other");
    await s.put("agent-big/memory.md", other);
    assertEquals(await s.get("agent-big/memory.md"), other);
    await s.put("agent-big/memory.md", "small again");
    assertEquals(await s.get("agent-big/memory.md"), "small again");
    assertEquals(await s.list("agent-big/"), ["agent-big/memory.md"]);
  }, opts);

  test(`memory: ${name}: concurrent writers never leave a torn value`, async (t) => {
    const s = await make(t);
    const values = Array.from({ length: 12 }, (_, i) => bigText(90_000 + i * 7_000, `writer ${i}`));
    await s.put("agent-c/memory.md", values[0]);
    const reads: Promise<string | undefined>[] = [];
    const writes = values.map(async (value, i) => {
      reads.push(s.get("agent-c/memory.md"));
      await s.put("agent-c/memory.md", value);
      if (i % 3 === 0) reads.push(s.get("agent-c/memory.md"));
    });
    await Promise.all(writes);
    for (const read of await Promise.all(reads)) {
      assert(read !== undefined && values.includes(read), "a read saw a value nobody wrote");
    }
    const final = await s.get("agent-c/memory.md");
    assert(final !== undefined && values.includes(final), "the final value is torn");
    assertEquals(await s.list("agent-c/"), ["agent-c/memory.md"]);
  }, opts);

  test(`memory: ${name}: MarkdownMemoryStore round trip over the adapter`, async (t) => {
    const store = new MarkdownMemoryStore(await make(t));
    const saved = context("agent-x", {
      facts: ["multi\nline", "plain"],
      metadata: { owner: "ops", nested: { n: [1, 2] } },
    });
    await store.saveContext("agent-x", saved);
    await store.saveContext("agent-y", context("agent-y"));
    assertEquals(await store.loadContext("agent-x"), saved);
    assertEquals(await store.listAgentContexts(), ["agent-x", "agent-y"]);
    assertEquals((await store.listDailyLogs("agent-x")).length, 1);
    assertEquals(await store.deleteContext("agent-x"), true);
    assertEquals(await store.loadContext("agent-x"), undefined);
    assertEquals(await store.listDailyLogs("agent-x"), []);
    assertEquals(await store.listAgentContexts(), ["agent-y"]);
    assertEquals(await store.deleteContext("agent-x"), false);
  }, opts);
}
