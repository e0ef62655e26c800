/** The bindings the workerd runner gives the test worker (see tests/workerd/run.mjs). */
export interface WorkerEnv {
  /** A Workers KV namespace, fresh for each run. */
  KV: {
    get(key: string, type: "text"): Promise<string | null>;
    put(key: string, value: string): Promise<void>;
    delete(key: string): Promise<void>;
    list(options?: { prefix?: string; cursor?: string }): Promise<{
      keys: { name: string }[];
      list_complete: boolean;
      cursor?: string;
    }>;
  };
  /** Base URL (`http://127.0.0.1:PORT`) of a local runtime double served by Node on loopback. */
  DOUBLE_URL: string;
  /**
   * Base URL (`http://127.0.0.1:PORT`, route `/webhook`) of a local HTTP Input double served by
   * Node on loopback (see tests/workerd/_double_server.ts).
   */
  HTTP_INPUT_URL: string;
}

/** The bindings of the current worker run. */
export function workerEnv(): WorkerEnv {
  const env = (globalThis as { __workerEnv?: WorkerEnv }).__workerEnv;
  if (!env) throw new Error("workerEnv() is only available inside the workerd runner");
  return env;
}
