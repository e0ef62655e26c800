// deno-lint-ignore-file no-console
// The whole test suite on every runtime: the shared suite (tests/run.ts) on Deno, Node 24 and Bun,
// then the workerd suite (tests/workerd/run.mjs) through miniflare. Each runtime's output is shown
// as it finishes; the last lines are one summary per runtime. Exit code 0 only if all passed.
// Runs on plain Node (any version >= 18) or Deno; the toolchains come from .cache/bin (scripts/toolchain.mjs).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const bin = (name) => join(root, ".cache", "bin", name);
const extra = process.argv.slice(2);

const suites = [
  { runtime: "deno", cmd: bin("deno"), args: ["run", "-A", "tests/run.ts", ...extra] },
  { runtime: "node", cmd: bin("node"), args: ["tests/run.ts", ...extra] },
  { runtime: "bun", cmd: bin("bun"), args: ["tests/run.ts", ...extra] },
  { runtime: "workerd", cmd: bin("node"), args: ["tests/workerd/run.mjs"] },
];

function run(suite) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(suite.cmd, suite.args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (error) => resolve({ ...suite, code: 1, output: String(error), started }));
    child.on("close", (code) => resolve({ ...suite, code, output, started }));
  });
}

// Two at a time: the machine has two cores.
const queue = [...suites];
const results = [];
async function worker() {
  while (queue.length) {
    const result = await run(queue.shift());
    const seconds = ((Date.now() - result.started) / 1000).toFixed(1);
    console.log(`\n===== ${result.runtime} (${seconds} s, exit ${result.code}) =====`);
    console.log(result.output.trimEnd());
    results.push(result);
  }
}
await Promise.all([worker(), worker()]);

console.log("\n===== summary =====");
let ok = true;
for (const suite of suites) {
  const result = results.find((r) => r.runtime === suite.runtime);
  const line = result.output.split("\n").reverse().find((l) =>
    l.startsWith(`${suite.runtime}: `) && / passed, \d+ failed/.test(l)
  );
  if (result.code !== 0) ok = false;
  console.log(line ?? `${suite.runtime}: 0 passed, 1 failed (no summary; exit ${result.code})`);
}
process.exit(ok ? 0 : 1);
