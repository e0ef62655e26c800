/**
 * Cron schedules: list, create, get, update, delete, pause, resume, trigger, run history and next
 * runs. Cron expressions and time zones are checked locally first: the runtime answers an invalid
 * expression with a 500, never a 400.
 *
 * @module
 */
import * as z from "zod";
import { type ClientContext, contextOf, type ContextSource, requestJson } from "./_context.ts";
import { checkInput, requireSegment } from "./_input.ts";
import { Timestamp, UInt, type WireModel, zodOf } from "./_models.ts";
import { assertTimeZone, parseCron } from "./cron.ts";
import type { RequestOptions } from "./transport.ts";

/** Schedule states as the runtime prints them: `Active`, `Paused`, `Completed`, `Failed` or `DeadLetter`. */
export type ScheduleStatus = "Active" | "Paused" | "Completed" | "Failed" | "DeadLetter";
/** Model of {@link ScheduleStatus}. */
export const ScheduleStatus: WireModel<ScheduleStatus> = z.enum([
  "Active",
  "Paused",
  "Completed",
  "Failed",
  "DeadLetter",
]);

/** `POST /schedules` body: `name`, `cron_expression`, `agent_name`, and optional settings. */
export interface CreateScheduleRequest {
  /** The schedule's name; must not be empty. */
  name: string;
  /** 6 or 7 fields: sec min hour dom mon dow [year]. */
  cron_expression: string;
  /** IANA time zone (the runtime defaults to UTC; an empty string also means UTC). */
  timezone?: string;
  /** The agent to run; must not be empty. */
  agent_name: string;
  /** Policies applied to the runs (default none). */
  policy_ids?: string[];
  /** Run once, then complete (default false). */
  one_shot?: boolean;
}
/** Model of {@link CreateScheduleRequest}. */
export const CreateScheduleRequest: WireModel<CreateScheduleRequest> = z.object({
  name: z.string().trim().min(1, "must not be empty"),
  cron_expression: z.string(),
  timezone: z.string().optional(),
  agent_name: z.string().trim().min(1, "must not be empty"),
  policy_ids: z.array(z.string()).optional(),
  one_shot: z.boolean().optional(),
});

/** `PUT /schedules/{id}` body: any of the fields below (at least one). */
export interface UpdateScheduleRequest {
  /** New cron expression (6 or 7 fields). */
  cron_expression?: string;
  /** New IANA time zone. */
  timezone?: string;
  /** Policies; replaces the existing list. */
  policy_ids?: string[];
  /** Whether to run only once. */
  one_shot?: boolean;
}
/** Model of {@link UpdateScheduleRequest}. */
export const UpdateScheduleRequest: WireModel<UpdateScheduleRequest> = z.object({
  cron_expression: z.string().optional(),
  timezone: z.string().optional(),
  policy_ids: z.array(z.string()).optional(),
  one_shot: z.boolean().optional(),
});

/** An element of `GET /schedules`. */
export interface ScheduleSummary {
  /** The schedule's id. */
  job_id: string;
  /** Its name. */
  name: string;
  /** Its cron expression. */
  cron_expression: string;
  /** Its IANA time zone. */
  timezone: string;
  /** Its state. */
  status: ScheduleStatus;
  /** Whether it is enabled. */
  enabled: boolean;
  /** Next run time, RFC 3339, or `null` when none is due. */
  next_run: string | null;
  /** Runs so far. */
  run_count: number;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
const scheduleSummarySchema = z.looseObject({
  job_id: z.string(),
  name: z.string(),
  cron_expression: z.string(),
  timezone: z.string(),
  status: zodOf(ScheduleStatus),
  enabled: z.boolean(),
  next_run: z.string().nullable(),
  run_count: UInt,
});
/** Model of {@link ScheduleSummary}. */
export const ScheduleSummary: WireModel<ScheduleSummary> = scheduleSummarySchema;
const ScheduleSummaryList: WireModel<ScheduleSummary[]> = z.array(zodOf(ScheduleSummary));

/** `GET /schedules/{id}`: a schedule with its run counters and timestamps. */
export interface ScheduleDetail extends ScheduleSummary {
  /** Whether it runs only once. */
  one_shot: boolean;
  /** Last run time, RFC 3339, or `null` before the first run. */
  last_run: string | null;
  /** Failed runs so far. */
  failure_count: number;
  /** Creation time, RFC 3339. */
  created_at: string;
  /** Last change, RFC 3339. */
  updated_at: string;
}
/** Model of {@link ScheduleDetail}. */
export const ScheduleDetail: WireModel<ScheduleDetail> = scheduleSummarySchema.extend({
  one_shot: z.boolean(),
  last_run: z.string().nullable(),
  failure_count: UInt,
  created_at: Timestamp,
  updated_at: Timestamp,
});

/** `POST /schedules` answer (status 201): `{job_id, next_run, status: "created"}`. */
export interface CreateScheduleResponse {
  /** The new schedule's id. */
  job_id: string;
  /** Its first run time, RFC 3339, or `null`. */
  next_run: string | null;
  /** Always `"created"`. */
  status: "created";
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link CreateScheduleResponse}. */
export const CreateScheduleResponse: WireModel<CreateScheduleResponse> = z.looseObject({
  job_id: z.string(),
  next_run: z.string().nullable(),
  status: z.literal("created"),
});

/** `DELETE /schedules/{id}` answer: `{job_id, deleted: true}`. */
export interface DeleteScheduleResponse {
  /** The schedule's id. */
  job_id: string;
  /** Whether it was deleted. */
  deleted: boolean;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link DeleteScheduleResponse}. */
export const DeleteScheduleResponse: WireModel<DeleteScheduleResponse> = z.looseObject({
  job_id: z.string(),
  deleted: z.boolean(),
});

/** Pause, resume and trigger answers. */
export interface ScheduleActionResponse {
  /** The schedule's id. */
  job_id: string;
  /** `"pause"`, `"resume"` or `"trigger"`. */
  action: string;
  /** `"paused"`, `"active"` or `"triggered"`. */
  status: string;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ScheduleActionResponse}. */
export const ScheduleActionResponse: WireModel<ScheduleActionResponse> = z.looseObject({
  job_id: z.string(),
  action: z.string(),
  status: z.string(),
});

/** One run of a schedule: times, status, error, duration. */
export interface ScheduleRunEntry {
  /** The run's id. */
  run_id: string;
  /** Start time, RFC 3339. */
  started_at: string;
  /** End time, RFC 3339, or `null` while running. */
  completed_at: string | null;
  /** The run's outcome. */
  status: "Running" | "Succeeded" | "Failed" | "TimedOut" | "Skipped";
  /** The error message, or `null`. */
  error: string | null;
  /** Duration in milliseconds, or `null` while running. */
  execution_time_ms: number | null;
  /** Fields added by newer runtimes. */
  [key: string]: unknown;
}
/** Model of {@link ScheduleRunEntry}. */
export const ScheduleRunEntry: WireModel<ScheduleRunEntry> = z.looseObject({
  run_id: z.string(),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  status: z.enum(["Running", "Succeeded", "Failed", "TimedOut", "Skipped"]),
  error: z.string().nullable(),
  execution_time_ms: UInt.nullable(),
});

const HistoryResponse = z.looseObject({
  job_id: z.string(),
  history: z.array(zodOf(ScheduleRunEntry)),
});
const NextRunsResponse = z.looseObject({ job_id: z.string(), next_runs: z.array(z.string()) });

function checkCron(expression: string | undefined, timezone: string | undefined): void {
  if (expression !== undefined) parseCron(expression);
  if (timezone !== undefined && timezone !== "") assertTimeZone(timezone);
}

/**
 * The runtime's schedule routes (admin keys only). Usable on its own, as in the seed.
 *
 * @example Usage
 * ```ts ignore
 * import { Client, ScheduleClient } from "@symbiont/sdk/client";
 * const schedules = new ScheduleClient(new Client());
 * const { job_id } = await schedules.create({
 *   name: "nightly",
 *   cron_expression: "0 0 3 * * *",
 *   timezone: "Europe/Berlin",
 *   agent_name: "reporter",
 * });
 * console.log(await schedules.nextRuns(job_id));
 * ```
 */
export class ScheduleClient {
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
   * `GET /schedules`.
   * @param options Per-call options.
   * @returns Every schedule (empty on a runtime without cron).
   */
  list(options: RequestOptions = {}): Promise<ScheduleSummary[]> {
    return requestJson(this.#context, ScheduleSummaryList, {
      ...options,
      method: "GET",
      path: "/schedules",
    });
  }

  /**
   * `POST /schedules` (201). The expression and time zone are checked locally first.
   * @param request Name, cron expression, time zone (default UTC), agent, policies, one-shot.
   * @param options Per-call options.
   * @returns `{job_id, next_run, status: "created"}`.
   * @throws {CronError} `INVALID_CRON` or `INVALID_TIMEZONE`, before anything is sent.
   */
  create(
    request: CreateScheduleRequest,
    options: RequestOptions = {},
  ): Promise<CreateScheduleResponse> {
    const body = checkInput("request", CreateScheduleRequest, request);
    checkCron(body.cron_expression, body.timezone);
    return requestJson(this.#context, CreateScheduleResponse, {
      ...options,
      method: "POST",
      path: "/schedules",
      body,
    });
  }

  /**
   * `GET /schedules/{id}`.
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns The schedule's details.
   * @throws {NotFoundError} `SCHEDULE_NOT_FOUND`.
   */
  get(jobId: string, options: RequestOptions = {}): Promise<ScheduleDetail> {
    return requestJson(this.#context, ScheduleDetail, {
      ...options,
      method: "GET",
      path: `/schedules/${requireSegment("jobId", jobId)}`,
      route: "GET /schedules/{id}",
    });
  }

  /**
   * `PUT /schedules/{id}`; answers with the schedule as read back after the update.
   * @param jobId The schedule id.
   * @param request The fields to change (at least one).
   * @param options Per-call options.
   * @returns The updated schedule.
   * @throws {ServerError} `UPDATE_SCHEDULE_FAILED`, which the runtime also uses for an unknown id.
   */
  update(
    jobId: string,
    request: UpdateScheduleRequest,
    options: RequestOptions = {},
  ): Promise<ScheduleDetail> {
    const segment = requireSegment("jobId", jobId);
    const body = checkInput(
      "request",
      zodOf(UpdateScheduleRequest).refine(
        (r) => Object.values(r).some((v) => v !== undefined),
        { message: "give at least one field to change" },
      ),
      request,
    );
    checkCron(body.cron_expression, body.timezone);
    return requestJson(this.#context, ScheduleDetail, {
      ...options,
      method: "PUT",
      path: `/schedules/${segment}`,
      body,
      route: "PUT /schedules/{id}",
    });
  }

  /**
   * `DELETE /schedules/{id}`.
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns `{job_id, deleted: true}`.
   */
  delete(jobId: string, options: RequestOptions = {}): Promise<DeleteScheduleResponse> {
    return requestJson(this.#context, DeleteScheduleResponse, {
      ...options,
      method: "DELETE",
      path: `/schedules/${requireSegment("jobId", jobId)}`,
      route: "DELETE /schedules/{id}",
    });
  }

  #action(jobId: string, action: string, options: RequestOptions) {
    return requestJson(this.#context, ScheduleActionResponse, {
      ...options,
      method: "POST",
      path: `/schedules/${requireSegment("jobId", jobId)}/${action}`,
      route: `POST /schedules/{id}/${action}`,
    });
  }

  /**
   * `POST /schedules/{id}/pause`.
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns `{job_id, action: "pause", status: "paused"}`.
   */
  pause(jobId: string, options: RequestOptions = {}): Promise<ScheduleActionResponse> {
    return this.#action(jobId, "pause", options);
  }

  /**
   * `POST /schedules/{id}/resume`.
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns `{job_id, action: "resume", status: "active"}`.
   */
  resume(jobId: string, options: RequestOptions = {}): Promise<ScheduleActionResponse> {
    return this.#action(jobId, "resume", options);
  }

  /**
   * `POST /schedules/{id}/trigger`: runs the job now.
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns `{job_id, action: "trigger", status: "triggered"}`.
   */
  trigger(jobId: string, options: RequestOptions = {}): Promise<ScheduleActionResponse> {
    return this.#action(jobId, "trigger", options);
  }

  /**
   * `GET /schedules/{id}/history`: the last 50 runs (the runtime takes no limit parameter).
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns The runs.
   */
  async history(jobId: string, options: RequestOptions = {}): Promise<ScheduleRunEntry[]> {
    const data = await requestJson(this.#context, HistoryResponse, {
      ...options,
      method: "GET",
      path: `/schedules/${requireSegment("jobId", jobId)}/history`,
      route: "GET /schedules/{id}/history",
    });
    return data.history;
  }

  /**
   * `GET /schedules/{id}/next-runs`: the next 10 run times (fixed by the runtime).
   * @param jobId The schedule id.
   * @param options Per-call options.
   * @returns RFC 3339 times.
   */
  async nextRuns(jobId: string, options: RequestOptions = {}): Promise<string[]> {
    const data = await requestJson(this.#context, NextRunsResponse, {
      ...options,
      method: "GET",
      path: `/schedules/${requireSegment("jobId", jobId)}/next-runs`,
      route: "GET /schedules/{id}/next-runs",
    });
    return data.next_runs;
  }
}
