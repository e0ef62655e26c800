/**
 * The portable test registry: test files call {@link test}; a runner (tests/run.ts on Deno, Node and
 * Bun, tests/workerd/ inside workerd) imports them and calls {@link runTests}. One suite, every runtime.
 */

/** A JavaScript runtime the suite runs on. */
export type Runtime = "deno" | "node" | "bun" | "workerd";

function detectRuntime(): Runtime {
  const g = globalThis as Record<string, unknown>;
  if (typeof g.Deno === "object") return "deno";
  if (typeof g.Bun === "object") return "bun";
  const ua = (g.navigator as { userAgent?: string } | undefined)?.userAgent ?? "";
  if (ua.includes("Cloudflare-Workers")) return "workerd";
  return "node";
}

/** The runtime executing this suite. */
export const runtime: Runtime = detectRuntime();

/** Given to each test: register clean-up that runs after it, pass or fail, last first. */
export interface TestContext {
  defer(cleanup: () => unknown | Promise<unknown>): void;
}

interface TestCase {
  name: string;
  fn: (t: TestContext) => unknown | Promise<unknown>;
  runtimes?: Runtime[];
  timeoutMs: number;
}

/** Options of one test. */
export interface TestOptions {
  /** Run only on these runtimes (others count it as skipped). */
  runtimes?: Runtime[];
  /** Fail the test when it runs longer than this. Default 20 000 ms. */
  timeoutMs?: number;
}

const registry: TestCase[] = [];

/** Registers a test. */
export function test(
  name: string,
  fn: (t: TestContext) => unknown | Promise<unknown>,
  options: TestOptions = {},
): void {
  registry.push({ name, fn, runtimes: options.runtimes, timeoutMs: options.timeoutMs ?? 20_000 });
}

/** The outcome of a run. */
export interface RunSummary {
  passed: number;
  failed: number;
  skipped: number;
  failures: { name: string; error: string }[];
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return String(error);
}

/** Runs every registered test whose name contains `filter`, one after another. */
export async function runTests(
  report: (line: string) => void,
  filter = "",
): Promise<RunSummary> {
  const summary: RunSummary = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const tc of registry) {
    if (filter && !tc.name.includes(filter)) continue;
    if (tc.runtimes && !tc.runtimes.includes(runtime)) {
      summary.skipped++;
      continue;
    }
    const cleanups: (() => unknown)[] = [];
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        Promise.resolve().then(() => tc.fn({ defer: (f) => cleanups.push(f) })),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`timed out after ${tc.timeoutMs} ms`)),
            tc.timeoutMs,
          );
        }),
      ]);
      summary.passed++;
      report(`ok   ${tc.name} (${Math.round(performance.now() - started)} ms)`);
    } catch (error) {
      summary.failed++;
      summary.failures.push({ name: tc.name, error: describe(error) });
      report(`FAIL ${tc.name}\n     ${describe(error).split("\n").join("\n     ")}`);
    } finally {
      clearTimeout(timer);
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          report(`     (clean-up of "${tc.name}" failed: ${describe(error).split("\n")[0]})`);
        }
      }
    }
  }
  return summary;
}
