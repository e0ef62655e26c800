import { runtime, test } from "./_harness.ts";
import { assertEquals, assertRejects, assertThrows, equal } from "./_assert.ts";

test("harness: deep equality sees nested differences", () => {
  assertEquals(
    equal({ a: [1, { b: new Uint8Array([1, 2]) }] }, { a: [1, { b: new Uint8Array([1, 2]) }] }),
    true,
  );
  assertEquals(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }), false);
  assertThrows(() => assertEquals({ a: 1 }, { a: 2 }));
});

test("harness: assertRejects returns the error", async () => {
  const error = await assertRejects(() => Promise.reject(new RangeError("nope")), RangeError, "no");
  assertEquals(error.message, "nope");
  assertEquals(["deno", "node", "bun", "workerd"].includes(runtime), true);
});
