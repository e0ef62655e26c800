/** Shared pieces of the metrics tests: a served runtime double with a client, and sample snapshots. */
import { Client } from "../../client/mod.ts";
import { createRuntimeDouble, type RuntimeDouble, serve } from "../../testing/mod.ts";
import type { TestContext } from "../_harness.ts";
import type { MetricsSnapshot } from "../../metrics/mod.ts";

/** The admin token the doubles accept. */
export const TOKEN = "metrics-admin-token";

/** A runtime double served on loopback, a client pointed at it, and the double's clock. */
export interface DoubleSetup {
  double: RuntimeDouble;
  client: Client;
  url: string;
  clock: { now: number };
}

/**
 * Serves a runtime double (clock under test control) on loopback. `wrap` may answer some requests
 * itself before they reach the double.
 */
export async function servedDouble(
  t: TestContext,
  wrap?: (request: Request, next: () => Promise<Response>) => Promise<Response> | Response,
): Promise<DoubleSetup> {
  const clock = { now: Date.parse("2026-11-28T10:00:00.000Z") };
  const double = createRuntimeDouble({ apiToken: TOKEN, readyAfterMs: 0, now: () => clock.now });
  const server = await serve((request) =>
    wrap ? wrap(request, () => double.fetch(request)) : double.fetch(request)
  );
  t.defer(() => server.close());
  const client = new Client({ baseUrl: `${server.url}/api/v1`, apiKey: TOKEN, maxRetries: 0 });
  return { double, client, url: server.url, clock };
}

/** A snapshot with every part present and values of every kind (doubles, zero, large integers). */
export function fullSnapshot(overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    timestamp: "2026-11-28T10:05:00.250Z",
    agents: { total: 7, running: 3, idle: 3, error: 1 },
    system: { uptime_seconds: 3600, memory_usage: 268435456, cpu_usage: 12.75 },
    status: {
      version: "1.19.0",
      healthy: true,
      agent_count: 7,
      schedule_count: 2,
      channel_count: 1,
    },
    scheduler: {
      is_running: true,
      store_accessible: true,
      jobs_total: 4,
      jobs_active: 2,
      jobs_paused: 1,
      jobs_dead_letter: 1,
      global_active_runs: 1,
      max_concurrent: 100,
      runs_total: 40,
      runs_succeeded: 35,
      runs_failed: 4,
      average_execution_time_ms: 1250.5,
      longest_run_ms: 9000,
    },
    unavailable: [],
    ...overrides,
  };
}

/** A snapshot with only the metrics route's parts. */
export function minimalSnapshot(): MetricsSnapshot {
  return fullSnapshot({ status: null, scheduler: null });
}
