// deno-lint-ignore-file no-console
// Installs the pinned toolchains and packages (Deno, Node 24, Bun, workerd via miniflare, esbuild,
// zod, ...) from the npm registry with `npm ci`, unless node_modules already matches the committed
// package-lock.json. Needs only the machine's Node and npm.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
