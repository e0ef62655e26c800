import { test } from "../_harness.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../_assert.ts";
import { Client, ResponseValidationError } from "../../client/mod.ts";
import { HEALTH, scripted } from "./_servers.ts";

function collectingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (m: string) => warnings.push(m) } };
}

test("validation: unknown response fields are accepted and kept", async (t) => {
  const { url } = await scripted(
    t,
    () => Response.json({ ...HEALTH, region: "eu", build: { sha: "abc" } }),
  );
  const health = await new Client({ baseUrl: url, validationMode: "strict" }).healthCheck();
  assertEquals(health.version, "1.19.0");
  assertEquals((health as Record<string, unknown>).region, "eu");
});

test("validation: strict throws on a missing or mistyped known field, naming it", async (t) => {
  const { url } = await scripted(
    t,
    (n) =>
      Response.json(
        n === 0 ? { ...HEALTH, version: undefined } : { ...HEALTH, uptime_seconds: "12" },
      ),
  );
  const client = new Client({ baseUrl: url, validationMode: "strict" });
  const missing = await assertRejects(() => client.healthCheck(), ResponseValidationError);
  assertEquals(missing.issues.map((i) => i.path), ["version"]);
  const mistyped = await assertRejects(() => client.healthCheck(), ResponseValidationError);
  assertStringIncludes(mistyped.message, "uptime_seconds");
  assertEquals([mistyped.method, mistyped.path], ["GET", "/health"]);
});

test("validation: lenient warns once per route and returns the data as sent", async (t) => {
  const { url } = await scripted(t, () => Response.json({ ...HEALTH, timestamp: "yesterday" }));
  const { warnings, logger } = collectingLogger();
  const client = new Client({ baseUrl: url, validationMode: "lenient", logger });
  const first = await client.healthCheck();
  await client.healthCheck();
  assertEquals(first.timestamp, "yesterday");
  assertEquals(warnings.length, 1);
  assertStringIncludes(warnings[0], "timestamp");
});

test("validation: off skips checking entirely", async (t) => {
  const { url } = await scripted(t, () => Response.json({ anything: true }));
  const { warnings, logger } = collectingLogger();
  const data = await new Client({ baseUrl: url, validationMode: "off", logger }).healthCheck();
  assertEquals(data as unknown, { anything: true });
  assertEquals(warnings, []);
});

test("validation: both timestamp forms the runtime sends are valid", async (t) => {
  const { url } = await scripted(t, (n) =>
    Response.json({
      ...HEALTH,
      timestamp: ["2026-11-28T10:00:00Z", "2026-11-28T10:00:00.123456+00:00"][n],
    }));
  const client = new Client({ baseUrl: url });
  await client.healthCheck();
  await client.healthCheck();
});
