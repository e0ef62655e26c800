/**
 * Inter-agent messages: send, receive (which drains the inbox) and status.
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource, requestJson } from "./_context.ts";
import { checkInput, requireUuid } from "./_input.ts";
import { UInt, Uuid, type WireModel, zodOf } from "./_models.ts";
import { InvalidArgumentError } from "./errors.ts";
import type { RequestOptions } from "./transport.ts";

/** The runtime's body limit on the messaging routes (larger bodies get 413). */
export const MESSAGE_BODY_LIMIT_BYTES = 256 * 1024;

/**
 * `POST /agents/{id}/messages` body: `sender` (UUID; a scoped key must cover it), `payload` (text),
 * optional `ttl_seconds` (default 300; the runtime clamps it to at most 3600 by default), `topic`
 * (publishes instead of delivering), `agentpin_jwt`.
 */
export interface SendMessageRequest {
  /** The sending agent's UUID; a scoped key must cover it. */
  sender: string;
  /** The message text. */
  payload: string;
  /** Time to live in seconds, at least 1 (default 300; clamped by the runtime, 3600 by default). */
  ttl_seconds?: number;
  /** Publishes the message to this topic instead of delivering it to the recipient. */
  topic?: string;
  /** AgentPin JWT proving the sender's identity. */
  agentpin_jwt?: string;
}
/** Model of {@link SendMessageRequest}. */
export const SendMessageRequest: WireModel<SendMessageRequest> = z.object({
  sender: Uuid,
  payload: z.string(),
  ttl_seconds: UInt.min(1).optional(),
  topic: z.string().min(1).optional(),
  agentpin_jwt: z.string().optional(),
});

/** `{message_id, status: "pending"}`: accepted for asynchronous delivery. */
export interface SendMessageResponse {
  /** The message's UUID. */
  message_id: string;
  /** `"pending"`. */
  status: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link SendMessageResponse}. */
export const SendMessageResponse: WireModel<SendMessageResponse> = z.looseObject({
  message_id: z.string(),
  status: z.string(),
});

/** A received message; `recipient` and `topic` are `null` when absent. */
export interface MessageEnvelope {
  /** The message's UUID. */
  message_id: string;
  /** The sending agent's UUID. */
  sender: string;
  /** The recipient agent's UUID, or `null` (published messages). */
  recipient: string | null;
  /** The topic it was published to, or `null`. */
  topic: string | null;
  /** The message text (decoded as lossy UTF-8 by the runtime). */
  payload: string;
  /** How it was sent. */
  message_type: "direct" | "publish" | "subscribe" | "broadcast" | "request" | "response";
  /** When it was sent, in Unix epoch seconds. */
  timestamp_secs: number;
  /** Its effective time to live in seconds. */
  ttl_seconds: number;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link MessageEnvelope}. */
export const MessageEnvelope: WireModel<MessageEnvelope> = z.looseObject({
  message_id: z.string(),
  sender: z.string(),
  recipient: z.string().nullable(),
  topic: z.string().nullable(),
  payload: z.string(),
  message_type: z.enum(["direct", "publish", "subscribe", "broadcast", "request", "response"]),
  timestamp_secs: UInt,
  ttl_seconds: UInt,
});

/** `GET /messages/{id}/status`: `{message_id, status}`. */
export interface MessageStatusResponse {
  /** The message's id. */
  message_id: string;
  /** Its delivery status. */
  status: "pending" | "delivered" | "failed" | "expired";
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link MessageStatusResponse}. */
export const MessageStatusResponse: WireModel<MessageStatusResponse> = z.looseObject({
  message_id: z.string(),
  status: z.enum(["pending", "delivered", "failed", "expired"]),
});

const ReceiveResponse = z.looseObject({ messages: z.array(zodOf(MessageEnvelope)) });

/**
 * The runtime's message bus routes.
 *
 * @example Usage
 * ```ts ignore
 * import { Client } from "@symbiont/sdk/client";
 * const client = new Client();
 * const sent = await client.messages.send(recipientId, { sender: senderId, payload: "hello" });
 * const inbox = await client.messages.receive(recipientId); // drains the inbox
 * console.log(inbox.length, (await client.messages.status(sent.message_id)).status);
 * ```
 */
export class MessagesClient {
  readonly #context: ClientContext;

  /**
   * Creates the client; given a {@link Client}, it shares that client's transport and options.
   *
   * @param source A {@link Client}, client options, or nothing (environment).
   */
  constructor(source?: ContextSource) {
    this.#context = contextOf(source);
  }

  /**
   * `POST /agents/{recipient}/messages`. Accepted even for an unregistered recipient (delivery is
   * asynchronous). Bodies over 256 KiB are refused here, before sending.
   *
   * @param recipientId The recipient agent's UUID.
   * @param request Sender, payload, TTL, topic, AgentPin JWT.
   * @param options Per-call options.
   * @returns `{message_id, status: "pending"}`.
   * @throws {InvalidArgumentError} Malformed ids, or a body over the runtime's limit.
   * @throws {PermissionDeniedError} `AGENT_SCOPE_DENIED`: the key does not cover the sender.
   */
  send(
    recipientId: string,
    request: SendMessageRequest,
    options: RequestOptions = {},
  ): Promise<SendMessageResponse> {
    const id = requireUuid("recipientId", recipientId);
    const body = checkInput("request", SendMessageRequest, request);
    const size = new TextEncoder().encode(JSON.stringify(body)).length;
    if (size > MESSAGE_BODY_LIMIT_BYTES) {
      throw new InvalidArgumentError(
        "request.payload",
        `the message body is ${size} bytes; the runtime accepts at most ${MESSAGE_BODY_LIMIT_BYTES}`,
        "PAYLOAD_TOO_LARGE",
      );
    }
    return requestJson(this.#context, SendMessageResponse, {
      ...options,
      method: "POST",
      path: `/agents/${id}/messages`,
      body,
      route: "POST /agents/{id}/messages",
    });
  }

  /**
   * `GET /agents/{id}/messages`. **Destructive: this drains the inbox.** Each message is returned
   * once; a second call returns only what arrived since. Never retried, so a lost answer cannot
   * silently drop a second batch.
   *
   * @param agentId The receiving agent's UUID.
   * @param options Per-call options.
   * @returns The messages that were waiting.
   * @throws {NotFoundError} `AGENT_NOT_FOUND`: the agent is not registered on the bus.
   */
  async receive(agentId: string, options: RequestOptions = {}): Promise<MessageEnvelope[]> {
    const id = requireUuid("agentId", agentId);
    const data = await requestJson(this.#context, ReceiveResponse, {
      ...options,
      maxRetries: 0,
      method: "GET",
      path: `/agents/${id}/messages`,
      route: "GET /agents/{id}/messages",
    });
    return data.messages;
  }

  /**
   * `GET /messages/{id}/status` (unscoped keys only).
   *
   * @param messageId The message's UUID.
   * @param options Per-call options.
   * @returns Its delivery status.
   * @throws {NotFoundError} `MESSAGE_STATUS_FAILED` for an unknown message.
   */
  status(messageId: string, options: RequestOptions = {}): Promise<MessageStatusResponse> {
    const id = requireUuid("messageId", messageId);
    return requestJson(this.#context, MessageStatusResponse, {
      ...options,
      method: "GET",
      path: `/messages/${id}/status`,
      route: "GET /messages/{id}/status",
    });
  }
}
