import { runtime, test } from "../_harness.ts";
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "../_assert.ts";
import {
  Client,
  ConfigError,
  loadConfig,
  parseConfigYaml,
  parseDotEnv,
  resolveClientOptions,
} from "../../client/mod.ts";

type EnvHost = {
  Deno?: { env: { set(k: string, v: string): void; delete(k: string): void } };
  process?: { env: Record<string, string | undefined> };
};

/** Sets environment variables for the duration of `fn` (Deno, Node, Bun). */
async function withEnv(vars: Record<string, string | undefined>, fn: () => unknown): Promise<void> {
  const g = globalThis as EnvHost;
  const set = (k: string, v: string | undefined) => {
    if (g.Deno) v === undefined ? g.Deno.env.delete(k) : g.Deno.env.set(k, v);
    else if (v === undefined) delete g.process!.env[k];
    else g.process!.env[k] = v;
  };
  const before: Record<string, string | undefined> = {};
  for (const k of Object.keys(vars)) {
    before[k] = g.Deno ? (Deno.env.get(k) ?? undefined) : g.process!.env[k];
    set(k, vars[k]);
  }
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) set(k, v);
  }
}

const ALL_UNSET = {
  SYMBIONT_API_KEY: undefined,
  SYMBIONT_API_TOKEN: undefined,
  SYMBIONT_BASE_URL: undefined,
  SYMBIONT_TIMEOUT: undefined,
  SYMBIONT_VALIDATION_MODE: undefined,
  SYMBIONT_MAX_RETRIES: undefined,
  SYMBIONT_HTTP_INPUT_URL: undefined,
};
const local = ["deno", "node", "bun"] as const;

test("config: every option falls back to the environment, then to defaults", async () => {
  await withEnv(ALL_UNSET, () => {
    const d = resolveClientOptions();
    assertEquals([d.baseUrl, d.timeout, d.validationMode, d.maxRetries, d.apiKey, d.httpInputUrl], [
      "http://localhost:8080/api/v1",
      30_000,
      "strict",
      2,
      undefined,
      "http://localhost:8081/webhook",
    ]);
  });
  await withEnv({
    ...ALL_UNSET,
    SYMBIONT_API_TOKEN: "runtime-token",
    SYMBIONT_BASE_URL: "https://rt.example:9000",
    SYMBIONT_TIMEOUT: "2.5",
    SYMBIONT_VALIDATION_MODE: "LENIENT",
    SYMBIONT_MAX_RETRIES: "5",
    SYMBIONT_HTTP_INPUT_URL: "http://127.0.0.1:9081/hook/",
  }, () => {
    const r = resolveClientOptions();
    assertEquals([r.apiKey, r.baseUrl, r.timeout, r.validationMode, r.maxRetries, r.httpInputUrl], [
      "runtime-token",
      "https://rt.example:9000/api/v1",
      2500,
      "lenient",
      5,
      "http://127.0.0.1:9081/hook",
    ]);
  });
  // SYMBIONT_API_KEY wins over the runtime's SYMBIONT_API_TOKEN; explicit options win over both.
  await withEnv({ ...ALL_UNSET, SYMBIONT_API_KEY: "sdk-key", SYMBIONT_API_TOKEN: "rt" }, () => {
    assertEquals(resolveClientOptions().apiKey, "sdk-key");
    assertEquals(resolveClientOptions({ apiKey: "explicit" }).apiKey, "explicit");
  });
}, { runtimes: [...local] });

test("config: malformed option values are ConfigErrors that name the option", async () => {
  await withEnv({ ...ALL_UNSET, SYMBIONT_VALIDATION_MODE: "paranoid" }, () => {
    assertThrows(() => new Client(), ConfigError, "SYMBIONT_VALIDATION_MODE");
  });
  await withEnv({ ...ALL_UNSET, SYMBIONT_TIMEOUT: "soon" }, () => {
    assertThrows(() => new Client(), ConfigError, "SYMBIONT_TIMEOUT");
  });
  assertThrows(() => new Client({ baseUrl: "ftp://x" }), ConfigError, "http or https");
  assertThrows(() => new Client({ baseUrl: "not a url" }), ConfigError, "baseUrl");
  assertThrows(() => new Client({ baseUrl: "http://u:pw@h" }), ConfigError, "credentials");
  assertThrows(() => new Client({ timeout: -1 }), ConfigError, "timeout");
  assertThrows(() => new Client({ maxRetries: 1.5 }), ConfigError, "maxRetries");
}, { runtimes: [...local] });

test("config: .env parsing handles quotes, export, comments and escapes", () => {
  const vars = parseDotEnv([
    "# comment",
    "",
    "export SYMBIONT_API_KEY=abc.def",
    "SYMBIONT_BASE_URL = http://h:8080/api/v1   # trailing comment",
    "QUOTED='a # not a comment'",
    'ESCAPED="line1\\nline2 \\"q\\""',
    'MULTI="first',
    'second"',
    "EMPTY=",
  ].join("\r\n"));
  assertEquals(vars, {
    SYMBIONT_API_KEY: "abc.def",
    SYMBIONT_BASE_URL: "http://h:8080/api/v1",
    QUOTED: "a # not a comment",
    ESCAPED: 'line1\nline2 "q"',
    MULTI: "first\nsecond",
    EMPTY: "",
  });
});

test("config: a bad .env gives the line number and never the value", () => {
  const bad = assertThrows(() => parseDotEnv("A=1\nthis is not an assignment\n"), ConfigError);
  assertStringIncludes(bad.message, "line 2");
  const open = assertThrows(
    () => parseDotEnv('TOKEN="super-secret\n'),
    ConfigError,
    "unterminated",
  );
  assertEquals(open.message.includes("super-secret"), false);
  assertThrows(() => parseDotEnv("K='x' junk"), ConfigError, "unexpected text");
  assertThrows(() => parseDotEnv("=value"), ConfigError, "line 1");
});

test("config: YAML config maps keys, converts seconds and ignores the Python SDK's sections", () => {
  const options = parseConfigYaml([
    "api_key: kid.secret",
    "baseUrl: http://h:8080",
    "timeout: 1.5",
    "validation_mode: off",
    "max_retries: 0",
    "headers:",
    "  x-team: blue",
    "auth:",
    "  jwt_secret_key: ignored",
  ].join("\n"));
  assertEquals(options, {
    apiKey: "kid.secret",
    baseUrl: "http://h:8080",
    timeout: 1500,
    validationMode: "off",
    maxRetries: 0,
    headers: { "x-team": "blue" },
  });
  assertEquals(parseConfigYaml(""), {});
});

test("config: broken YAML, non-mappings, unknown keys and wrong types are clear errors", () => {
  assertThrows(
    () => parseConfigYaml("base_url: [unclosed\nx: 1", "sym.yaml"),
    ConfigError,
    "sym.yaml line",
  );
  assertThrows(() => parseConfigYaml("- a\n- b"), ConfigError, "mapping");
  assertThrows(
    () => parseConfigYaml("base_ulr: http://h"),
    ConfigError,
    'unknown setting "base_ulr"',
  );
  assertThrows(() => parseConfigYaml("timeout: soon"), ConfigError, '"timeout"');
  assertThrows(() => parseConfigYaml("headers: [a]"), ConfigError, "headers");
});

test("config: loadConfig reads real files; env beats .env beats YAML", async (t) => {
  const fs = await import("node:fs/promises");
  const os = await import("node:os");
  const path = await import("node:path");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "symbiont-config-"));
  t.defer(() => fs.rm(dir, { recursive: true, force: true }));
  const yamlFile = path.join(dir, "symbiont.yaml");
  const envFile = path.join(dir, ".env");
  await fs.writeFile(yamlFile, "base_url: http://yaml:1\ntimeout: 9\nvalidation_mode: lenient\n");
  await fs.writeFile(envFile, "SYMBIONT_BASE_URL=http://dotenv:2\nSYMBIONT_TIMEOUT=4\n");
  await withEnv({ ...ALL_UNSET, SYMBIONT_TIMEOUT: "3" }, async () => {
    const options = await loadConfig({ envFile, configFile: yamlFile });
    assertEquals([options.baseUrl, options.timeout, options.validationMode], [
      "http://dotenv:2",
      3000,
      "lenient",
    ]);
    assertEquals(new Client(options).baseUrl, "http://dotenv:2/api/v1");
  });
  const missing = await assertRejects(
    () => loadConfig({ envFile: path.join(dir, "nope.env") }),
    ConfigError,
  );
  assertEquals(missing.code, "CONFIG_NOT_FOUND");
  await fs.writeFile(envFile, "broken line\n");
  await assertRejects(() => loadConfig({ envFile }), ConfigError, "line 1");
}, { runtimes: [...local] });

test("config: the runtime under test is one of the four", () => {
  assertEquals(["deno", "node", "bun", "workerd"].includes(runtime), true);
});
