/**
 * Calls to routes the runtime (v1.19) does not serve but the vendor's JS SDK proposes (reasoning,
 * ToolClad, communication). An empty-body 404 (the runtime's answer for an unknown path) becomes a
 * NotOfferedError naming the runtime's version; any other answer passes through.
 */
import type { WireModel } from "./_models.ts";
import { type ClientContext, requestJson } from "./_context.ts";
import { NotFoundError, NotOfferedError } from "./errors.ts";
import type { TransportRequest } from "./transport.ts";

const versions = new WeakMap<ClientContext, Promise<string | undefined>>();

/** The runtime's version from `/health`, fetched once per client; undefined when unreadable. */
function runtimeVersion(context: ClientContext): Promise<string | undefined> {
  let version = versions.get(context);
  if (!version) {
    version = context.transport.request({
      method: "GET",
      path: "/health",
      auth: false,
      maxRetries: 0,
      timeout: 5_000,
    }).then(({ data }) => {
      const v = (data as { version?: unknown } | undefined)?.version;
      return typeof v === "string" ? v : undefined;
    }, () => undefined);
    versions.set(context, version);
  }
  return version;
}

/** Sends a request to a proposed route; a bare 404 becomes NotOfferedError(feature). */
export async function requestExtension<T>(
  context: ClientContext,
  feature: string,
  schema: WireModel<T>,
  req: TransportRequest & { route?: string },
): Promise<T> {
  try {
    return await requestJson(context, schema, req);
  } catch (error) {
    if (error instanceof NotFoundError && error.body === undefined && error.detail === "") {
      throw new NotOfferedError({
        method: req.method,
        path: req.path,
        feature,
        runtimeVersion: await runtimeVersion(context),
      });
    }
    throw error;
  }
}
