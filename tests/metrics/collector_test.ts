// MetricsCollector, driven by injected timers (no sleeps): start/stop, no overlapping runs with a slow
// exporter, isolated and counted errors, stop waiting for (or aborting) the run in flight,
// collectOnce; one run end to end against the runtime double over HTTP, and one with real timers.
import { test } from "../_harness.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import {
  type CollectorTimers,
  FileMetricsExporter,
  MetricsClient,
  MetricsCollector,
  MetricsError,
  type MetricsExporter,
  type MetricsSnapshot,
  type SnapshotOptions,
  type SnapshotSource,
} from "../../metrics/mod.ts";
import { fullSnapshot, servedDouble } from "./_helpers.ts";

/** Timers the test fires by hand. */
class ManualTimers implements CollectorTimers {
  readonly active = new Map<number, { callback: () => void; ms: number }>();
  #next = 1;
  setInterval(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.active.set(id, { callback, ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.active.delete(handle as number);
  }
  /** Fires every active interval once. */
  fire(): void {
    for (const { callback } of [...this.active.values()]) callback();
  }
}

interface Gate<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function gate<T>(): Gate<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run (no timers involved beyond one macrotask). */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A source whose calls the test answers one by one. */
class ScriptedSource implements SnapshotSource {
  calls: { gate: Gate<MetricsSnapshot>; signal?: AbortSignal }[] = [];
  getMetricsSnapshot(options: SnapshotOptions = {}): Promise<MetricsSnapshot> {
    const g = gate<MetricsSnapshot>();
    this.calls.push({ gate: g, signal: options.signal });
    return g.promise;
  }
}

/** An exporter that records and resolves at once, or holds each export until released. */
class SlowExporter implements MetricsExporter {
  readonly name = "slow";
  exported: MetricsSnapshot[] = [];
  pending: Gate<void>[] = [];
  concurrent = 0;
  maxConcurrent = 0;
  shutdowns = 0;
  hold: boolean;
  constructor(hold = false) {
    this.hold = hold;
  }
  async export(snapshot: MetricsSnapshot): Promise<void> {
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    try {
      if (this.hold) {
        const g = gate<void>();
        this.pending.push(g);
        await g.promise;
      }
      this.exported.push(snapshot);
    } finally {
      this.concurrent--;
    }
  }
  shutdown(): Promise<void> {
    this.shutdowns++;
    return Promise.resolve();
  }
}

test("metrics: start collects at once, schedules the interval once, stop clears it", async () => {
  const timers = new ManualTimers();
  const source = new ScriptedSource();
  const exporter = new SlowExporter();
  const collector = new MetricsCollector(source, exporter, { intervalSeconds: 30, timers });
  assertEquals([collector.running, source.calls.length], [false, 0]);
  collector.start();
  collector.start();
  assertEquals(collector.running, true);
  assertEquals([...timers.active.values()].map((t) => t.ms), [30_000]);
  assertEquals(source.calls.length, 1, "immediate first collection");
  source.calls[0].gate.resolve(fullSnapshot());
  await settle();
  assertEquals(exporter.exported.length, 1);
  timers.fire();
  source.calls[1].gate.resolve(fullSnapshot({ timestamp: "2026-11-28T10:05:30.000Z" }));
  await settle();
  assertEquals(exporter.exported.map((s) => s.timestamp), [
    "2026-11-28T10:05:00.250Z",
    "2026-11-28T10:05:30.000Z",
  ]);
  await collector.stop();
  assertEquals([collector.running, timers.active.size], [false, 0]);
  assertEquals(collector.stats.succeeded, 2);
  // Restartable.
  collector.start();
  assertEquals([timers.active.size, source.calls.length], [1, 3]);
  source.calls[2].gate.resolve(fullSnapshot());
  await collector.stop();
  assertEquals(collector.stats.succeeded, 3);
});

test("metrics: immediate false waits for the first interval", async () => {
  const timers = new ManualTimers();
  const source = new ScriptedSource();
  const collector = new MetricsCollector(source, new SlowExporter(), { immediate: false, timers });
  collector.start();
  assertEquals(source.calls.length, 0);
  assertEquals([...timers.active.values()][0].ms, 60_000, "default interval 60 s");
  timers.fire();
  assertEquals(source.calls.length, 1);
  source.calls[0].gate.resolve(fullSnapshot());
  await collector.stop();
  assertEquals(collector.stats.runs, 1);
});

test("metrics: a slow exporter never makes runs overlap; ticks during a run are skipped and counted", async () => {
  const timers = new ManualTimers();
  const source = new ScriptedSource();
  const exporter = new SlowExporter(true);
  const collector = new MetricsCollector(source, exporter, { intervalSeconds: 1, timers });
  collector.start();
  source.calls[0].gate.resolve(fullSnapshot());
  await settle();
  assertEquals(exporter.pending.length, 1, "the first export is in flight");
  timers.fire();
  timers.fire();
  timers.fire();
  assertEquals(source.calls.length, 1, "no second snapshot while the first run is in flight");
  assertEquals(collector.stats.skipped, 3);
  assertEquals(collector.collecting, true);
  exporter.pending[0].resolve();
  await settle();
  assertEquals(collector.collecting, false);
  timers.fire();
  assertEquals(source.calls.length, 2);
  source.calls[1].gate.resolve(fullSnapshot());
  await settle();
  exporter.pending[1].resolve();
  await collector.stop();
  assertEquals(exporter.maxConcurrent, 1);
  assertEquals(collector.stats.succeeded, 2);
});

test("metrics: snapshot and export errors are isolated, counted and passed to onError", async () => {
  const timers = new ManualTimers();
  const source = new ScriptedSource();
  const failing: MetricsExporter = {
    export: (s) =>
      s.agents.total === 13
        ? Promise.reject(new MetricsError("METRICS_OTLP_REJECTED", "rejected with 400"))
        : Promise.resolve(),
  };
  const seen: [string, string][] = [];
  let callbacks = 0;
  const collector = new MetricsCollector(source, failing, {
    timers,
    now: () => Date.parse("2026-11-28T12:00:00.000Z"),
    onError: (error, phase) => {
      callbacks++;
      seen.push([phase, (error as { code?: string }).code ?? String(error)]);
      throw new Error("a broken error callback must not break the collector");
    },
  });
  collector.start();
  source.calls[0].gate.reject(new MetricsError("METRICS_SOURCE_FAILED", "GET /metrics failed"));
  await settle();
  timers.fire();
  source.calls[1].gate.resolve(
    fullSnapshot({ agents: { total: 13, running: 13, idle: 0, error: 0 } }),
  );
  await settle();
  timers.fire();
  source.calls[2].gate.resolve(fullSnapshot());
  await settle();
  await collector.stop();
  assertEquals(seen, [["snapshot", "METRICS_SOURCE_FAILED"], ["export", "METRICS_OTLP_REJECTED"]]);
  assertEquals(callbacks, 2);
  const stats = collector.stats;
  assertEquals(
    [stats.runs, stats.succeeded, stats.failed, stats.snapshotFailures, stats.exportFailures],
    [3, 1, 2, 1, 1],
  );
  assertEquals((stats.lastError as MetricsError).code, "METRICS_OTLP_REJECTED");
  assertEquals([stats.lastErrorAt, stats.lastSuccessAt], [
    "2026-11-28T12:00:00.000Z",
    "2026-11-28T12:00:00.000Z",
  ]);
});

test("metrics: stop waits for the run in flight; stop({abort}) aborts it", async () => {
  const timers = new ManualTimers();
  const source = new ScriptedSource();
  const exporter = new SlowExporter(true);
  const collector = new MetricsCollector(source, exporter, { timers });
  collector.start();
  source.calls[0].gate.resolve(fullSnapshot());
  await settle();
  let stopped = false;
  const stopping = collector.stop({ shutdownExporter: true }).then(() => (stopped = true));
  await settle();
  await settle();
  assertEquals([stopped, timers.active.size, exporter.shutdowns], [false, 0, 0]);
  exporter.pending[0].resolve();
  await stopping;
  assertEquals([stopped, exporter.exported.length, exporter.shutdowns], [true, 1, 1]);
  timers.fire();
  assertEquals(source.calls.length, 1, "no run after stop");

  collector.start();
  const { signal } = source.calls[1];
  assert(signal !== undefined && !signal.aborted);
  signal.addEventListener("abort", () => {
    source.calls[1].gate.reject(new MetricsError("METRICS_ABORTED", "aborted"));
  });
  await collector.stop({ abort: true });
  assertEquals(signal.aborted, true);
  assertEquals(collector.stats.snapshotFailures, 1);
});

test("metrics: collectOnce runs without start and joins a run already in flight", async () => {
  const source = new ScriptedSource();
  const exporter = new SlowExporter();
  const collector = new MetricsCollector(source, exporter);
  const first = collector.collectOnce();
  const joined = collector.collectOnce();
  assertEquals(source.calls.length, 1);
  source.calls[0].gate.resolve(fullSnapshot());
  const [a, b] = await Promise.all([first, joined]);
  assertEquals(a, b);
  assertEquals(a.ok, true);
  assert(a.ok && a.snapshot.agents.total === 7);

  const failed = collector.collectOnce();
  source.calls[1].gate.reject(new Error("network down"));
  const result = await failed;
  assertEquals(result.ok, false);
  assert(!result.ok && result.phase === "snapshot");
  assertEquals(collector.stats.runs, 2);
  assertEquals(collector.running, false);
});

test(
  "metrics: the collector takes snapshots from the runtime double and appends them to a file",
  async (t) => {
    const { double, client } = await servedDouble(t);
    const { mkdtemp, readFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "symbiont-collector-"));
    t.defer(() => rm(dir, { recursive: true, force: true }));
    const path = join(dir, "metrics.jsonl");

    const timers = new ManualTimers();
    const exporter = new FileMetricsExporter(path, { mode: "append" });
    const collector = new MetricsCollector(new MetricsClient(client), exporter, {
      timers,
      intervalSeconds: 60,
    });
    collector.start();
    // collectOnce joins the run in flight, so awaiting it waits for the immediate first run.
    const first = await collector.collectOnce();
    assertEquals(first.ok, true);
    double.seedAgent({ name: "second-tick" });
    timers.fire();
    const second = await collector.collectOnce();
    assert(second.ok && second.snapshot.agents.total === 1);
    await collector.stop();
    const lines = (await readFile(path, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(lines.map((s: MetricsSnapshot) => s.agents.total), [0, 1]);
    assertEquals(lines[1].status.version, "1.19.0");
    assertEquals(lines[1].scheduler.is_running, true);
    assertEquals(collector.stats.succeeded, 2);
  },
  { runtimes: ["deno", "node", "bun"] },
);

test("metrics: with real timers the collector repeats and stops cleanly", async () => {
  const source: SnapshotSource = { getMetricsSnapshot: () => Promise.resolve(fullSnapshot()) };
  let count = 0;
  const third = gate<void>();
  const exporter: MetricsExporter = {
    export: () => {
      if (++count === 3) third.resolve();
      return Promise.resolve();
    },
  };
  const collector = new MetricsCollector(source, exporter, { intervalSeconds: 0.005 });
  collector.start();
  await third.promise;
  await collector.stop();
  const atStop = count;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assertEquals(count, atStop, "no export after stop");
  assert(collector.stats.succeeded >= 3);
});

test("metrics: bad collector options are METRICS_INVALID_OPTIONS", () => {
  const source: SnapshotSource = { getMetricsSnapshot: () => Promise.resolve(fullSnapshot()) };
  const exporter = new SlowExporter();
  const cases: [unknown, unknown, unknown][] = [
    [source, exporter, { intervalSeconds: 0 }],
    [source, exporter, { intervalSeconds: -5 }],
    [source, exporter, { intervalSeconds: Number.NaN }],
    [source, exporter, { intervalSeconds: Infinity }],
    [source, exporter, { intervalSeconds: 3_000_000 }],
    [source, exporter, { timers: { setInterval() {} } }],
    [{}, exporter, {}],
    [source, {}, {}],
    [source, exporter, { onError: "log" }],
  ];
  for (const [s, e, o] of cases) {
    const error = assertThrows(
      () => new MetricsCollector(s as never, e as never, o as never),
      MetricsError,
    );
    assertEquals(error.code, "METRICS_INVALID_OPTIONS");
  }
});
