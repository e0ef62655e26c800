// deno-lint-ignore-file no-console
// Installs the pinned toolchains and packages (Deno, Node 24, Bun, workerd via miniflare, esbuild,
// zod, ...) from the npm registry with `npm ci`, unless node_modules already matches the committed
// package-lock.json, then links the three runtimes into .cache/bin (deno, node, bun). Needs only the
// machine's Node and npm.
//
// .npmrc sets bin-links=false: with node_modules/.bin/deno present, `deno task` would treat the
// `deno` of every task as an npm script and try to run the native binary as JavaScript.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const lock = readFileSync(join(root, "package-lock.json"));
const digest = createHash("sha256").update(lock).digest("hex");
const stamp = join(root, "node_modules", ".toolchain-stamp");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== digest) {
  console.error("toolchain: installing the pinned toolchains with npm ci ...");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(stamp, digest);
}

const binDir = join(root, ".cache", "bin");
const runtimes = {
  deno: join(root, "node_modules", "deno", "deno"),
  node: join(root, "node_modules", "node", "bin", "node"),
  bun: join(root, "node_modules", "bun", "bin", "bun.exe"),
};
mkdirSync(binDir, { recursive: true });
for (const [name, target] of Object.entries(runtimes)) {
  if (!existsSync(target)) throw new Error(`toolchain: ${target} is missing after npm ci`);
  rmSync(join(binDir, name), { force: true });
  symlinkSync(target, join(binDir, name));
}
