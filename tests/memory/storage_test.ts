import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "../_harness.ts";
import { assertEquals, assertRejects } from "../_assert.ts";
import { DenoKvStorage, MemoryError, MemoryStorage } from "../../memory/mod.ts";
import { FsStorage } from "../../memory/fs_storage.ts";
import { adapterConformance } from "./_conformance.ts";

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "symbiont-memory-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

adapterConformance("MemoryStorage", () => Promise.resolve(new MemoryStorage()));
adapterConformance("FsStorage", async (t) => new FsStorage(join(await tempDir(t), "root")));
adapterConformance("DenoKvStorage", async (t) => {
  const dir = await tempDir(t);
  const kv = await Deno.openKv(join(dir, "kv.sqlite"));
  t.defer(() => kv.close());
  return new DenoKvStorage(kv, { prefix: ["test", "memory"] });
}, ["deno"]);

test("memory: FsStorage writes plain files in the documented layout", async (t) => {
  const root = join(await tempDir(t), "deep", "root");
  const s = new FsStorage(root);
  await s.put("agent-1/logs/2026-02-03.md", "log ✓");
  assertEquals(await readFile(join(root, "agent-1", "logs", "2026-02-03.md"), "utf8"), "log ✓");
  assertEquals(s.location, root);
  await writeFile(join(root, "agent-1", "memory.md"), "from elsewhere");
  assertEquals(await s.get("agent-1/memory.md"), "from elsewhere");
});

test("memory: FsStorage failed write removes its temp file and keeps the old value", async (t) => {
  const root = await tempDir(t);
  const s = new FsStorage(root);
  await s.put("agent-1/notes.md", "old notes");
  // A non-empty folder where the file should go: the final rename must fail.
  await mkdir(join(root, "agent-1", "memory.md", "blocker"), { recursive: true });
  const error = await assertRejects(() => s.put("agent-1/memory.md", "new"), MemoryError);
  assertEquals(error.code, "MEMORY_STORAGE_FAILED");
  assertEquals((await readdir(join(root, "agent-1"))).sort(), ["memory.md", "notes.md"]);
  assertEquals(await s.get("agent-1/notes.md"), "old notes");
  assertEquals(await s.get("agent-1/memory.md"), undefined); // a folder is not a value
  // A file where a folder should go.
  await s.put("agent-2", "a file");
  const error2 = await assertRejects(() => s.put("agent-2/memory.md", "x"), MemoryError);
  assertEquals(error2.code, "MEMORY_STORAGE_FAILED");
  assertEquals(await s.get("agent-2"), "a file");
});

test("memory: FsStorage skips temp files, dot-files and symlinks, and prunes empty folders", async (t) => {
  const root = await tempDir(t);
  const s = new FsStorage(root);
  await s.put("agent-1/memory.md", "m");
  await writeFile(join(root, "agent-1", ".symbiont-dead.tmp"), "left by a crash");
  await writeFile(join(root, "agent-1", ".memory_abc.md"), "left by the Python SDK");
  await writeFile(join(root, "agent-1", "bad\\name.md"), "not a key");
  await symlink(join(root, "agent-1"), join(root, "linked"));
  await symlink(join(root, "agent-1", "memory.md"), join(root, "agent-1", "alias.md"));
  assertEquals(await s.list(""), ["agent-1/memory.md"]);
  await s.put("agent-2/logs/2026-01-01.md", "l");
  await s.delete("agent-2/logs/2026-01-01.md");
  assertEquals((await readdir(root)).sort(), ["agent-1", "linked"]);
  await s.delete("agent-1/memory.md");
  assertEquals((await readdir(join(root, "agent-1"))).length, 4); // foreign files stay
});

test("memory: FsStorage reports files that are not UTF-8 as corrupt", async (t) => {
  const root = await tempDir(t);
  await mkdir(join(root, "a"));
  await writeFile(join(root, "a", "memory.md"), new Uint8Array([0x23, 0xff, 0xfe, 0x0a]));
  const error = await assertRejects(() => new FsStorage(root).get("a/memory.md"), MemoryError);
  assertEquals(error.code, "MEMORY_CORRUPT");
});

test("memory: adapters refuse bad constructor arguments", () => {
  for (const make of [() => new FsStorage(""), () => new DenoKvStorage({} as never)]) {
    try {
      make();
      throw new Error("accepted");
    } catch (error) {
      assertEquals((error as MemoryError).code, "MEMORY_INVALID_OPTION");
    }
  }
});

test("memory: DenoKvStorage keeps only the live chunks of a large value", async (t) => {
  const dir = await tempDir(t);
  const kv = await Deno.openKv(join(dir, "kv.sqlite"));
  t.defer(() => kv.close());
  const s = new DenoKvStorage(kv);
  const count = async () => {
    let n = 0;
    for await (const _ of kv.list({ prefix: [] })) n++;
    return n;
  };
  await s.put("a/memory.md", "é".repeat(200_000)); // 400 000 bytes: 7 chunks + head
  assertEquals(await count(), 8);
  await s.put("a/memory.md", "x".repeat(130_000)); // 3 chunks + head; the old 7 are gone
  assertEquals(await count(), 4);
  await s.put("a/memory.md", "inline");
  assertEquals(await count(), 1);
  await s.delete("a/memory.md");
  assertEquals(await count(), 0);
  // A head whose chunks vanished is reported, not returned half.
  await kv.set(["symbiont", "memory", "v", "b/memory.md"], { id: "gone", chunks: 2, size: 10 });
  const error = await assertRejects(() => s.get("b/memory.md"), MemoryError);
  assertEquals(error.code, "MEMORY_CORRUPT");
}, { runtimes: ["deno"] });
