import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "./_harness.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "./_assert.ts";
import {
  type ArgDef,
  dryRun,
  evaluateCondition,
  generateCedarPolicy,
  getSchema,
  hostMatchesPattern,
  ipInCidr,
  loadManifestDir,
  loadManifestFile,
  parseCustomTypes,
  parseIpv6,
  parseManifest,
  shellSplit,
  ToolCladError,
  ToolCladRegistry,
  urlHostAllowed,
  validateArg,
  validateManifest,
} from "../toolclad/mod.ts";

const dataDir = fileURLToPath(new URL("./testdata/toolclad/", import.meta.url));
const toolsDir = join(dataDir, "tools");
const read = (name: string) => readFile(join(dataDir, name), "utf8");

function arg(type: string, extra: Partial<ArgDef> = {}): ArgDef {
  return {
    type,
    position: 1,
    required: true,
    description: "",
    clamp: false,
    schemes: [],
    scope_check: false,
    ...extra,
  };
}

function rejects(type: string, value: string, extra: Partial<ArgDef> = {}): ToolCladError {
  const error = assertThrows(() => validateArg("a", arg(type, extra), value), ToolCladError);
  assertEquals(
    error.code,
    "TOOLCLAD_ARG_INVALID",
    `${type} ${JSON.stringify(value)}: ${error.message}`,
  );
  assertEquals(error.arg, "a");
  return error;
}

const MINIMAL = `
[tool]
name = "t"
version = "1"
binary = "echo"
description = "d"

[command]
exec = ["echo", "{x}"]

[args.x]
type = "string"

[output]
format = "text"
`;

test("toolclad: every metacharacter, newline and NUL is refused by string, path, url, scope_target", () => {
  const hostile = [
    ";",
    "|",
    "&",
    "$",
    "`",
    "(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "<",
    ">",
    "!",
    "\n",
    "\r",
    "\0",
  ];
  for (const ch of hostile) {
    for (
      const [type, good] of [["string", "abc"], ["path", "dir/file"], [
        "scope_target",
        "example.com",
      ]]
    ) {
      const error = rejects(type, `${good.slice(0, 2)}${ch}${good.slice(2)}`);
      assertStringIncludes(error.message, "metacharacter");
    }
    rejects("url", `https://example.com/a${ch}b`);
    rejects("regex_match", `ab${ch}c`, { pattern: "." });
  }
  rejects("string", "$(whoami)");
  rejects("string", "a && rm -rf /");
  // Rust trims string values: surrounding newlines go, inner ones are refused.
  assertEquals(validateArg("a", arg("string"), "\n value \t"), "value");
});

test("toolclad: scope_target follows the Rust check order and rejects look-alikes", () => {
  assertEquals(rejects("scope_target", "").message, "argument 'a' scope_target must not be empty");
  assertStringIncludes(rejects("scope_target", "a".repeat(254)).message, "253");
  assertStringIncludes(rejects("scope_target", "*.example.com").message, "wildcards");
  assertStringIncludes(rejects("scope_target", "host/../etc").message, "traversal");
  assertStringIncludes(rejects("scope_target", "10.0.0.0/33").message, "'/'");
  assertStringIncludes(rejects("scope_target", "999.0.0.0/8").message, "'/'");
  assertStringIncludes(rejects("scope_target", "a\\b").message, "backslash");
  // Cyrillic 'а' (U+0430) and a fullwidth dot look like ASCII but are not.
  assertStringIncludes(rejects("scope_target", "ex\u0430mple.com").message, "ASCII");
  assertStringIncludes(rejects("scope_target", "example\uff0ecom").message, "ASCII");
  assertStringIncludes(rejects("scope_target", "XN--exmple-cua.com").message, "punycode");
  assertStringIncludes(rejects("scope_target", " example.com").message, "whitespace");
  assertStringIncludes(rejects("scope_target", "example.com\u00a0").message, "whitespace");
  assertStringIncludes(rejects("scope_target", "-bad-.com").message, "not a valid scope target");
  for (
    const ok of ["10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1", "10.0.0.0/8", "a-b.example.org"]
  ) {
    assertEquals(validateArg("a", arg("scope_target"), ok), ok);
  }
});

test("toolclad: ToolClad's scope vectors pass (validation and scope math)", async () => {
  const v = JSON.parse(await read("scope_vectors.json"));
  for (const [value, valid] of v.scope_target_validation) {
    let ok = true;
    try {
      validateArg("t", arg("scope_target"), value);
    } catch {
      ok = false;
    }
    assertEquals(ok, valid, `scope_target ${JSON.stringify(value)}`);
  }
  for (const [ip, cidr, expected] of [...v.ipv4_in_cidr, ...v.ipv6_in_cidr]) {
    assertEquals(ipInCidr(ip, cidr), expected, `${ip} in ${cidr}`);
  }
  for (const [host, pattern, expected] of v.hostname_wildcard_match) {
    assertEquals(hostMatchesPattern(host, pattern), expected, `${host} ~ ${pattern}`);
  }
  for (const [url, hosts, expected] of v.url_scope_check) {
    assertEquals(urlHostAllowed(url, hosts), expected, url);
  }
  assertEquals(ipInCidr("10.0.0.1", "2001:db8::/32"), false);
  assertEquals(ipInCidr("10.0.0.1", "10.0.0.0/40"), false);
});

test("toolclad: ports, integers, numbers and booleans are range-checked and normalised", () => {
  for (const bad of ["0", "65536", "70000", "-1", "abc", "80.0", "0x50", "", "1e3"]) {
    rejects("port", bad);
  }
  assertEquals(validateArg("a", arg("port"), "+0443"), "443");
  assertEquals(validateArg("a", arg("port"), 8080), "8080");
  const clamped = arg("integer", { min: 1n, max: 10n, clamp: true });
  assertEquals(validateArg("a", clamped, "0"), "1");
  assertEquals(validateArg("a", clamped, "100"), "10");
  assertStringIncludes(rejects("integer", "11", { max: 10n }).message, "above maximum 10");
  rejects("integer", "9223372036854775808");
  rejects("integer", "1.5");
  assertEquals(validateArg("a", arg("integer"), "-9223372036854775808"), "-9223372036854775808");
  for (const bad of ["NaN", "inf", "-Infinity", "1e999", "abc", "0x10"]) rejects("number", bad);
  assertEquals(validateArg("a", arg("number"), "2.50"), "2.5");
  assertEquals(validateArg("a", arg("number"), "1e21"), "1000000000000000000000");
  assertEquals(validateArg("a", arg("number", { min_float: 0.5, clamp: true }), "0.1"), "0.5");
  rejects("number", "3", { min: 5n });
  assertEquals(validateArg("a", arg("boolean"), true), "true");
  for (const bad of ["True", "1", "yes", "FALSE"]) rejects("boolean", bad);
});

test("toolclad: ip_address, cidr, url, path, enum, duration, msf_options and regex_match rules", () => {
  for (
    const bad of [
      "256.1.1.1",
      "010.0.0.1",
      "1.2.3",
      ":::",
      "1::2::3",
      "fe80::1%eth0",
      "[::1]",
      "1.2.3.4 ",
    ]
  ) {
    rejects("ip_address", bad);
  }
  assertEquals(parseIpv6("1:2:3:4:5:6:7::")?.length, 8);
  assertEquals(parseIpv6("1:2:3:4:5:6:7:8::"), null);
  for (const ok of ["::", "::1", "2001:DB8::8:800:200C:417A", "::ffff:192.0.2.1"]) {
    assertEquals(validateArg("a", arg("ip_address"), ok), ok);
  }
  assertStringIncludes(rejects("cidr", "10.0.0.0/33").message, "0-32");
  assertStringIncludes(rejects("cidr", "300.0.0.0/8").message, "invalid IPv4");
  rejects("cidr", "2001:db8::/32"); // Rust: IPv4 only
  rejects("cidr", "10.0.0.0");
  assertEquals(validateArg("a", arg("cidr"), "10.0.0.0/8"), "10.0.0.0/8");
  for (
    const bad of [
      "ftp://x.com",
      "https://ex ample.com",
      "https://example.com:8443/",
      "HTTPS://x.com",
      "javascript:alert(1)",
    ]
  ) {
    rejects("url", bad);
  }
  assertStringIncludes(
    rejects("url", "http://example.com/", { schemes: ["https"] }).message,
    "scheme",
  );
  for (
    const bad of ["../etc/passwd", "a/../../b", "..\\win", "/etc/shadow", "C:\\x", "etc/../shadow"]
  ) {
    rejects("path", bad);
    rejects("credential_file", bad);
  }
  assertEquals(validateArg("a", arg("path"), "reports/out.txt"), "reports/out.txt");
  const e = arg("enum", { allowed: ["ping", "syn"] });
  assertEquals(validateArg("a", e, "ping"), "ping");
  rejects("enum", "PING", { allowed: ["ping"] });
  rejects("enum", "ping ", { allowed: ["pin"] });
  for (const ok of ["30", "5m", "1h30m", "500ms", "2h15m10s"]) {
    assertEquals(validateArg("a", arg("duration"), ok), ok);
  }
  for (const bad of ["5d", "-5", "1.5h", "m", "5m;"]) rejects("duration", bad);
  assertEquals(
    validateArg("a", arg("msf_options"), "RHOSTS 10.0.0.1; RPORT 445"),
    "RHOSTS 10.0.0.1; RPORT 445",
  );
  rejects("msf_options", "rhosts 10.0.0.1");
  rejects("msf_options", "RHOSTS");
  rejects("msf_options", "RHOSTS $(id)");
  rejects("regex_match", "Hello123", { pattern: "^[a-z]+$" });
  const noPattern = assertThrows(() => validateArg("a", arg("regex_match"), "x"), ToolCladError);
  assertEquals(noPattern.code, "TOOLCLAD_MANIFEST_INVALID");
  // Patterns are searched anywhere, as in Rust: unanchored patterns are permissive.
  assertEquals(validateArg("a", arg("string", { pattern: "[0-9]" }), "abc1"), "abc1");
  assertEquals(validateArg("a", arg("string", { pattern: "(?i)^abc$" }), "ABC"), "ABC");
  // Fullwidth semicolon is not a shell metacharacter (argv never meets a shell); Rust accepts it too.
  assertEquals(validateArg("a", arg("string"), "a\uff1bb"), "a\uff1bb");
  const objError = assertThrows(
    () => validateArg("a", arg("string"), {} as unknown as string),
    ToolCladError,
  );
  assertEquals(objError.code, "TOOLCLAD_ARG_INVALID");
});

test("toolclad: broken manifests report every problem with its field path", () => {
  const result = validateManifest(`
[tool]
name = "x"
version = 3
risk_tier = "extreme"
dispatch = "remote"
timeout_seconds = -1

[args.a]
type = "hostname"

[args.b]
type = "enum"

[args.c]
type = "regex_match"

[args.d]
type = "string"
pattern = "([a-z"

[args.e]
type = "integer"
min = 5
max = 1
requried = true

[command.mappings.nope]
x = "-x"
`);
  assertEquals(result.valid, false);
  const paths = result.errors.map((e) => e.path);
  for (
    const p of [
      "tool.version",
      "tool.binary",
      "tool.description",
      "tool.risk_tier",
      "tool.dispatch",
      "tool.timeout_seconds",
      "args.a.type",
      "args.b.allowed",
      "args.c.pattern",
      "args.d.pattern",
      "args.e.min",
      "command.mappings.nope",
      "command",
      "output",
    ]
  ) assert(paths.includes(p), `expected an error at ${p}, got ${paths.join(", ")}`);
  assert(result.warnings.some((w) => w.path === "args.e.requried"));
  const version = result.errors.find((e) => e.path === "tool.version")!;
  assertEquals(version.message, "must be a string, got an integer");

  const syntax = assertThrows(() => parseManifest('[tool]\nname = "x'), ToolCladError);
  assertEquals(syntax.code, "TOOLCLAD_TOML_SYNTAX");
  assertEquals(syntax.line, 2);
  const invalid = assertThrows(
    () => parseManifest("[tool]\nname = 'x'", { source: "x.clad.toml" }),
    ToolCladError,
  );
  assertEquals(invalid.code, "TOOLCLAD_MANIFEST_INVALID");
  assertStringIncludes(invalid.message, "x.clad.toml");
  assert(invalid.issues.length >= 3);
  const badDefault = validateManifest(
    MINIMAL.replace('type = "string"', 'type = "port"\ndefault = 0'),
  );
  assertEquals(badDefault.errors.map((e) => e.path), ["args.x.default"]);
  const callback = validateManifest(
    '[tool]\nname="c"\nversion="1"\nbinary="b"\ndescription="d"\ndispatch="callback"',
  );
  assertEquals(callback.valid, true);
  assertEquals(parseManifest(MINIMAL).tool.timeout_seconds, 60);
  assertEquals(parseManifest(MINIMAL).tool.risk_tier, "low");
});

test("toolclad: exec argv keeps values whole, fills mappings, conditionals, defaults and clamps", async () => {
  const manifest = parseManifest(await read("tools/port_probe.clad.toml"));
  const result = dryRun(
    manifest,
    { host: "10.0.0.0/24", port: 443, rate: 9000, label: "nightly" },
    {
      scanId: "1700000000-abcde",
      evidenceDir: "/var/ev",
    },
  );
  assertEquals(result.backend, "exec");
  assertEquals(result.argv, [
    "nmap",
    "-T4",
    "-p",
    "443",
    "--max-rate",
    "500",
    "--script-args=tag=nightly",
    "-oX",
    "/var/ev/1700000000-abcde-output",
    "10.0.0.0/24",
  ]);
  assertEquals(result.args, {
    host: "10.0.0.0/24",
    port: "443",
    mode: "quick",
    rate: "500",
    label: "nightly",
  });
  assertEquals(result.validations.find((v) => v.name === "mode")?.fromDefault, true);
  assertEquals(result.cedar, "Net::Host / probe");
  assertEquals(result.timeoutSeconds, 120);
  assertEquals(result.unresolved, []);
  const noLabel = dryRun(manifest, { host: "example.com", port: "22", mode: "deep" }, {
    scanId: "s",
  });
  assertEquals(noLabel.argv!.slice(0, 2), ["nmap", "-sV"]);
  assertEquals(noLabel.argv![6], "");
  const missing = assertThrows(() => dryRun(manifest, { port: 22 }), ToolCladError);
  assertEquals([missing.code, missing.arg], ["TOOLCLAD_ARG_MISSING", "host"]);
  const bad = assertThrows(
    () => dryRun(manifest, { host: "example.com", port: 22, label: "Bad Label" }),
    ToolCladError,
  );
  assertEquals([bad.code, bad.arg], ["TOOLCLAD_ARG_INVALID", "label"]);
  // A value holding a placeholder is never re-expanded.
  const plain = parseManifest(
    MINIMAL.replace('type = "string"', 'type = "enum"\nallowed = ["{_scan_id}"]'),
  );
  assertEquals(dryRun(plain, { x: "{_scan_id}" }, { scanId: "S" }).argv, ["echo", "{_scan_id}"]);
});

test("toolclad: legacy templates split quote-aware and report unresolved placeholders", async () => {
  const types = parseCustomTypes(await read("tools/toolclad.toml"));
  const manifest = parseManifest(await read("tools/zone_lookup.clad.toml"), { customTypes: types });
  const result = dryRun(manifest, { zone: "example.org", note: "two words" }, {
    customTypes: types,
  });
  assertEquals(result.argv, ["dig", "+short", "example.org", "A", "two words"]);
  assertEquals(result.command, "dig +short example.org A 'two words'");
  const fqdnError = assertThrows(
    () => validateArg("z", arg("fqdn"), "Example.org", types),
    ToolCladError,
  );
  assertEquals(fqdnError.code, "TOOLCLAD_ARG_INVALID");
  const typed = assertThrows(
    () => dryRun(manifest, { zone: "EXAMPLE" }, { customTypes: types }),
    ToolCladError,
  );
  assertEquals(typed.arg, "zone");
  const quote = assertThrows(
    () => dryRun(manifest, { zone: "example.org", note: "it's" }, { customTypes: types }),
    ToolCladError,
  );
  assertEquals(quote.code, "TOOLCLAD_COMMAND_INVALID");
  const noTypes = assertThrows(
    () => parseManifest(MINIMAL.replace('type = "string"', 'type = "fqdn"')),
    ToolCladError,
  );
  assertEquals(noTypes.issues[0].path, "args.x.type");
  const unresolved = parseManifest(
    MINIMAL.replace('exec = ["echo", "{x}"]', 'template = "echo {_scan_flags} {x}"'),
  );
  const r = dryRun(unresolved, { x: "hi" });
  assertEquals(r.argv, ["echo", "{_scan_flags}", "hi"]);
  assertEquals(r.unresolved, ["{_scan_flags}"]);
  assertEquals(shellSplit(`a "b \\"c\\" d" e\\ f 'g h' #comment`), ["a", 'b "c" d', "e f", "g h"]);
  assertEquals(evaluateCondition("a == 'x' and b != ''", { a: "x", b: "" }), false);
  assertEquals(evaluateCondition('a == "x"', { a: "x" }), true);
  assertEquals(evaluateCondition("missing == ''", {}), true);
});

test("toolclad: http and mcp backends render the request without sending it", async () => {
  const manifest = parseManifest(await read("status_api.clad.toml"));
  const result = dryRun(manifest, { service: "billing" });
  assertEquals(result.backend, "http");
  assertEquals(result.argv, null);
  assertEquals(result.command, "POST https://status.example.com/v1/billing");
  assertEquals(result.http?.headers, { "X-Service": "billing" });
  assertEquals(
    result.http?.body,
    '{"service": "billing", "note": "x", "key": "{_secret:status_key}"}',
  );
  assertEquals(result.secrets, ["status_key"]);
  rejects("regex_match", "BILLING", { pattern: "^[a-z]{3,12}$" });
  const mcp = parseManifest(`
[tool]
name = "m"
version = "1"
binary = "none"
description = "proxy"
[args.q]
type = "string"
required = true
[mcp]
server = "search"
tool = "query"
field_map = { q = "query_text" }
[output]
format = "json"
`);
  const m = dryRun(mcp, { q: "cats" });
  assertEquals(m.command, "mcp://search:query");
  assertEquals(m.mcp?.arguments, { query_text: "cats" });
  const session = parseManifest(`
[tool]
name = "s"
version = "1"
binary = "msfconsole"
description = "session"
[session]
startup_command = "msfconsole -q"
ready_pattern = "msf6 >"
[session.commands.use]
pattern = "^use [a-z/_]+$"
description = "Select module"
[output]
format = "text"
`);
  assertEquals(session.session?.commands.use.description, "Select module");
  assertEquals(
    assertThrows(() => dryRun(session, {}), ToolCladError).code,
    "TOOLCLAD_BACKEND_NOT_LOCAL",
  );
});

test("toolclad: MCP schema follows the Rust mapping and the evidence envelope", async () => {
  const manifest = parseManifest(await read("tools/port_probe.clad.toml"));
  const schema = getSchema(manifest);
  assertEquals(schema.name, "port_probe");
  assertEquals(Object.keys(schema.inputSchema.properties), [
    "host",
    "port",
    "mode",
    "rate",
    "label",
  ]);
  assertEquals(schema.inputSchema.required, ["host", "port"]);
  assertEquals(schema.inputSchema.properties.port, {
    type: "integer",
    minimum: 1,
    maximum: 65535,
    description: "TCP port",
  });
  assertEquals(schema.inputSchema.properties.mode, {
    type: "string",
    enum: ["quick", "deep"],
    default: "quick",
  });
  assertEquals(schema.inputSchema.properties.rate, {
    type: "integer",
    default: 100,
    minimum: 1,
    maximum: 500,
  });
  assertEquals(schema.inputSchema.properties.label.pattern, "^[a-z0-9-]+$");
  const out = schema.outputSchema as { properties: Record<string, unknown> };
  assertEquals(out.properties.results, {
    type: "object",
    properties: { open: { type: "boolean" } },
  });
  assertEquals((out.properties.status as { enum: string[] }).enum, [
    "success",
    "error",
    "timeout",
    "delegation_preview",
  ]);
  const types = parseCustomTypes(await read("tools/toolclad.toml"));
  const zone = parseManifest(await read("tools/zone_lookup.clad.toml"), { customTypes: types });
  const zs = getSchema(zone, types);
  assertEquals(zs.outputSchema, { type: "object" });
  assertStringIncludes(zs.inputSchema.properties.zone.pattern as string, "[a-z0-9]");
  const ip = getSchema(parseManifest(MINIMAL.replace('type = "string"', 'type = "ip_address"')));
  assertEquals(ip.inputSchema.properties.x, { type: "string", format: "ipv4" });
});

test("toolclad: Cedar policy text follows risk tier and approval needs", async () => {
  const types = parseCustomTypes(await read("tools/toolclad.toml"));
  const zone = parseManifest(await read("tools/zone_lookup.clad.toml"), { customTypes: types });
  const gated = generateCedarPolicy(zone);
  assertStringIncludes(gated, 'action == Action::"tool_call::zone_lookup"');
  assertStringIncludes(gated, "when { context.has_human_approval == true };");
  const queued = generateCedarPolicy(zone, {
    approval: "queue",
    agentId: "6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f",
  });
  assert(!queued.includes("has_human_approval =="));
  assertStringIncludes(queued, "SYMBIONT_REQUIRE_APPROVAL_TOOLS");
  assertStringIncludes(queued, "WARNING: high-risk");
  assertStringIncludes(queued, 'principal == Agent::"6f1c2b9e-3d4a-4c5b-8e7f-9a0b1c2d3e4f"');
  const low = generateCedarPolicy(parseManifest(MINIMAL.replace('name = "t"', 'name = "a\\"b"')));
  assertStringIncludes(low, 'Action::"tool_call::a\\"b"');
  assert(!low.includes("when"));
});

test("toolclad: registry loads a folder with its toolclad.toml, lists, tests and reloads", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "toolclad-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  for (const f of ["port_probe.clad.toml", "zone_lookup.clad.toml", "toolclad.toml"]) {
    await writeFile(join(dir, f), await read(`tools/${f}`));
  }
  const registry = new ToolCladRegistry();
  const loaded = await registry.loadDir(dir);
  assertEquals(loaded.map((m) => m.tool.name), ["port_probe", "zone_lookup"]);
  const list = registry.list();
  assertEquals(list.map((i) => [i.name, i.backend, i.riskTier, i.humanApproval, i.argCount]), [
    ["port_probe", "exec", "medium", false, 5],
    ["zone_lookup", "template", "high", true, 3],
  ]);
  assertEquals(list[0].source, join(dir, "port_probe.clad.toml"));
  assertEquals(registry.test("zone_lookup", { zone: "example.org" }).argv?.[2], "example.org");
  assertEquals(registry.getSchema("port_probe").inputSchema.required, ["host", "port"]);
  assertStringIncludes(registry.cedarPolicy(), "tool_call::port_probe");
  assertEquals(
    assertThrows(() => registry.get("nmap"), ToolCladError).code,
    "TOOLCLAD_TOOL_NOT_FOUND",
  );
  assertEquals(
    assertThrows(() => registry.addManifest("[tool\nname = 1"), ToolCladError).code,
    "TOOLCLAD_TOML_SYNTAX",
  );
  registry.addManifest(MINIMAL, "inline");

  // Hot reload picks up edits; a broken edit leaves the registry as it was.
  await writeFile(
    join(dir, "port_probe.clad.toml"),
    (await read("tools/port_probe.clad.toml")).replace(
      'risk_tier = "medium"',
      'risk_tier = "critical"',
    ),
  );
  assertEquals(await registry.reload(), ["port_probe", "zone_lookup"]);
  assertEquals(registry.get("port_probe").tool.risk_tier, "critical");
  assert(registry.has("t"));
  await writeFile(join(dir, "zone_lookup.clad.toml"), "[tool]\nname = 'zone_lookup'\n");
  const failed = await assertRejects(() => registry.reload(), ToolCladError);
  assertEquals(failed.source, join(dir, "zone_lookup.clad.toml"));
  assert(registry.has("zone_lookup"));
  assertEquals(registry.size, 3);

  const io = await assertRejects(
    () => loadManifestFile(join(dir, "absent.clad.toml")),
    ToolCladError,
  );
  assertEquals(io.code, "TOOLCLAD_IO_ERROR");
  assertStringIncludes(io.message, "no such file");
  assertEquals(
    (await loadManifestFile(join(dataDir, "status_api.clad.toml"))).tool.name,
    "status_api",
  );
  assertEquals((await loadManifestDir(toolsDir)).length, 2);
  const dup = new ToolCladRegistry();
  dup.addManifest(await read("tools/port_probe.clad.toml"));
  assertEquals(
    (await assertRejects(() => dup.loadDir(toolsDir), ToolCladError)).code,
    "TOOLCLAD_DUPLICATE_TOOL",
  );
  assertEquals(dup.size, 1);
});
