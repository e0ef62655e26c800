// FileMetricsExporter on real files in temp folders (atomic overwrite, JSON lines, ordering, failures
// without leftovers) and CompositeExporter isolation with real and failing exporters.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import {
  CompositeExporter,
  FileMetricsExporter,
  MetricsError,
  type MetricsExporter,
  type MetricsSnapshot,
  PrometheusExporter,
} from "../../metrics/mod.ts";
import { fullSnapshot, minimalSnapshot } from "./_helpers.ts";
import type { TestContext } from "../_harness.ts";

const FS_RUNTIMES = ["deno", "node", "bun"] as ("deno" | "node" | "bun")[];

async function tempDir(t: TestContext): Promise<string> {
  const { mkdtemp, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = await mkdtemp(join(tmpdir(), "symbiont-metrics-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function read(path: string): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return await readFile(path, "utf8");
}

async function list(dir: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  return (await readdir(dir)).sort();
}

test(
  "metrics: the file exporter overwrites atomically, creating folders, leaving no temp files",
  async (t) => {
    const dir = await tempDir(t);
    const path = `${dir}/nested/deeper/metrics.json`;
    const exporter = new FileMetricsExporter(path);
    assertEquals(exporter.mode, "overwrite");
    await exporter.export(fullSnapshot());
    assertEquals(JSON.parse(await read(path)), fullSnapshot());
    const second = fullSnapshot({ timestamp: "2026-11-28T10:06:00.000Z" });
    await exporter.export(second);
    const text = await read(path);
    assertEquals(JSON.parse(text), second);
    assert(!text.includes("\n  "), "compact by default");
    assertEquals(await list(`${dir}/nested/deeper`), ["metrics.json"]);

    const pretty = new FileMetricsExporter(`${dir}/pretty.json`, { pretty: true, durable: false });
    await pretty.export(minimalSnapshot());
    const prettyText = await read(`${dir}/pretty.json`);
    assert(prettyText.includes('\n  "agents": {'), prettyText);
    assertEquals(JSON.parse(prettyText), minimalSnapshot());
  },
  { runtimes: FS_RUNTIMES },
);

test(
  "metrics: concurrent overwrites land in call order; the file is always whole JSON",
  async (t) => {
    const dir = await tempDir(t);
    const path = `${dir}/metrics.json`;
    const exporter = new FileMetricsExporter(path);
    const snapshots = Array.from(
      { length: 25 },
      (_, i) => fullSnapshot({ agents: { total: i, running: i, idle: 0, error: 0 } }),
    );
    const writes = snapshots.map((s) => exporter.export(s));
    // Read while writing: every read sees a complete document (or no file yet).
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      try {
        seen.push((JSON.parse(await read(path)) as MetricsSnapshot).agents.total);
      } catch (error) {
        assertEquals((error as { code?: string }).code, "ENOENT", String(error));
      }
    }
    await Promise.all(writes);
    assertEquals((JSON.parse(await read(path)) as MetricsSnapshot).agents.total, 24);
    assertEquals(seen, [...seen].sort((a, b) => a - b), "reads never go backwards");
    assertEquals(await list(dir), ["metrics.json"]);
  },
  { runtimes: FS_RUNTIMES },
);

test("metrics: append mode writes one JSON line per export", async (t) => {
  const dir = await tempDir(t);
  const path = `${dir}/log/metrics.jsonl`;
  const exporter = new FileMetricsExporter(path, { mode: "append" });
  const snapshots = [fullSnapshot(), minimalSnapshot(), fullSnapshot({ unavailable: [] })];
  await Promise.all(snapshots.map((s) => exporter.export(s)));
  const lines = (await read(path)).split("\n");
  assertEquals(lines.at(-1), "");
  assertEquals(lines.slice(0, -1).map((l) => JSON.parse(l)), snapshots);
  await new FileMetricsExporter(path, { mode: "append" }).export(minimalSnapshot());
  assertEquals((await read(path)).split("\n").length, 5, "a second exporter appends too");
}, { runtimes: FS_RUNTIMES });

test(
  "metrics: a failed file write is METRICS_FILE_WRITE_FAILED and leaves nothing behind",
  async (t) => {
    const dir = await tempDir(t);
    const { mkdir, writeFile } = await import("node:fs/promises");
    await mkdir(`${dir}/taken.json`); // a folder where the file should go: the rename fails
    let error = await assertRejects(
      () => new FileMetricsExporter(`${dir}/taken.json`).export(fullSnapshot()),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_FILE_WRITE_FAILED");
    assert(error.cause !== undefined);
    assertEquals(await list(dir), ["taken.json"]);
    assertEquals(await list(`${dir}/taken.json`), []);

    await writeFile(`${dir}/plain`, "x");
    error = await assertRejects(
      () => new FileMetricsExporter(`${dir}/plain/metrics.json`).export(fullSnapshot()),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_FILE_WRITE_FAILED");

    // The queue survives a failure: once the folder in the way is gone, the same exporter works.
    const exporter = new FileMetricsExporter(`${dir}/taken.json`);
    await exporter.export(fullSnapshot()).catch(() => {});
    error = await assertRejects(() => exporter.export({ nope: 1 } as never), MetricsError);
    assertEquals(error.code, "METRICS_INVALID_SNAPSHOT");
    const { rmdir } = await import("node:fs/promises");
    await rmdir(`${dir}/taken.json`);
    await exporter.export(minimalSnapshot());
    assertEquals(JSON.parse(await read(`${dir}/taken.json`)), minimalSnapshot());
    const good = new FileMetricsExporter(`${dir}/good.json`);
    await good.export(minimalSnapshot());
    await good.shutdown();
    error = await assertRejects(() => good.export(minimalSnapshot()), MetricsError);
    assertEquals(error.code, "METRICS_EXPORTER_SHUT_DOWN");
    assertEquals(await list(dir), ["good.json", "plain", "taken.json"]);
  },
  { runtimes: FS_RUNTIMES },
);

test("metrics: bad file exporter options are METRICS_INVALID_OPTIONS", () => {
  for (
    const [path, options] of [
      ["", {}],
      ["   ", {}],
      ["a\0b", {}],
      ["m.json", { mode: "rotate" }],
      ["m.json", { mode: "append", pretty: true }],
    ] as const
  ) {
    const error = assertThrows(
      () => new FileMetricsExporter(path, options as never),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_INVALID_OPTIONS");
  }
});

class Recording implements MetricsExporter {
  readonly name: string;
  received: MetricsSnapshot[] = [];
  shutDown = false;
  constructor(name: string) {
    this.name = name;
  }
  export(snapshot: MetricsSnapshot): Promise<void> {
    this.received.push(snapshot);
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    this.shutDown = true;
    return Promise.resolve();
  }
}

test("metrics: a composite keeps exporting when one exporter throws or rejects; failures are reported", async () => {
  const first = new Recording("first");
  const last = new Recording("last");
  const throwing: MetricsExporter = {
    name: "throws",
    export() {
      throw new TypeError("synchronous boom");
    },
    shutdown() {
      throw new Error("cannot shut down");
    },
  };
  const rejecting: MetricsExporter = {
    export: () => Promise.reject(new MetricsError("METRICS_OTLP_REJECTED", "rejected with 400")),
  };
  const composite = new CompositeExporter([first, throwing, rejecting, last]);
  const error = await assertRejects(() => composite.export(fullSnapshot()), MetricsError);
  assertEquals(error.code, "METRICS_COMPOSITE_FAILED");
  assertEquals(error.failures.map((f) => [f.index, f.exporter]), [[1, "throws"], [2, "exporter"]]);
  assert(error.failures[0].error instanceof TypeError);
  assert(error.message.includes("2 of 4"), error.message);
  assert(error.message.includes("METRICS_OTLP_REJECTED"), error.message);
  assertEquals([first.received.length, last.received.length], [1, 1]);

  const shutdownError = await assertRejects(() => composite.shutdown(), MetricsError);
  assertEquals(shutdownError.failures.map((f) => f.exporter), ["throws"]);
  assertEquals([first.shutDown, last.shutDown], [true, true]);

  await new CompositeExporter([first, last]).export(minimalSnapshot());
  assertEquals(last.received.at(-1), minimalSnapshot());
});

test(
  "metrics: a failing file exporter does not stop the Prometheus exporter beside it",
  async (t) => {
    const dir = await tempDir(t);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(`${dir}/dir.json`);
    const prometheus = new PrometheusExporter();
    const composite = new CompositeExporter([
      new FileMetricsExporter(`${dir}/dir.json`),
      prometheus,
    ]);
    const error = await assertRejects(() => composite.export(fullSnapshot()), MetricsError);
    assertEquals(error.failures.map((f) => [f.exporter, (f.error as MetricsError).code]), [
      ["file", "METRICS_FILE_WRITE_FAILED"],
    ]);
    assert(prometheus.text()?.includes("symbiont_agents_registered 7\n"));
  },
  { runtimes: FS_RUNTIMES },
);

test("metrics: a composite needs a non-empty list of exporters", () => {
  for (const bad of [[], [{}], null]) {
    const error = assertThrows(() => new CompositeExporter(bad as never), MetricsError);
    assertEquals(error.code, "METRICS_INVALID_OPTIONS");
  }
});
