/** Starts the local runtime double on loopback (Node) for the worker under test to call. */
import { serve } from "../../testing/serve.ts";

/** Serves a runtime double; resolves to its URL and a close function. */
export async function startDouble(): Promise<{ url: string; close(): Promise<void> }> {
  return await serve(() => new Response(null, { status: 404 }));
}
