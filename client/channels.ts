/**
 * Chat channels (Slack, Teams, Mattermost): register, inspect, start/stop, health, identity
 * mappings and audit. The open-source runtime answers most of these with stub errors (see each
 * method); an enterprise provider implements them.
 *
 * @module
 */
import * as z from "zod";
import {
  type ClientContext,
  contextOf,
  type ContextSource,
  requestJson,
  requestVoid,
} from "./_context.ts";
import { checkInput, requireSegment } from "./_input.ts";
import { UInt, type WireModel, zodOf } from "./_models.ts";
import type { RequestOptions } from "./transport.ts";

/** An element of `GET /channels`: `{id, name, platform, status}`. */
export interface ChannelSummary {
  /** The channel's id. */
  id: string;
  /** Its name. */
  name: string;
  /** `"slack"`, `"teams"` or `"mattermost"`. */
  platform: string;
  /** `"running"`, `"stopped"` or `"error"`. */
  status: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
const channelSummarySchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  platform: z.string(),
  status: z.string(),
});
/** Model of {@link ChannelSummary}. */
export const ChannelSummary: WireModel<ChannelSummary> = channelSummarySchema;
const ChannelSummaryList: WireModel<ChannelSummary[]> = z.array(zodOf(ChannelSummary));

/** `GET /channels/{id}`: a channel with its configuration and timestamps. */
export interface ChannelDetail extends ChannelSummary {
  /** The platform configuration (any JSON). */
  config: unknown;
  /** Creation time. */
  created_at: string;
  /** Last change. */
  updated_at: string;
}
/** Model of {@link ChannelDetail}. */
export const ChannelDetail: WireModel<ChannelDetail> = channelSummarySchema.extend({
  config: z.unknown(),
  created_at: z.string(),
  updated_at: z.string(),
});

/** `POST /channels` body: `{name, platform, config}`. */
export interface RegisterChannelRequest {
  /** The channel's name; must not be empty. */
  name: string;
  /** `"slack"`, `"teams"` or `"mattermost"`; must not be empty. */
  platform: string;
  /** The platform configuration: any JSON value, `null` included; required (not `undefined`). */
  config: NonNullable<unknown> | null;
}
/** Model of {@link RegisterChannelRequest}. */
export const RegisterChannelRequest: WireModel<RegisterChannelRequest> = z.object({
  name: z.string().trim().min(1, "must not be empty"),
  platform: z.string().trim().min(1, "must not be empty"),
  config: z.unknown().refine((v) => v !== undefined, "is required (any JSON)"),
});

/** `POST /channels` answer (201): `{id, name, platform, status}`, as {@link ChannelSummary}. */
export type RegisterChannelResponse = ChannelSummary;
/** Model of {@link RegisterChannelResponse} (the same model as {@link ChannelSummary}). */
export const RegisterChannelResponse: WireModel<RegisterChannelResponse> = ChannelSummary;

/** `PUT /channels/{id}` body: `{config?}`. */
export interface UpdateChannelRequest {
  /** The new platform configuration (any JSON). */
  config?: unknown;
}
/** Model of {@link UpdateChannelRequest}. */
export const UpdateChannelRequest: WireModel<UpdateChannelRequest> = z.object({
  config: z.unknown().optional(),
});

/** `DELETE /channels/{id}` answer: `{id, deleted}`. */
export interface DeleteChannelResponse {
  /** The channel's id. */
  id: string;
  /** Whether it was deleted. */
  deleted: boolean;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link DeleteChannelResponse}. */
export const DeleteChannelResponse: WireModel<DeleteChannelResponse> = z.looseObject({
  id: z.string(),
  deleted: z.boolean(),
});

/** Start and stop answers: `{id, action, status}`. */
export interface ChannelActionResponse {
  /** The channel's id. */
  id: string;
  /** The action taken (`"start"` or `"stop"`). */
  action: string;
  /** The channel's status afterwards. */
  status: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ChannelActionResponse}. */
export const ChannelActionResponse: WireModel<ChannelActionResponse> = z.looseObject({
  id: z.string(),
  action: z.string(),
  status: z.string(),
});

/** `GET /channels/{id}/health`: connection state and counters of a channel. */
export interface ChannelHealthResponse {
  /** The channel's id. */
  id: string;
  /** Whether the adapter is connected to the platform. */
  connected: boolean;
  /** The platform. */
  platform: string;
  /** The workspace's name, or `null`. */
  workspace_name: string | null;
  /** Platform channels the adapter serves. */
  channels_active: number;
  /** Time of the last message, or `null`. */
  last_message_at: string | null;
  /** Seconds since the adapter started. */
  uptime_secs: number;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ChannelHealthResponse}. */
export const ChannelHealthResponse: WireModel<ChannelHealthResponse> = z.looseObject({
  id: z.string(),
  connected: z.boolean(),
  platform: z.string(),
  workspace_name: z.string().nullable(),
  channels_active: UInt,
  last_message_at: z.string().nullable(),
  uptime_secs: UInt,
});

/** A platform user mapped to a Symbiont user. */
export interface IdentityMappingEntry {
  /** The user's id on the platform. */
  platform_user_id: string;
  /** The platform. */
  platform: string;
  /** The Symbiont user id it maps to. */
  symbiont_user_id: string;
  /** The user's display name. */
  display_name: string;
  /** The user's email, or `null`. */
  email: string | null;
  /** The user's roles. */
  roles: string[];
  /** Whether the mapping is verified. */
  verified: boolean;
  /** Creation time. */
  created_at: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link IdentityMappingEntry}. */
export const IdentityMappingEntry: WireModel<IdentityMappingEntry> = z.looseObject({
  platform_user_id: z.string(),
  platform: z.string(),
  symbiont_user_id: z.string(),
  display_name: z.string(),
  email: z.string().nullable(),
  roles: z.array(z.string()),
  verified: z.boolean(),
  created_at: z.string(),
});
const IdentityMappingEntryList: WireModel<IdentityMappingEntry[]> = z.array(
  zodOf(IdentityMappingEntry),
);

/** `POST /channels/{id}/mappings` body: `{platform_user_id, symbiont_user_id, display_name, email?, roles}`. */
export interface AddIdentityMappingRequest {
  /** The user's id on the platform; must not be empty. */
  platform_user_id: string;
  /** The Symbiont user id to map to; must not be empty. */
  symbiont_user_id: string;
  /** The user's display name. */
  display_name: string;
  /** The user's email. */
  email?: string;
  /** The user's roles. */
  roles: string[];
}
/** Model of {@link AddIdentityMappingRequest}. */
export const AddIdentityMappingRequest: WireModel<AddIdentityMappingRequest> = z.object({
  platform_user_id: z.string().min(1),
  symbiont_user_id: z.string().min(1),
  display_name: z.string(),
  email: z.string().optional(),
  roles: z.array(z.string()),
});

/** `GET /channels/{id}/audit`: the channel's last 50 audit entries. */
export interface ChannelAuditResponse {
  /** The channel's id. */
  channel_id: string;
  /** The entries. */
  entries: {
    /** When it happened. */
    timestamp: string;
    /** What happened. */
    event_type: string;
    /** The user involved. */
    user_id: string;
    /** The channel's id. */
    channel_id: string;
    /** The agent involved, or `null`. */
    agent: string | null;
    /** Event details (any JSON). */
    details: unknown;
    /** Fields added by newer runtimes. */
    [key: string]: unknown;
  }[];
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ChannelAuditResponse}. */
export const ChannelAuditResponse: WireModel<ChannelAuditResponse> = z.looseObject({
  channel_id: z.string(),
  entries: z.array(z.looseObject({
    timestamp: z.string(),
    event_type: z.string(),
    user_id: z.string(),
    channel_id: z.string(),
    agent: z.string().nullable(),
    details: z.unknown(),
  })),
});

/**
 * The runtime's channel routes (admin keys only). Usable on its own, as in the seed.
 *
 * @example Usage
 * ```ts ignore
 * import { ChannelClient, Client } from "@symbiont/sdk/client";
 * const channels = new ChannelClient(new Client());
 * const { id } = await channels.register({ name: "ops", platform: "slack", config: {} });
 * await channels.start(id);
 * ```
 */
export class ChannelClient {
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
   * `GET /channels` (the OSS runtime always answers `[]`).
   * @param options Per-call options.
   * @returns The channels.
   */
  list(options: RequestOptions = {}): Promise<ChannelSummary[]> {
    return requestJson(this.#context, ChannelSummaryList, {
      ...options,
      method: "GET",
      path: "/channels",
    });
  }

  /**
   * `POST /channels` (201). OSS runtime: 500 `REGISTER_CHANNEL_FAILED`.
   * @param request Name, platform, config.
   * @param options Per-call options.
   * @returns `{id, name, platform, status}`.
   */
  register(
    request: RegisterChannelRequest,
    options: RequestOptions = {},
  ): Promise<RegisterChannelResponse> {
    const body = checkInput("request", RegisterChannelRequest, request);
    return requestJson(this.#context, RegisterChannelResponse, {
      ...options,
      method: "POST",
      path: "/channels",
      body,
    });
  }

  /**
   * `GET /channels/{id}`. OSS runtime: 404 `CHANNEL_NOT_FOUND`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns The channel.
   */
  get(channelId: string, options: RequestOptions = {}): Promise<ChannelDetail> {
    return requestJson(this.#context, ChannelDetail, {
      ...options,
      method: "GET",
      path: `/channels/${requireSegment("channelId", channelId)}`,
      route: "GET /channels/{id}",
    });
  }

  /**
   * `PUT /channels/{id}`. OSS runtime: 500 `UPDATE_CHANNEL_FAILED`.
   * @param channelId The channel id.
   * @param request The new config.
   * @param options Per-call options.
   * @returns The channel.
   */
  update(
    channelId: string,
    request: UpdateChannelRequest,
    options: RequestOptions = {},
  ): Promise<ChannelDetail> {
    const segment = requireSegment("channelId", channelId);
    const body = checkInput("request", UpdateChannelRequest, request);
    return requestJson(this.#context, ChannelDetail, {
      ...options,
      method: "PUT",
      path: `/channels/${segment}`,
      body,
      route: "PUT /channels/{id}",
    });
  }

  /**
   * `DELETE /channels/{id}`. OSS runtime: 404 `CHANNEL_NOT_FOUND`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns `{id, deleted}`.
   */
  delete(channelId: string, options: RequestOptions = {}): Promise<DeleteChannelResponse> {
    return requestJson(this.#context, DeleteChannelResponse, {
      ...options,
      method: "DELETE",
      path: `/channels/${requireSegment("channelId", channelId)}`,
      route: "DELETE /channels/{id}",
    });
  }

  /**
   * `POST /channels/{id}/start`. OSS runtime: 404 `CHANNEL_START_FAILED`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns `{id, action, status}`.
   */
  start(channelId: string, options: RequestOptions = {}): Promise<ChannelActionResponse> {
    return requestJson(this.#context, ChannelActionResponse, {
      ...options,
      method: "POST",
      path: `/channels/${requireSegment("channelId", channelId)}/start`,
      route: "POST /channels/{id}/start",
    });
  }

  /**
   * `POST /channels/{id}/stop`. OSS runtime: 404 `CHANNEL_STOP_FAILED`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns `{id, action, status}`.
   */
  stop(channelId: string, options: RequestOptions = {}): Promise<ChannelActionResponse> {
    return requestJson(this.#context, ChannelActionResponse, {
      ...options,
      method: "POST",
      path: `/channels/${requireSegment("channelId", channelId)}/stop`,
      route: "POST /channels/{id}/stop",
    });
  }

  /**
   * `GET /channels/{id}/health`. OSS runtime: 404 `CHANNEL_HEALTH_FAILED`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns Connection state and counters.
   */
  health(channelId: string, options: RequestOptions = {}): Promise<ChannelHealthResponse> {
    return requestJson(this.#context, ChannelHealthResponse, {
      ...options,
      method: "GET",
      path: `/channels/${requireSegment("channelId", channelId)}/health`,
      route: "GET /channels/{id}/health",
    });
  }

  /**
   * `GET /channels/{id}/mappings`. OSS runtime: 404 `CHANNEL_MAPPINGS_FAILED` (enterprise only).
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns The identity mappings.
   */
  listMappings(channelId: string, options: RequestOptions = {}): Promise<IdentityMappingEntry[]> {
    return requestJson(this.#context, IdentityMappingEntryList, {
      ...options,
      method: "GET",
      path: `/channels/${requireSegment("channelId", channelId)}/mappings`,
      route: "GET /channels/{id}/mappings",
    });
  }

  /**
   * `POST /channels/{id}/mappings` (201). OSS runtime: 500 `ADD_CHANNEL_MAPPING_FAILED`.
   * @param channelId The channel id.
   * @param request The mapping.
   * @param options Per-call options.
   * @returns The stored mapping.
   */
  addMapping(
    channelId: string,
    request: AddIdentityMappingRequest,
    options: RequestOptions = {},
  ): Promise<IdentityMappingEntry> {
    const segment = requireSegment("channelId", channelId);
    const body = checkInput("request", AddIdentityMappingRequest, request);
    return requestJson(this.#context, IdentityMappingEntry, {
      ...options,
      method: "POST",
      path: `/channels/${segment}/mappings`,
      body,
      route: "POST /channels/{id}/mappings",
    });
  }

  /**
   * `DELETE /channels/{id}/mappings/{user}` (204). OSS runtime: 404 `REMOVE_CHANNEL_MAPPING_FAILED`.
   * @param channelId The channel id.
   * @param platformUserId The platform user id.
   * @param options Per-call options.
   */
  async removeMapping(
    channelId: string,
    platformUserId: string,
    options: RequestOptions = {},
  ): Promise<void> {
    await requestVoid(this.#context, {
      ...options,
      method: "DELETE",
      path: `/channels/${requireSegment("channelId", channelId)}/mappings/${
        requireSegment("platformUserId", platformUserId)
      }`,
    });
  }

  /**
   * `GET /channels/{id}/audit`: the last 50 entries. OSS runtime: 404 `CHANNEL_AUDIT_FAILED`.
   * @param channelId The channel id.
   * @param options Per-call options.
   * @returns The audit entries.
   */
  audit(channelId: string, options: RequestOptions = {}): Promise<ChannelAuditResponse> {
    return requestJson(this.#context, ChannelAuditResponse, {
      ...options,
      method: "GET",
      path: `/channels/${requireSegment("channelId", channelId)}/audit`,
      route: "GET /channels/{id}/audit",
    });
  }
}
