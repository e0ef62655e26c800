/**
 * Testing helpers: serve a fetch handler with the runtime's own HTTP server, and (as it grows) the
 * local runtime double that answers the Symbiont runtime's wire contract.
 *
 * ```ts ignore
 * import { serve } from "@symbiont/sdk/testing";
 * const server = await serve(() => Response.json({ status: "healthy" }));
 * await server.close();
 * ```
 *
 * @module
 */
export { serve } from "./serve.ts";
export type { FetchHandler, RunningServer, ServeOptions } from "./serve.ts";
