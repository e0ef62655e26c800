/**
 * Starts the local doubles on loopback (Node) for the worker under test:
 * - the runtime double, reached through the `DOUBLE_URL` binding. It accepts the legacy token
 *   {@link WORKERD_DOUBLE_TOKEN}, is ready at once (no 5 s readiness delay), and holds one seeded
 *   agent, {@link WORKERD_SEEDED_AGENT_ID}, named "workerd-seed".
 * - the HTTP Input double, reached through the `HTTP_INPUT_URL` binding (its base URL; the route is
 *   `/webhook`). It accepts `Authorization: Bearer workerd-input-token` and requires a GitHub-format
 *   signature (`X-Hub-Signature-256: sha256=<hex>`) with the secret "workerd-webhook-secret".
 *   `POST /webhook/scanner...` goes to {@link WORKERD_SCANNER_AGENT_ID}, which completes a loop
 *   (response `scanned: <user message>`, one ToolClad run of `nmap` with the payload as input, one
 *   denied `write_file`); anything else goes to {@link WORKERD_INPUT_AGENT_ID}, a running agent
 *   (`execution_started`).
 * Worker tests repeat these values (importing this file would pull `node:http` into the worker
 * bundle).
 */
import { serve } from "../../testing/serve.ts";
import { createRuntimeDouble } from "../../testing/runtime_double.ts";
import { createHttpInputDouble } from "../../testing/http_input_double.ts";

/** The bearer token the loopback double accepts. */
export const WORKERD_DOUBLE_TOKEN = "workerd-token";

/** The id of the agent seeded into the loopback double. */
export const WORKERD_SEEDED_AGENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

/** The HTTP Input token (the double's `auth_header` is `Bearer <this>`). */
export const WORKERD_INPUT_TOKEN = "workerd-input-token";

/** The `webhook_verify` secret of the HTTP Input double (provider `github`). */
export const WORKERD_WEBHOOK_SECRET = "workerd-webhook-secret";

/** The HTTP Input double's default agent, which answers `execution_started`. */
export const WORKERD_INPUT_AGENT_ID = "3b241101-e2bb-4255-8caf-4136c566a962";

/** The agent behind `/webhook/scanner`, which answers `completed`. */
export const WORKERD_SCANNER_AGENT_ID = "9c5b94b1-35ad-49bb-b118-8e8fc24abf80";

/** Serves a runtime double; resolves to its URL and a close function. */
export async function startDouble(): Promise<{ url: string; close(): Promise<void> }> {
  const double = createRuntimeDouble({ apiToken: WORKERD_DOUBLE_TOKEN, readyAfterMs: 0 });
  double.seedAgent({ id: WORKERD_SEEDED_AGENT_ID, name: "workerd-seed" });
  return await serve(double.fetch);
}

/** Serves an HTTP Input double; resolves to its base URL and a close function. */
export async function startHttpInputDouble(): Promise<{ url: string; close(): Promise<void> }> {
  const double = createHttpInputDouble({
    authHeader: `Bearer ${WORKERD_INPUT_TOKEN}`,
    webhookVerify: { provider: "github", secret: WORKERD_WEBHOOK_SECRET },
    routes: [{ pathPrefix: "/webhook/scanner", agent: WORKERD_SCANNER_AGENT_ID }],
    defaultAgent: WORKERD_INPUT_AGENT_ID,
    script: (invocation) =>
      invocation.agentId === WORKERD_SCANNER_AGENT_ID
        ? {
          status: "completed",
          response: `scanned: ${invocation.userMessage}`,
          toolRuns: [
            { tool: "nmap", input: invocation.payload, output: "22/tcp open ssh" },
            { tool: "write_file", denied: "no policy permits tool_call::write_file" },
          ],
          model: "workerd-model",
          provider: "workerd-provider",
        }
        : { status: "execution_started" },
  });
  return await serve(double.fetch);
}
