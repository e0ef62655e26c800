import { test } from "../_harness.ts";
import { assertEquals, assertThrows } from "../_assert.ts";
import { assertTimeZone, CronError, nextCronRuns, parseCron } from "../../client/cron.ts";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

test("cron: fields accept numbers, names, ranges, steps, lists, * and ?", () => {
  const s = parseCron("0/20 1,2,5-7 */6 ? JAN-MAR/2 mon,Wed,FRI 2030-2040/5");
  assertEquals(s.fields.second, [0, 20, 40]);
  assertEquals(s.fields.minute, [1, 2, 5, 6, 7]);
  assertEquals(s.fields.hour, [0, 6, 12, 18]);
  assertEquals(s.fields.dayOfMonth.length, 31);
  assertEquals(s.fields.month, [1, 3]);
  assertEquals(s.fields.dayOfWeek, [2, 4, 6]);
  assertEquals(s.fields.year, [2030, 2035, 2040]);
  assertEquals(parseCron("0 0 12 * * Tues-Thurs").fields.dayOfWeek, [3, 4, 5]);
  assertEquals(parseCron("@weekly").fields.dayOfWeek, [1]);
});

test("cron: errors name the field that is wrong", () => {
  const cases: [string, string | undefined, string][] = [
    ["0 0 12 * * 0", "dayOfWeek", "out of range"],
    ["0 0 24 * * *", "hour", "out of range"],
    ["60 * * * * *", "second", "out of range"],
    ["0 0 0 1 FOO *", "month", "not a valid month"],
    ["? 0 0 * * *", "second", '"?" is allowed only'],
    ["0 0 0 1 1 MON/2", "dayOfWeek", "step"],
    ["0 0 0 5-1 * *", "dayOfMonth", "invalid range"],
    ["*/0 * * * * *", "second", "zero"],
    ["* * * * */13 *", "month", "step 13"],
    ["0 0 0 1 1 ? 2020-2040/2200", "year", "step 2200"],
    ["0 12 * * *", undefined, "found 5"],
    ["* * * * * * * x", undefined, "after the last field"],
    ["", undefined, "found 0"],
  ];
  for (const [expression, field, part] of cases) {
    const error = assertThrows(() => parseCron(expression), CronError);
    assertEquals(error.code, "INVALID_CRON", expression);
    assertEquals(error.field, field, expression);
    assertEquals(error.input, expression);
    assertEquals(error.message.includes(part), true, `${expression}: ${error.message}`);
  }
});

test("cron: the crate's leniencies are kept (no separators needed, spaces inside lists)", () => {
  assertEquals(parseCron("******").fields.second.length, 60);
  assertEquals(parseCron("0 1, 2 * * * *").fields.minute, [1, 2]);
  assertEquals(parseCron("  @daily ").fields.hour, [0]);
  assertThrows(() => parseCron("@dailyX"), CronError);
});

test("cron: next runs in UTC are strictly after the reference, at whole seconds", () => {
  const s = parseCron("*/15 * * * * *");
  assertEquals(s.next(Date.UTC(2026, 0, 1, 0, 0, 15))?.toISOString(), "2026-01-01T00:00:30.000Z");
  assertEquals(
    s.next(Date.UTC(2026, 0, 1, 0, 0, 14, 500))?.toISOString(),
    "2026-01-01T00:00:15.000Z",
  );
  assertEquals(
    iso(parseCron("0 0 0 31 * *").upcoming(Date.UTC(2026, 0, 31, 12), 3)),
    ["2026-03-31T00:00:00.000Z", "2026-05-31T00:00:00.000Z", "2026-07-31T00:00:00.000Z"],
  );
});

test("cron: day of month and day of week must both match", () => {
  // Friday the 13th.
  assertEquals(
    iso(parseCron("0 0 0 13 * FRI").upcoming(Date.UTC(2026, 0, 1), 2)),
    ["2026-02-13T00:00:00.000Z", "2026-03-13T00:00:00.000Z"],
  );
  // Leap days that are Mondays; none is left after 2072 before 2101.
  assertEquals(
    iso(nextCronRuns("0 0 0 29 2 MON", { after: Date.UTC(2026, 0, 1), count: 3 })),
    ["2044-02-29T00:00:00.000Z", "2072-02-29T00:00:00.000Z"],
  );
  assertEquals(parseCron("0 0 0 1 1 * 2025").next(Date.UTC(2026, 0, 1)), null);
});

test("cron: time zones follow daylight saving time, skipping gaps and repeating folds", () => {
  assertEquals(
    iso(nextCronRuns("0 0 9 * * *", {
      after: Date.UTC(2026, 2, 7),
      timeZone: "America/New_York",
      count: 3,
    })),
    ["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"],
  );
  // 02:30 does not exist on 8 March 2026 in New York.
  assertEquals(
    iso(nextCronRuns("0 30 2 * * *", {
      after: Date.UTC(2026, 2, 7, 12),
      timeZone: "America/New_York",
      count: 2,
    })),
    ["2026-03-09T06:30:00.000Z", "2026-03-10T06:30:00.000Z"],
  );
  // 01:30 happens twice on 1 November 2026.
  assertEquals(
    iso(nextCronRuns("0 30 1 * * *", {
      after: Date.UTC(2026, 10, 1, 0),
      timeZone: "America/New_York",
      count: 3,
    })),
    ["2026-11-01T05:30:00.000Z", "2026-11-01T06:30:00.000Z", "2026-11-02T06:30:00.000Z"],
  );
  assertEquals(
    parseCron("0 30 9 * * MON-FRI").next(Date.UTC(2026, 0, 2, 12), "Asia/Kolkata")?.toISOString(),
    "2026-01-05T04:00:00.000Z",
  );
  assertEquals(parseCron("0 0 9 * * *").includes(Date.UTC(2026, 6, 1, 7), "Europe/Berlin"), true);
});

test("cron: unknown time zones are refused with INVALID_TIMEZONE", () => {
  for (const zone of ["Mars/Olympus", "+02:00", "not a zone"]) {
    const error = assertThrows(() => assertTimeZone(zone), CronError);
    assertEquals(error.code, "INVALID_TIMEZONE");
    assertEquals(error.input, zone);
  }
  assertTimeZone("UTC");
  assertTimeZone("Europe/Berlin");
  assertThrows(() => parseCron("0 0 0 * * *").next(0, "Nowhere/Land"), CronError);
});
