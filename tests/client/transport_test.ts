import { test } from "../_harness.ts";
import {
  assert,
  assertEquals,
  assertInstanceOf,
  assertRejects,
  assertStringIncludes,
} from "../_assert.ts";
import {
  AuthenticationError,
  Client,
  ConflictError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestAbortedError,
  RequestValidationError,
  ResponseValidationError,
  retryDelay,
  ServerError,
  TimeoutError,
} from "../../client/mod.ts";
import { HEALTH, resetting, scripted } from "./_servers.ts";

const KEY = "kid1.s3cr3t-value-never-shown";
const STATUS = {
  version: "1.19.0",
  healthy: true,
  agent_count: 1,
  schedule_count: 0,
  channel_count: 0,
};

test("client: bearer token on protected routes, never on the three health probes", async (t) => {
  const { url, seen } = await scripted(t, (_n, req) => {
    const path = new URL(req.url).pathname;
    if (path.endsWith("/health")) return Response.json(HEALTH);
    if (path.endsWith("/status")) return Response.json(STATUS);
    return new Response(null, { status: 200 });
  });
  const client = new Client({ baseUrl: url, apiKey: KEY });
  await client.system.health();
  await client.system.live();
  await client.system.ready();
  await client.system.status();
  assertEquals(seen.map((s) => s.path), [
    "/api/v1/health",
    "/api/v1/health/live",
    "/api/v1/health/ready",
    "/api/v1/status",
  ]);
  assertEquals(seen.slice(0, 3).map((s) => s.headers.get("authorization")), [null, null, null]);
  // keyid.secret keys pass through unchanged.
  assertEquals(seen[3].headers.get("authorization"), `Bearer ${KEY}`);
});

test("client: one place builds URLs, with no doubled /api/v1", async (t) => {
  const { url, seen } = await scripted(t, () => Response.json(HEALTH));
  for (const base of [url, `${url}/`, `${url}/api/v1`, `${url}/api/v1/`]) {
    await new Client({ baseUrl: base }).healthCheck();
  }
  assertEquals(seen.map((s) => s.path), Array(4).fill("/api/v1/health"));
  assertEquals(new Client({ baseUrl: `${url}/api/v1/` }).baseUrl, `${url}/api/v1`);
});

test("client: a per-attempt timeout fires and is typed", async (t) => {
  const { url, seen } = await scripted(t, async () => {
    await new Promise((r) => setTimeout(r, 1500));
    return Response.json(HEALTH);
  });
  const client = new Client({ baseUrl: url, timeout: 100, maxRetries: 0 });
  const error = await assertRejects(() => client.healthCheck(), TimeoutError);
  assertEquals(error.code, "TIMEOUT");
  assertEquals(seen.length, 1);
});

test("client: a timed-out GET is retried and the next attempt succeeds", async (t) => {
  const { url, seen } = await scripted(t, async (n) => {
    if (n === 0) await new Promise((r) => setTimeout(r, 1500));
    return Response.json(HEALTH);
  });
  const client = new Client({ baseUrl: url, timeout: 300, maxRetries: 1 });
  assertEquals((await client.healthCheck()).version, "1.19.0");
  assertEquals(seen.length, 2);
});

test("client: GET retries on 503 and 429 (empty bodies) and then succeeds", async (t) => {
  const { url, seen } = await scripted(t, (n) => {
    if (n === 0) return new Response("", { status: 503, headers: { "retry-after": "0" } });
    if (n === 1) return new Response(null, { status: 429, headers: { "retry-after": "0" } });
    return Response.json(STATUS);
  });
  const client = new Client({ baseUrl: url, apiKey: "k" });
  assertEquals((await client.system.status()).agent_count, 1);
  assertEquals(seen.length, 3);
});

test("client: 429 past the retries is a RateLimitError with the empty body handled", async (t) => {
  const { url, seen } = await scripted(
    t,
    () => new Response(null, { status: 429, headers: { "retry-after": "0" } }),
  );
  const client = new Client({ baseUrl: url, apiKey: "k", maxRetries: 2 });
  const error = await assertRejects(() => client.system.status(), RateLimitError);
  assertEquals([error.status, error.code, error.method, error.path], [
    429,
    "RATE_LIMITED",
    "GET",
    "/status",
  ]);
  assertEquals(seen.length, 3);
});

test("client: a POST is never retried on 503 unless the caller opts in", async (t) => {
  const { url, seen } = await scripted(
    t,
    () => new Response(null, { status: 503, headers: { "retry-after": "0" } }),
  );
  const { transport } = new Client({ baseUrl: url, apiKey: "k" }).context;
  await assertRejects(
    () => transport.request({ method: "POST", path: "/agents", body: { name: "a" } }),
    ServerError,
  );
  assertEquals(seen.length, 1);
  await assertRejects(
    () =>
      transport.request({
        method: "POST",
        path: "/agents",
        body: { name: "a" },
        retryNonIdempotent: true,
        maxRetries: 2,
      }),
    ServerError,
  );
  assertEquals(seen.length, 4);
});

test("client: a reset connection is retried for GET, not for POST", async (t) => {
  const server = await resetting(t, 2);
  const client = new Client({ baseUrl: server.url, maxRetries: 2 });
  assertEquals((await client.healthCheck()).status, "healthy");
  assertEquals(server.connections(), 3);

  const once = await resetting(t, 1);
  const { transport } = new Client({ baseUrl: once.url, maxRetries: 2 }).context;
  const error = await assertRejects(
    () => transport.request({ method: "POST", path: "/agents", body: {} }),
    ConnectionError,
  );
  assertEquals(error.code, "CONNECTION_FAILED");
  assertEquals(once.connections(), 1);
});

test("client: Retry-After is honoured before the retry", async (t) => {
  const times: number[] = [];
  const { url } = await scripted(t, (n) => {
    times.push(Date.now());
    if (n === 0) return new Response(null, { status: 503, headers: { "retry-after": "1" } });
    return Response.json(HEALTH);
  });
  await new Client({ baseUrl: url }).healthCheck();
  assert(times[1] - times[0] >= 950, `retried after ${times[1] - times[0]} ms, not after 1 s`);
  const date = new Date(Date.now() + 3000).toUTCString();
  const wait = retryDelay(0, new Headers({ "retry-after": date }));
  assert(wait > 1000 && wait <= 3000, `HTTP-date Retry-After gave ${wait} ms`);
  assertEquals(retryDelay(0, new Headers({ "retry-after-ms": "250" })), 250);
  // Absurd values fall back to exponential backoff with jitter (0.5 s doubling, at most 8 s).
  assertEquals(retryDelay(2, new Headers({ "retry-after": "86400" }), () => 0), 2000);
  assertEquals(retryDelay(9, undefined, () => 0), 8000);
  assertEquals(retryDelay(0, undefined, () => 0.999999) > 375, true);
});

test("client: {error, code, details} bodies become typed errors with the runtime's code", async (t) => {
  const cases: [number, string, unknown][] = [
    [404, "AGENT_NOT_FOUND", NotFoundError],
    [403, "ADMIN_REQUIRED", PermissionDeniedError],
    [409, "already_resolved", ConflictError],
    [500, "AGENT_CREATION_FAILED", ServerError],
  ];
  const { url } = await scripted(t, (n) => {
    const [status, code] = cases[n];
    return Response.json({ error: `failure ${code}`, code, details: null }, { status });
  });
  const { transport } = new Client({ baseUrl: url, apiKey: KEY, maxRetries: 0 }).context;
  for (const [status, code, type] of cases) {
    const error = await assertRejects(() =>
      transport.request({ method: "POST", path: "/agents/x/execute", body: {} })
    );
    // deno-lint-ignore no-explicit-any
    assertInstanceOf(error, type as any);
    const e = error as NotFoundError;
    assertEquals([e.status, e.code, e.detail, e.method, e.path], [
      status,
      code,
      `failure ${code}`,
      "POST",
      "/agents/x/execute",
    ]);
  }
});

test("client: axum's text/plain 400/413/415/422 become RequestValidationError", async (t) => {
  const statuses = [400, 413, 415, 422];
  const { url } = await scripted(
    t,
    (n) =>
      new Response(
        "Failed to deserialize the JSON body into the target type: missing field `name`",
        {
          status: statuses[n],
          headers: { "content-type": "text/plain; charset=utf-8" },
        },
      ),
  );
  const { transport } = new Client({ baseUrl: url, apiKey: "k" }).context;
  const codes: string[] = [];
  for (const _ of statuses) {
    const error = await assertRejects(
      () => transport.request({ method: "POST", path: "/agents", body: {} }),
      RequestValidationError,
    );
    assertStringIncludes(error.detail, "missing field");
    codes.push(error.code);
  }
  assertEquals(codes, [
    "BAD_REQUEST",
    "PAYLOAD_TOO_LARGE",
    "UNSUPPORTED_MEDIA_TYPE",
    "BAD_REQUEST",
  ]);
});

test("client: empty-body 401 is an AuthenticationError and the key appears nowhere", async (t) => {
  const { url } = await scripted(t, () => new Response(null, { status: 401 }));
  const client = new Client({ baseUrl: url, apiKey: KEY });
  const error = await assertRejects(() => client.system.status(), AuthenticationError);
  assertEquals(error.code, "UNAUTHENTICATED");
  for (const text of [error.message, String(error.stack), JSON.stringify(error), String(client)]) {
    assert(!text.includes("s3cr3t"), `secret leaked into: ${text.slice(0, 80)}`);
  }
  assert(!JSON.stringify(client).includes("s3cr3t"));
  const inspected = await import("node:util").then((u) => u.inspect(client, { depth: 10 }))
    .catch(() => "");
  assert(!inspected.includes("s3cr3t"), "secret leaked into util.inspect");
  const noKey = new Client({ baseUrl: url, apiKey: undefined });
  const hint = await assertRejects(() =>
    noKey.context.transport.request({ method: "GET", path: "/status" })
  );
  assertStringIncludes(hint.message, "no API key was sent");
}, { runtimes: ["deno", "node", "bun"] });

test("client: the caller's abort signal ends the call at once and is not retried", async (t) => {
  const { url, seen } = await scripted(t, async () => {
    await new Promise((r) => setTimeout(r, 2000));
    return Response.json(HEALTH);
  });
  const controller = new AbortController();
  const client = new Client({ baseUrl: url, maxRetries: 3 });
  const pending = client.healthCheck({ signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  const error = await assertRejects(() => pending, RequestAbortedError);
  assertEquals(error.code, "ABORTED");
  assertEquals(seen.length, 1);
});

test("client: readiness 503 is an answer (false), not retried", async (t) => {
  const { url, seen } = await scripted(
    t,
    (n) => new Response(null, { status: n === 0 ? 503 : 200 }),
  );
  const client = new Client({ baseUrl: url });
  assertEquals(await client.system.ready(), false);
  assertEquals(seen.length, 1);
  assertEquals(await client.system.ready(), true);
});

test("client: a 2xx body that is not JSON is a ResponseValidationError", async (t) => {
  const { url } = await scripted(t, () => new Response("<html>proxy</html>", { status: 200 }));
  const error = await assertRejects(
    () => new Client({ baseUrl: url }).healthCheck(),
    ResponseValidationError,
  );
  assertEquals(error.code, "RESPONSE_VALIDATION_FAILED");
});
