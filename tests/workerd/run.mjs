// deno-lint-ignore-file no-console
// Runs the workerd suite: bundles every tests/workerd/*_test.ts with the shared harness into one
// ES-module worker (esbuild), loads it into workerd through miniflare (no nodejs_compat: web
// standards only), and runs the registered tests inside the worker. Bindings: a Workers KV
// namespace `KV`, `DOUBLE_URL`, a local runtime double on loopback served by Node, and
// `HTTP_INPUT_URL`, a local HTTP Input double on loopback served by Node.
// Closes with `workerd: N passed, N failed, N skipped`. Run with Node 24 (it imports .ts files).
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const outDir = join(root, ".cache", "workerd");
mkdirSync(outDir, { recursive: true });

const filter = process.argv[2] ?? "";
const files = readdirSync(here).filter((f) => f.endsWith("_test.ts")).sort();
const entry = join(outDir, "entry.ts");
writeFileSync(
  entry,
  [
    `import { runTests } from ${JSON.stringify(join(root, "tests", "_harness.ts"))};`,
    ...files.map((f) => `import ${JSON.stringify(join(here, f))};`),
    `export default {`,
    `  async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {`,
    `    (globalThis as Record<string, unknown>).__workerEnv = env;`,
    `    const lines: string[] = [];`,
    `    const summary = await runTests((line) => lines.push(line), ${JSON.stringify(filter)});`,
    `    return Response.json({ lines, ...summary });`,
    `  },`,
    `};`,
  ].join("\n"),
);

await build({
  entryPoints: [entry],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["browser", "module", "main"],
  outfile: join(outDir, "worker.js"),
  logLevel: "error",
});

const { startDouble, startHttpInputDouble } = await import(join(here, "_double_server.ts"));
const double = await startDouble();
const httpInput = await startHttpInputDouble();
const mf = new Miniflare({
  modules: true,
  scriptPath: join(outDir, "worker.js"),
  compatibilityDate: "2026-07-01",
  kvNamespaces: ["KV"],
  bindings: { DOUBLE_URL: double.url, HTTP_INPUT_URL: httpInput.url },
});
let exitCode = 1;
try {
  const res = await mf.dispatchFetch("http://worker.test/");
  const result = await res.json();
  for (const line of result.lines) console.log(line);
  console.log(
    `workerd: ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`,
  );
  exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
} catch (error) {
  console.log(`workerd: the worker did not run: ${error?.stack ?? error}`);
  console.log("workerd: 0 passed, 1 failed, 0 skipped");
} finally {
  await mf.dispose();
  await double.close();
  await httpInput.close();
}
process.exit(exitCode);
