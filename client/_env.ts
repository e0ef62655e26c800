/**
 * The one guarded reader of environment variables. Works on Deno (without prompting: a variable that
 * is not allowed reads as unset), Node and Bun; in workers and browsers every variable reads as unset
 * and options come from bindings instead.
 */

interface DenoEnv {
  env: { get(name: string): string | undefined };
  permissions?: { querySync?(desc: { name: "env"; variable: string }): { state: string } };
}

/**
 * Returns the trimmed value of an environment variable, or `undefined` when it is unset, empty or not
 * readable here.
 */
export function readEnv(name: string): string | undefined {
  const g = globalThis as {
    Deno?: DenoEnv;
    process?: { env?: Record<string, string | undefined> };
  };
  try {
    let value: string | undefined;
    if (g.Deno?.env) {
      const state = g.Deno.permissions?.querySync?.({ name: "env", variable: name }).state;
      if (state !== undefined && state !== "granted") return undefined;
      value = g.Deno.env.get(name);
    } else {
      value = g.process?.env?.[name];
    }
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Node built-in module (`node:fs/promises`, `node:path`, ...) through `process.getBuiltinModule`
 * (Deno 2, Node 22.3+, Bun), or `undefined` where there is none (workers, browsers). Used instead
 * of `import()` so that bundlers for Workers never have to resolve `node:*`.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === "function" ? proc.getBuiltinModule(id) as T : undefined;
}
