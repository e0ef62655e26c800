/**
 * Runs the `symbiont` CLI as a subprocess with the current runtime's own executable (`deno run -A
 * cli.ts`, `node cli.ts`, `bun cli.ts`), with a clean environment (no inherited `SYMBIONT_*`).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtime, type TestContext } from "../_harness.ts";
import { createRuntimeDouble, type RuntimeDouble, serve } from "../../testing/mod.ts";

const CLI = fileURLToPath(new URL("../../cli.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** What a CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (throws when it is not one JSON document). */
  json(): unknown;
}

function command(): [string, string[]] {
  const g = globalThis as { Deno?: { execPath(): string } };
  if (runtime === "deno" && g.Deno) return [g.Deno.execPath(), ["run", "-A", "--quiet", CLI]];
  // Bun loads ./.env by itself unless told not to; the CLI reads .env files only with --dotenv.
  if (runtime === "bun") return [process.execPath, ["--no-env-file", CLI]];
  return [process.execPath, [CLI]];
}

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("SYMBIONT_") && k !== "NO_COLOR") env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * Runs `symbiont <args>` and waits for it.
 *
 * @param args The arguments.
 * @param options Extra environment and standard input.
 * @returns Exit code and output.
 */
export function cli(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  const [exe, pre] = command();
  return new Promise((resolve, reject) => {
    const child = spawn(exe, [...pre, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env ?? {}),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () => JSON.parse(stdout),
      }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Starts `symbiont <args>` and resolves once stdout has printed a line matching `ready`.
 *
 * @param args The arguments.
 * @param ready What to wait for.
 * @param env Extra environment.
 * @returns The first matching line, and a stop function that sends SIGTERM and waits.
 */
export function cliBackground(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
): Promise<{ match: RegExpMatchArray; stop(): Promise<CliRun> }> {
  const [exe, pre] = command();
  const child = spawn(exe, [...pre, ...args], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const closed = new Promise<CliRun>((resolve) =>
    child.on("close", (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }))
  );
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const match = stdout.match(ready);
      if (match) {
        resolve({
          match,
          stop: () => {
            child.kill("SIGTERM");
            return closed;
          },
        });
      }
    });
    closed.then((r) => reject(new Error(`exited ${r.code} before ready: ${r.stderr.trim()}`)));
  });
}

/** A runtime double served on loopback for one test. */
export interface ServedDouble {
  double: RuntimeDouble;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  token: string;
  /** Environment pointing the CLI at the double. */
  env: Record<string, string>;
}

/**
 * Serves a fresh runtime double for the test; closed when the test ends.
 *
 * @param t The test context.
 * @returns The double and how to reach it.
 */
export async function servedDouble(t: TestContext): Promise<ServedDouble> {
  const token = "cli-test-token";
  const double = createRuntimeDouble({ apiToken: token, readyAfterMs: 0 });
  const server = await serve(double.fetch);
  t.defer(() => server.close());
  return {
    double,
    url: server.url,
    token,
    env: { SYMBIONT_BASE_URL: server.url, SYMBIONT_API_KEY: token },
  };
}

/**
 * A temp folder removed when the test ends.
 *
 * @param t The test context.
 * @returns Its path.
 */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "symbiont-cli-"));
  t.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Asserts stderr is exactly one `error:` line without a stack trace.
 *
 * @param run The run.
 * @returns The line.
 */
export function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.trim().split("\n");
  if (lines.length !== 1 || !lines[0].startsWith("error: ")) {
    throw new Error(`expected one error line on stderr, got:\n${run.stderr}`);
  }
  if (/\n\s+at /.test(run.stderr)) throw new Error(`stack trace on stderr:\n${run.stderr}`);
  return lines[0];
}
