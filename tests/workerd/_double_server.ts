/**
 * Starts the local runtime double on loopback (Node) for the worker under test to call through the
 * `DOUBLE_URL` binding. The double accepts the legacy token {@link WORKERD_DOUBLE_TOKEN}, is ready at
 * once (no 5 s readiness delay), and holds one seeded agent, {@link WORKERD_SEEDED_AGENT_ID}, named
 * "workerd-seed". Worker tests repeat these two values (importing this file would pull `node:http`
 * into the worker bundle).
 */
import { serve } from "../../testing/serve.ts";
import { createRuntimeDouble } from "../../testing/runtime_double.ts";

/** The bearer token the loopback double accepts. */
export const WORKERD_DOUBLE_TOKEN = "workerd-token";

/** The id of the agent seeded into the loopback double. */
export const WORKERD_SEEDED_AGENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

/** Serves a runtime double; resolves to its URL and a close function. */
export async function startDouble(): Promise<{ url: string; close(): Promise<void> }> {
  const double = createRuntimeDouble({ apiToken: WORKERD_DOUBLE_TOKEN, readyAfterMs: 0 });
  double.seedAgent({ id: WORKERD_SEEDED_AGENT_ID, name: "workerd-seed" });
  return await serve(double.fetch);
}
