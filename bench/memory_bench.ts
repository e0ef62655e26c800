/**
 * Agent memory benchmarks: save plus load of a ~6 KB context on a folder and on Deno KV, and
 * listing 10,000 agents, each next to a raw baseline doing the same I/O without the SDK.
 * Run: deno bench -A bench/memory_bench.ts
 */
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentMemoryContext, DenoKvStorage, MarkdownMemoryStore } from "../memory/mod.ts";
import { FsStorage } from "../memory/fs_storage.ts";

const root = await mkdtemp(join(tmpdir(), "symbiont-memory-bench-"));
globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});

const context: AgentMemoryContext = {
  agentId: "agent-bench",
  facts: Array.from(
    { length: 50 },
    (_, i) => `Fact ${i}: the service at host-${i} answers on port ${8000 + i}`,
  ),
  procedures: Array.from(
    { length: 20 },
    (_, i) => `Step ${i}: check the dashboard\nthen page the on-call engineer`,
  ),
  learnedPatterns: Array.from({ length: 10 }, (_, i) => `Pattern ${i}: errors spike after deploys`),
  metadata: { owner: "ops", revision: 42, tags: ["prod", "eu"] },
};

// --- save + load on a folder ---
const fsStore = new MarkdownMemoryStore(new FsStorage(join(root, "fs")));
const fsStoreNoLog = new MarkdownMemoryStore(new FsStorage(join(root, "fs-nolog")), {
  dailyLogs: false,
});
await fsStore.saveContext("agent-bench", context);
const bytes = await readFile(join(root, "fs", "agent-bench", "memory.md"));
const rawFile = join(root, "raw.md");

Deno.bench(
  "raw writeFile + readFile (baseline)",
  { group: "fs save+load", baseline: true },
  async () => {
    await writeFile(rawFile, bytes);
    await readFile(rawFile, "utf8");
  },
);
Deno.bench(
  "FsStorage put + get (temp file, fdatasync, rename)",
  { group: "fs save+load" },
  async () => {
    const storage = new FsStorage(join(root, "fs-adapter"));
    await storage.put("agent-bench/memory.md", new TextDecoder().decode(bytes));
    await storage.get("agent-bench/memory.md");
  },
);
Deno.bench(
  "MarkdownMemoryStore save + load, daily logs off",
  { group: "fs save+load" },
  async () => {
    await fsStoreNoLog.saveContext("agent-bench", context);
    await fsStoreNoLog.loadContext("agent-bench");
  },
);
Deno.bench(
  "MarkdownMemoryStore save + load (with daily log)",
  { group: "fs save+load" },
  async () => {
    await fsStore.saveContext("agent-bench", context);
    await fsStore.loadContext("agent-bench");
  },
);

// --- save + load on Deno KV ---
const kv = await Deno.openKv(join(root, "kv.sqlite"));
const kvStore = new MarkdownMemoryStore(new DenoKvStorage(kv), { dailyLogs: false });
const kvStoreLog = new MarkdownMemoryStore(new DenoKvStorage(kv, { prefix: ["logged"] }));
const text = new TextDecoder().decode(bytes);

Deno.bench(
  "raw kv.set + kv.get (baseline)",
  { group: "kv save+load", baseline: true },
  async () => {
    await kv.set(["raw", "agent-bench"], bytes);
    await kv.get(["raw", "agent-bench"]);
  },
);
Deno.bench("DenoKvStorage put + get (checked atomic)", { group: "kv save+load" }, async () => {
  const storage = new DenoKvStorage(kv, { prefix: ["adapter"] });
  await storage.put("agent-bench/memory.md", text);
  await storage.get("agent-bench/memory.md");
});
Deno.bench(
  "MarkdownMemoryStore save + load, daily logs off",
  { group: "kv save+load" },
  async () => {
    await kvStore.saveContext("agent-bench", context);
    await kvStore.loadContext("agent-bench");
  },
);
Deno.bench(
  "MarkdownMemoryStore save + load (with daily log)",
  { group: "kv save+load" },
  async () => {
    await kvStoreLog.saveContext("agent-bench", context);
    await kvStoreLog.loadContext("agent-bench");
  },
);

// --- listing 10,000 agents (each with memory.md and one daily log) ---
const AGENTS = 10_000;
const ids = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(5, "0")}`);
const listRoot = join(root, "list");
const listFs = new FsStorage(listRoot, { durable: false });
for (let i = 0; i < AGENTS; i += 200) {
  await Promise.all(
    ids.slice(i, i + 200).flatMap((id) => [
      listFs.put(`${id}/memory.md`, "# Agent Memory\n"),
      listFs.put(`${id}/logs/2026-01-01.md`, "### Update at 00:00:00\n"),
    ]),
  );
}
const listKv = new DenoKvStorage(kv, { prefix: ["list"] });
for (let i = 0; i < AGENTS; i += 250) {
  const op = kv.atomic();
  for (const id of ids.slice(i, i + 250)) {
    op.set(["list", "v", `${id}/memory.md`], new Uint8Array(16));
    op.set(["list", "v", `${id}/logs/2026-01-01.md`], new Uint8Array(16));
  }
  await op.commit();
}
const fsList = new MarkdownMemoryStore(listFs);
const kvList = new MarkdownMemoryStore(listKv);

Deno.bench(
  "raw readdir of the root (baseline)",
  { group: "list 10k agents, fs", baseline: true },
  async () => {
    if ((await readdir(listRoot)).length !== AGENTS) throw new Error("wrong count");
  },
);
Deno.bench(
  "MarkdownMemoryStore.listAgentContexts on a folder",
  { group: "list 10k agents, fs" },
  async () => {
    if ((await fsList.listAgentContexts()).length !== AGENTS) throw new Error("wrong count");
  },
);
Deno.bench(
  "raw kv.list of every key (baseline)",
  { group: "list 10k agents, kv", baseline: true },
  async () => {
    let n = 0;
    for await (const _ of kv.list({ prefix: ["list", "v"] }, { batchSize: 1000 })) n++;
    if (n !== 2 * AGENTS) throw new Error("wrong count");
  },
);
Deno.bench(
  "MarkdownMemoryStore.listAgentContexts on Deno KV",
  { group: "list 10k agents, kv" },
  async () => {
    if ((await kvList.listAgentContexts()).length !== AGENTS) throw new Error("wrong count");
  },
);

globalThis.addEventListener("unload", () => kv.close());
