import { mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test, type TestContext } from "../_harness.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../_assert.ts";
import {
  type AgentMemoryContext,
  MarkdownMemoryStore,
  MemoryError,
  MemoryStorage,
  type StorageAdapter,
} from "../../memory/mod.ts";
import { FsStorage } from "../../memory/fs_storage.ts";
import { bigText, context } from "./_conformance.ts";

const fixtures = fileURLToPath(new URL("../testdata/memory/", import.meta.url));
const fixture = (name: string) => readFile(join(fixtures, name), "utf8");

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "symbiont-store-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A fixed clock: 2026-03-31T10:20:30Z. */
const NOW = () => new Date(Date.UTC(2026, 2, 31, 10, 20, 30));

/**
 * An independent reading of the Python SDK's parser as the spec describes it (headings matched
 * case-insensitively, only trimmed `- ` lines of the three sections): what they see of our files.
 */
function pythonView(text: string) {
  const out: Record<string, string[]> = { facts: [], procedures: [], learned_patterns: [] };
  const map: Record<string, string> = {
    "facts": "facts",
    "procedures": "procedures",
    "learned patterns": "learned_patterns",
  };
  let section: string | undefined;
  for (const line of text.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/)) {
    const s = line.trim();
    if (s.startsWith("## ")) section = map[s.slice(3).trim().toLowerCase()];
    else if (s.startsWith("- ") && section) out[section].push(s.slice(2));
  }
  return out;
}

test("memory: saved files are byte for byte what the Python SDK writes", async (t) => {
  const root = await tempDir(t);
  const store = new MarkdownMemoryStore(root, { now: NOW });
  await store.saveContext(
    "agent-py",
    context("agent-py", {
      facts: ["Earth orbits the Sun", "Water boils at 100 C"],
      procedures: ["Check the logs first"],
    }),
  );
  assertEquals(
    await readFile(join(root, "agent-py", "memory.md"), "utf8"),
    await fixture("python_memory.md"),
  );
  assertEquals(
    await readFile(join(root, "agent-py", "logs", "2026-03-31.md"), "utf8"),
    "### Update at 10:20:30\n- Facts: 2\n- Procedures: 1\n- Learned Patterns: 0\n",
  );
});

test("memory: files written by the Python SDK and the runtime load", async (t) => {
  const root = await tempDir(t);
  const storage = new FsStorage(root);
  await storage.put("agent-py/memory.md", await fixture("python_memory.md"));
  await storage.put("agent-py/logs/2026-03-30.md", await fixture("python_log.md"));
  const runtimeId = "6f1c2a7e-8d0b-4c55-9a43-1f0e2d3c4b5a";
  await storage.put(`${runtimeId}/memory.md`, await fixture("runtime_memory.md"));
  const store = new MarkdownMemoryStore(root);
  assertEquals(
    await store.loadContext("agent-py"),
    context("agent-py", {
      facts: ["Earth orbits the Sun", "Water boils at 100 C"],
      procedures: ["Check the logs first"],
    }),
  );
  assertEquals(await store.loadContext(runtimeId), {
    agentId: runtimeId,
    facts: ["The API rate limit is 100 requests per minute"],
    procedures: [],
    learnedPatterns: ["Retries succeed after a 2 second backoff"],
    metadata: {},
  });
  assertEquals(await store.listAgentContexts(), [runtimeId, "agent-py"]);
  assertEquals(await store.listDailyLogs("agent-py"), ["2026-03-30"]);
  assertEquals(await store.readDailyLog("agent-py", "2026-03-30"), await fixture("python_log.md"));
});

test("memory: metadata, multi-line items and unknown sections survive, hidden from Python", async () => {
  const storage = new MemoryStorage();
  await storage.put("agent-hand/memory.md", await fixture("hand_edited.md"));
  const store = new MarkdownMemoryStore(storage);
  const loaded = await store.loadContext("agent-hand");
  assertEquals(loaded?.facts, ["Upper-case heading still counts"]);
  assertEquals(loaded?.procedures, ["Lower-case heading too\nwrapped onto a second line"]);

  const tricky: AgentMemoryContext = {
    agentId: "agent-hand",
    facts: [
      "first\n- not an item\n## Facts\n# Title\n\n  indented\n\\ backslash",
      " leading space",
      "",
    ],
    procedures: ["tab\there", "\\n stays", "\\"],
    learnedPatterns: ["ends with newline\n"],
    metadata: { s: "line\u2028- injected\n## Facts", n: -1, list: [true, null, { deep: "x" }] },
  };
  await store.saveContext("agent-hand", tricky);
  assertEquals(await store.loadContext("agent-hand"), tricky);
  const text = (await storage.get("agent-hand/memory.md")) ?? "";
  assertStringIncludes(text, "## Goals\nShip the release by Friday.\n\n- not a fact");
  assertStringIncludes(text, "## Notes\n```sh\nmake test\n```\n");
  // What the Python SDK reads of it: first lines only, nothing injected.
  assertEquals(pythonView(text), {
    facts: ["first", "\\ leading space", "\\"],
    procedures: ["tab\there", "\\n stays", "\\\\"],
    learned_patterns: ["ends with newline"],
  });
  // Saving again keeps the unknown sections once, not twice.
  await store.saveContext("agent-hand", tricky);
  assertEquals((await storage.get("agent-hand/memory.md"))?.split("## Goals").length, 2);
});

test("memory: agent ids that could escape the root are refused everywhere", async (t) => {
  const root = await tempDir(t);
  const store = new MarkdownMemoryStore(join(root, "store"));
  const hostile = [
    "",
    "..",
    ".",
    "../outside",
    "a/b",
    "a\\b",
    "/etc",
    "C:\\x",
    "c:x",
    "nul\0byte",
    "line\nbreak",
    ".hidden",
    " padded",
    "padded ",
    "x".repeat(256),
    "é".repeat(128),
    "a*b",
    "a\u2028b",
  ];
  for (const id of hostile) {
    const calls = [
      () => store.saveContext(id, context(id)),
      () => store.loadContext(id),
      () => store.deleteContext(id),
      () => store.listDailyLogs(id),
      () => store.appendDailyLog(id, "x"),
      () => store.compact(id),
    ];
    for (const call of calls) {
      const error = await assertRejects(call, MemoryError);
      assertEquals(error.code, "MEMORY_INVALID_AGENT_ID", JSON.stringify(id.slice(0, 20)));
    }
  }
  await assertRejects(() => store.loadContext(42 as unknown as string), MemoryError);
  const fine = ["6f1c2a7e-8d0b-4c55-9a43-1f0e2d3c4b5a", "agent_1.v2", "x".repeat(255), "名前"];
  for (const id of fine) await store.saveContext(id, context(id));
  assertEquals((await store.listAgentContexts()).length, fine.length);
  assertEquals(await stat(join(root, "outside")).catch(() => undefined), undefined);
});

test("memory: bad contexts and options get typed errors", async () => {
  const store = new MarkdownMemoryStore(new MemoryStorage());
  const bad: unknown[] = [
    null,
    { ...context("other") },
    { ...context("a"), facts: "not a list" },
    { ...context("a"), facts: [1] },
    { ...context("a"), facts: ["carriage\rreturn"] },
    { ...context("a"), procedures: ["nul\0"] },
    { ...context("a"), metadata: [] },
    { ...context("a"), metadata: { n: NaN } },
    { ...context("a"), metadata: { d: new Date() } },
    { ...context("a"), metadata: { f: () => 1 } },
  ];
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  bad.push({ ...context("a"), metadata: cyclic });
  for (const value of bad) {
    const error = await assertRejects(
      () => store.saveContext("a", value as AgentMemoryContext),
      MemoryError,
    );
    assertEquals(error.code, "MEMORY_INVALID_CONTEXT");
  }
  assertEquals(await store.loadContext("a"), undefined);
  for (const options of [{ retentionDays: -1 }, { retentionDays: 1.5 }, { retentionDays: NaN }]) {
    const error = assertThrows(
      () => new MarkdownMemoryStore(new MemoryStorage(), options),
      MemoryError,
    );
    assertEquals(error.code, "MEMORY_INVALID_OPTION");
  }
  assertThrows(() => new MarkdownMemoryStore({} as StorageAdapter), MemoryError);
  assertThrows(() => new MarkdownMemoryStore(""), MemoryError);
  const error = await assertRejects(() => store.readDailyLog("a", "2026-02-30"), MemoryError);
  assertEquals(error.code, "MEMORY_INVALID_OPTION");
});

test("memory: a broken metadata block is reported, and a save repairs it", async () => {
  const storage = new MemoryStorage();
  const store = new MarkdownMemoryStore(storage);
  await storage.put(
    "a/memory.md",
    "# Agent Memory: a\n\n## Facts\n- f\n\n## Metadata\n```json\n{oops\n```\n",
  );
  const error = await assertRejects(() => store.loadContext("a"), MemoryError);
  assertEquals(error.code, "MEMORY_CORRUPT");
  await store.saveContext("a", context("a", { metadata: { ok: true } }));
  assertEquals((await store.loadContext("a"))?.metadata, { ok: true });
});

/** Wraps an adapter so that writes of matching keys fail, as a full disk would. */
function failingWrites(
  inner: StorageAdapter,
  match: (key: string) => boolean,
): StorageAdapter & { fail: boolean } {
  const wrapper = {
    fail: true,
    get: (key: string) => inner.get(key),
    list: (prefix: string) => inner.list(prefix),
    delete: (key: string) => inner.delete(key),
    put: (key: string, value: string) =>
      wrapper.fail && match(key)
        ? Promise.reject(
          Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" }),
        )
        : inner.put(key, value),
  };
  return wrapper;
}

test("memory: a failed save leaves the previous context and log untouched", async (t) => {
  const fs = new FsStorage(await tempDir(t));
  const storage = failingWrites(fs, (key) => key.endsWith("memory.md"));
  storage.fail = false;
  const store = new MarkdownMemoryStore(storage, { now: NOW });
  const before = context("agent-1", { metadata: { v: 1 } });
  await store.saveContext("agent-1", before);
  const log = await store.readDailyLog("agent-1", "2026-03-31");
  storage.fail = true;
  const error = await assertRejects(
    () => store.saveContext("agent-1", context("agent-1", { facts: ["new"] })),
    MemoryError,
  );
  assertEquals(error.code, "MEMORY_STORAGE_FAILED");
  assertStringIncludes(error.message, "agent-1/memory.md");
  assertEquals(await store.loadContext("agent-1"), before);
  assertEquals(await store.readDailyLog("agent-1", "2026-03-31"), log);
  // A failing log append says the context itself was saved.
  const logFails = new MarkdownMemoryStore(failingWrites(fs, (key) => key.includes("/logs/")));
  const logError = await assertRejects(
    () => logFails.saveContext("agent-1", context("agent-1", { facts: ["newer"] })),
    MemoryError,
  );
  assertStringIncludes(logError.message, "was saved");
  assertEquals((await store.loadContext("agent-1"))?.facts, ["newer"]);
});

test("memory: concurrent saves to one agent never tear the file and log every save", async (t) => {
  const root = await tempDir(t);
  const store = new MarkdownMemoryStore(root, { now: NOW });
  const contexts = Array.from({ length: 25 }, (_, i) =>
    context("agent-c", {
      facts: Array.from({ length: 200 + i }, (_, j) => `fact ${i}.${j} ${"x".repeat(i * 10)}`),
      metadata: { writer: i },
    }));
  await Promise.all(contexts.map((c) => store.saveContext("agent-c", c)));
  const loaded = await store.loadContext("agent-c");
  assertEquals(loaded, contexts[contexts.length - 1]); // one store instance: saves run in order
  // A second instance on the same folder races the first: any winner, never a mix.
  const other = new MarkdownMemoryStore(root, { dailyLogs: false });
  await Promise.all(
    contexts.flatMap((
      c,
      i,
    ) => [store.saveContext("agent-c", c), other.saveContext("agent-c", contexts[24 - i])]),
  );
  const final = await store.loadContext("agent-c");
  assert(contexts.some((c) => JSON.stringify(c) === JSON.stringify(final)), "torn context");
  const log = (await store.readDailyLog("agent-c", "2026-03-31")) ?? "";
  assertEquals(log.split("### Update at").length - 1, 50);
});

test("memory: large contexts round-trip on disk", async (t) => {
  const store = new MarkdownMemoryStore(await tempDir(t));
  const big = context("agent-big", {
    facts: Array.from({ length: 5_000 }, (_, i) => `fact ${i}\nsecond line of ${i}`),
    procedures: [bigText(1_000_000, "one huge procedure")],
    metadata: { blob: bigText(200_000, "meta") },
  });
  await store.saveContext("agent-big", big);
  assertEquals(await store.loadContext("agent-big"), big);
});

test("memory: compact removes logs by the date in their name, not by file time", async (t) => {
  const root = await tempDir(t);
  const storage = new FsStorage(root);
  const store = new MarkdownMemoryStore(storage, { retentionDays: 30, now: NOW });
  for (const date of ["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-31"]) {
    await storage.put(`a/logs/${date}.md`, date);
  }
  await storage.put("b/logs/2025-12-31.md", "old");
  await storage.put("a/logs/notes.md", "not a dated log");
  // File times say the opposite of the names: the old log is fresh, the new one ancient.
  const ancient = new Date(Date.UTC(2020, 0, 1));
  await utimes(join(root, "a", "logs", "2026-03-31.md"), ancient, ancient);
  await utimes(join(root, "a", "logs", "2026-02-27.md"), new Date(), new Date());
  assertEquals(await store.compact("a"), [
    { agentId: "a", date: "2026-02-27" },
    { agentId: "a", date: "2026-02-28" },
  ]);
  assertEquals(await store.listDailyLogs("a"), ["2026-03-01", "2026-03-31"]);
  assertEquals(await store.listDailyLogs("b"), ["2025-12-31"]);
  assertEquals(await store.compact(), [{ agentId: "b", date: "2025-12-31" }]);
  assertEquals(await storage.get("a/logs/notes.md"), "not a dated log");
  const stats = await store.getStorageStats();
  assertEquals(stats.lastCleanup?.toISOString(), "2026-03-31T10:20:30.000Z");
  const keepToday = new MarkdownMemoryStore(storage, { retentionDays: 0, now: NOW });
  assertEquals(await keepToday.compact(), [{ agentId: "a", date: "2026-03-01" }]);
});

test("memory: storage stats count contexts, logs and bytes", async (t) => {
  const root = await tempDir(t);
  const store = new MarkdownMemoryStore(root, { now: NOW });
  assertEquals(await store.getStorageStats(), {
    totalContexts: 0,
    totalDailyLogs: 0,
    totalSizeBytes: 0,
    lastCleanup: undefined,
    storagePath: root,
  });
  await store.saveContext("a", context("a"));
  await store.saveContext("b", context("b", { facts: ["é"] }));
  await store.appendDailyLog("c", "only a log");
  const stats = await store.getStorageStats();
  let bytes = 0;
  for (
    const file of [
      "a/memory.md",
      "a/logs/2026-03-31.md",
      "b/memory.md",
      "b/logs/2026-03-31.md",
      "c/logs/2026-03-31.md",
    ]
  ) {
    bytes += (await stat(join(root, file))).size;
  }
  assertEquals(stats.totalContexts, 2);
  assertEquals(stats.totalDailyLogs, 3);
  assertEquals(stats.totalSizeBytes, bytes);
  assertEquals(await store.listAgentContexts(), ["a", "b"]);
  assertEquals(await store.readDailyLog("c", "2026-03-31"), "only a log\n");
});

test("memory: a store built from a path uses plain files in the shared layout", async (t) => {
  const root = join(await tempDir(t), "not", "yet", "there");
  const store = new MarkdownMemoryStore(root, { now: NOW });
  assertEquals(await store.listAgentContexts(), []);
  assertEquals(await store.loadContext("agent-1"), undefined);
  await store.saveContext("agent-1", context("agent-1"));
  assertStringIncludes(
    await readFile(join(root, "agent-1", "memory.md"), "utf8"),
    "# Agent Memory: agent-1\n",
  );
  await writeFile(join(root, "agent-1", "memory.md"), await fixture("python_memory.md"));
  assertEquals((await store.loadContext("agent-1"))?.facts.length, 2);
  assertEquals(await store.deleteContext("agent-1"), true);
  assertEquals(await stat(join(root, "agent-1")).catch(() => "gone"), "gone");
});
