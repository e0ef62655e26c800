/**
 * The CLI's conventions checked in-process through `main(args, io)` (fast): `--help` on every
 * group and command with examples, usage errors with exit 2 and one line, JSON error documents.
 */
import { type CliIO, COMMAND_GROUPS, main } from "../../cli.ts";
import { assert, assertEquals, assertMatch, assertStringIncludes } from "../_assert.ts";
import { test } from "../_harness.ts";

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false },
    out,
    err,
  };
}

test("cli: --help on every group and every command, with examples and exit 0", async () => {
  const groups = Object.entries(COMMAND_GROUPS);
  assert(groups.length >= 18, "every surface has a group");
  for (const [name, group] of groups) {
    const g = capture();
    assertEquals(await main([name, "--help"], g.io), 0, `${name} --help`);
    assertStringIncludes(g.out.join("\n"), "Examples:");
    for (const [command, spec] of Object.entries(group.commands)) {
      const c = capture();
      assertEquals(await main([name, command, "--help"], c.io), 0, `${name} ${command} --help`);
      const text = c.out.join("\n");
      assertStringIncludes(text, spec.summary);
      assertStringIncludes(text, "Examples:", `${name} ${command} has examples`);
      assertStringIncludes(text, "--json");
      assert(spec.permissions, `${name} ${command} documents its Deno permissions`);
      assertEquals(c.err, []);
    }
  }
});

test("cli: the top-level help lists every group; no arguments is a usage error", async () => {
  const h = capture();
  assertEquals(await main(["--help"], h.io), 0);
  for (const name of Object.keys(COMMAND_GROUPS)) {
    assertMatch(h.out.join("\n"), new RegExp(`\\n  ${name} `));
  }
  const none = capture();
  assertEquals(await main([], none.io), 2);
  assertStringIncludes(none.out.join("\n"), "Exit codes: 0 success, 1 failure, 2 usage error.");
});

test("cli: unknown groups, commands and flags exit 2 with one line naming them", async () => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /^error: unknown command group "frobnicate" \(see 'symbiont --help'\)$/],
    [["agents", "frob"], /^error: unknown command "agents frob" \(see 'symbiont agents --help'\)$/],
    [["agents"], /^error: "agents" needs a command/],
    [
      ["agents", "list", "--nope"],
      /^error: unknown option '--nope' \(see 'symbiont agents list --help'\)$/,
    ],
    [["agents", "status"], /^error: missing <agent-id>/],
    [["agents", "list", "extra"], /^error: unexpected argument "extra"/],
    [["schedules", "create", "--name", "x"], /^error: --cron is required/],
    [
      ["system", "health", "--timeout", "soon"],
      /^error: --timeout expects a positive number of seconds/,
    ],
    [["system", "health", "--base-url", "ftp://x"], /^error: --base-url expects an http\(s\) URL/],
    [
      ["workflows", "execute", "--dsl", "x", "--params", "{nope"],
      /^error: --params: not valid JSON/,
    ],
    [
      ["webhook", "sign", "--provider", "gitlab", "--body", "x"],
      /^error: --provider expects one of/,
    ],
  ];
  for (const [args, pattern] of cases) {
    const c = capture();
    assertEquals(await main(args, c.io), 2, args.join(" "));
    assertEquals(c.err.length, 1, args.join(" "));
    assertMatch(c.err[0], pattern);
  }
});

test("cli: with --json an error is one JSON document on stdout, and --debug adds the stack", async () => {
  const c = capture();
  assertEquals(await main(["agents", "status", "--json"], c.io), 2);
  assertEquals(JSON.parse(c.out.join("")), {
    error: { code: "USAGE", message: "missing <agent-id>" },
  });
  const d = capture();
  assertEquals(
    await main(["memory", "show", "a", "--dir", "/nonexistent/symbiont", "--debug"], d.io),
    1,
  );
  assertMatch(
    d.err[0],
    /^error: the memory folder "\/nonexistent\/symbiont" does not exist \[MEMORY_DIR_MISSING\]$/,
  );
  assertMatch(d.err[1] ?? "", /\n\s+at /);
});

test("cli: colour only when asked for (a TTY without NO_COLOR), never in captured output", async () => {
  const plain = capture();
  await main(["agents", "status"], plain.io);
  assert(!plain.err[0].includes("\x1b["), "no escapes without colour");
  const coloured = capture();
  await main(["agents", "status"], { ...coloured.io, color: true });
  assertStringIncludes(coloured.err[0], "\x1b[31merror:\x1b[39m");
});
