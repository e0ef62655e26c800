/** What every resource client shares: one transport, one validator, the resolved options. */
import type { WireModel } from "./_models.ts";
import { type ClientOptions, resolveClientOptions, type ResolvedClientOptions } from "./options.ts";
import { Transport, type TransportRequest } from "./transport.ts";
import { ResponseValidator } from "./validation.ts";

/** The shared state behind a client and its namespaces. */
export interface ClientContext {
  /** Resolved options without the secrets (those live in private fields and closures only). */
  readonly options: Omit<ResolvedClientOptions, "apiKey" | "httpInputToken">;
  /** The HTTP Input bearer token, if configured. */
  readonly httpInputToken: () => string | undefined;
  /** The one HTTP transport. */
  readonly transport: Transport;
  /** Response validation in the client's mode. */
  readonly validator: ResponseValidator;
}

/** Builds the context from options (with environment fallbacks). */
export function createContext(options: ClientOptions = {}): ClientContext {
  const { apiKey, httpInputToken, ...rest } = resolveClientOptions(options);
  return {
    options: rest,
    httpInputToken: () => httpInputToken,
    transport: new Transport({ ...rest, apiKey }),
    validator: new ResponseValidator(rest.validationMode, rest.logger),
  };
}

/** Anything a resource client can be built from: a Client, options, or a context. */
export type ContextSource = { readonly context: ClientContext } | ClientOptions;

/** Resolves a {@link ContextSource} into a context. */
export function contextOf(source: ContextSource | undefined): ClientContext {
  if (source && "context" in source && source.context) return source.context;
  return createContext(source as ClientOptions | undefined);
}

/** Sends a request and validates its JSON answer against `schema`. */
export async function requestJson<T>(
  context: ClientContext,
  schema: WireModel<T>,
  req: TransportRequest & { route?: string },
): Promise<T> {
  const { data } = await context.transport.request(req);
  return context.validator.check(schema, data, req);
}

/** Sends a request whose success answer has no body worth reading. */
export async function requestVoid(context: ClientContext, req: TransportRequest): Promise<void> {
  await context.transport.request(req);
}
