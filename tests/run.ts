// deno-lint-ignore-file no-console
/**
 * Runs the shared suite on the runtime that executes this file: `deno run -A tests/run.ts`,
 * `node tests/run.ts` (Node 24 strips the types), `bun tests/run.ts`. Arguments: test files or
 * folders to limit the run (default: every `*_test.ts` under tests/, except tests/workerd/), and
 * `--filter TEXT` to run only tests whose name contains TEXT. Prints one line per test and closes
 * with `<runtime>: N passed, N failed, N skipped`.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runTests, runtime } from "./_harness.ts";

const testsDir = fileURLToPath(new URL(".", import.meta.url));

function collect(path: string, out: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (entry === "workerd" || entry === "testdata" || entry.startsWith(".")) continue;
      collect(join(path, entry), out);
    }
  } else if (path.endsWith("_test.ts")) {
    out.push(path);
  }
}

const args = process.argv.slice(2);
let filter = "";
const targets: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--filter") filter = args[++i] ?? "";
  else targets.push(resolve(args[i]));
}
const files: string[] = [];
for (const target of targets.length ? targets : [testsDir]) collect(target, files);

for (const file of files) await import(pathToFileURL(file).href);
const summary = await runTests((line) => console.log(line), filter);
if (summary.failures.length) {
  console.log(`\n${summary.failures.length} failing on ${runtime}:`);
  for (const f of summary.failures) console.log(`  - ${f.name}`);
}
console.log(
  `${runtime}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`,
);
// Leaked timers or sockets from a failed test must not keep the process alive.
process.exit(summary.failed === 0 && summary.passed > 0 ? 0 : 1);
