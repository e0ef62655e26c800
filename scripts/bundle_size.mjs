// deno-lint-ignore-file no-console -- a script: printing the table is its job
// Bundle size of the package's exports as an edge worker would ship them: each export of
// deno.json is bundled on its own with esbuild (bundle, minify, ESM, platform neutral, npm packages
// from node_modules), gzipped with node:zlib at level 9, and printed as a table of bytes.
//
//   .cache/bin/node scripts/bundle_size.mjs            # the exports in MEASURED
//   .cache/bin/node scripts/bundle_size.mjs ./client    # named exports
//   .cache/bin/node scripts/bundle_size.mjs --all       # every export of deno.json
//
// Exits non-zero when an export breaks its budget (gzip bytes, forbidden packages) or cannot be
// bundled. To track another export, add it to MEASURED and, if it has one, to BUDGETS.
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Exports measured by default. */
const MEASURED = ["./webhooks"];

/** Per-export budgets: largest gzip size in bytes, and npm packages that must not be bundled. */
const BUDGETS = {
  "./webhooks": { gzip: 6144, forbid: ["zod"] },
};

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const exportsMap = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")).exports ?? {};

const args = process.argv.slice(2);
const names = args.includes("--all")
  ? Object.keys(exportsMap)
  : args.filter((a) => !a.startsWith("--")).length
  ? args.filter((a) => !a.startsWith("--"))
  : MEASURED;

// The npm package a bundled input file belongs to, e.g. "zod" or "@scope/name".
function packageOf(path) {
  const at = path.lastIndexOf("node_modules/");
  if (at < 0) return undefined;
  const parts = path.slice(at + 13).split("/");
  return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
}

const rows = [];
let failed = false;
for (const name of names) {
  const entry = exportsMap[name];
  if (!entry) {
    rows.push({ name, error: "not an export of deno.json" });
    failed = true;
    continue;
  }
  try {
    const result = await build({
      entryPoints: [join(root, entry)],
      absWorkingDir: root,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
      conditions: ["workerd", "worker", "browser", "import"],
      external: ["node:*"],
      metafile: true,
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    const gzip = gzipSync(code, { level: 9 }).length;
    const packages = [
      ...new Set(Object.keys(result.metafile.inputs).map(packageOf).filter(Boolean)),
    ].sort();
    const budget = BUDGETS[name];
    const problems = [];
    if (budget?.gzip !== undefined && gzip > budget.gzip) {
      problems.push(`gzip ${gzip} > ${budget.gzip}`);
    }
    for (const pkg of budget?.forbid ?? []) {
      if (packages.includes(pkg)) problems.push(`contains ${pkg}`);
    }
    if (problems.length) failed = true;
    rows.push({
      name,
      entry: relative(root, join(root, entry)),
      min: code.length,
      gzip,
      budget: budget?.gzip,
      packages,
      problems,
    });
  } catch (error) {
    failed = true;
    rows.push({ name, error: String(error?.errors?.[0]?.text ?? error?.message ?? error) });
  }
}

const header = [
  "export",
  "entry",
  "min bytes",
  "gzip bytes",
  "gzip budget",
  "npm packages",
  "result",
];
const table = rows.map((r) =>
  r.error ? [r.name, "", "", "", "", "", `ERROR: ${r.error}`] : [
    r.name,
    r.entry,
    String(r.min),
    String(r.gzip),
    r.budget === undefined ? "-" : String(r.budget),
    r.packages.join(", ") || "none",
    r.problems.length ? `FAIL: ${r.problems.join("; ")}` : "ok",
  ]
);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));
process.exit(failed ? 1 : 0);
