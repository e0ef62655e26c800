/**
 * `symbiont invoke` (the runtime's HTTP Input server, port 8081) and `symbiont chat` (Coordinator
 * Chat over `/ws/chat`, interactive or one message).
 *
 * @module
 */
import { readEnv } from "../client/_env.ts";
import type { ChatEvent, ChatSession, WebhookInvocationResponse } from "../client/mod.ts";
import {
  CliError,
  type CommandContext,
  type CommandGroup,
  type Style,
  UsageError,
} from "./_framework.ts";
import { jsonArg, list, noExtra, numberFlag, secretArg, textArg } from "./_input.ts";

/** The `invoke` command group (one command, run by `symbiont invoke`). */
export const invokeCommands: CommandGroup = {
  summary: "invoke an agent through the runtime's HTTP Input server (port 8081)",
  default: "send",
  commands: {
    send: {
      summary:
        "POST a payload to the HTTP Input server (env SYMBIONT_HTTP_INPUT_URL, SYMBIONT_HTTP_INPUT_TOKEN), optionally signed as the runtime's webhook_verify expects",
      usage: "(--prompt TEXT | --data JSON|@file|-) [--agent PATH] [--sign PROVIDER]",
      flags: {
        prompt: { type: "string", description: "the user message (text, @file or -)" },
        "system-prompt": { type: "string", description: "appended to the agent's system prompt" },
        data: { type: "string", description: "the whole JSON payload (other fields pass through)" },
        field: { type: "string", multiple: true, description: "an extra payload field, key=value" },
        agent: { type: "string", description: "route to an agent by path (<url>/<path>)" },
        "http-input-url": {
          type: "string",
          description: "the HTTP Input URL (default http://localhost:8081/webhook)",
        },
        sign: {
          type: "string",
          description: "sign the body: github, stripe, slack or another provider name",
        },
        "secret-env": {
          type: "string",
          description: "env variable with the signing secret (default SYMBIONT_WEBHOOK_SECRET)",
        },
        "secret-file": { type: "string", description: "file with the signing secret" },
      },
      examples: [
        'symbiont invoke --prompt "scan 10.0.0.1 for open ports"',
        "symbiont invoke --data @alert.json --agent triage --sign github --secret-env GITHUB_WEBHOOK_SECRET",
      ],
      permissions: "--allow-net --allow-env (--allow-read for @file)",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const payload: Record<string, unknown> = {};
        if (ctx.flags.data !== undefined) {
          const data = await jsonArg(ctx, "data", ctx.flags.data as string);
          if (data === null || typeof data !== "object" || Array.isArray(data)) {
            throw new UsageError("--data must be a JSON object");
          }
          Object.assign(payload, data);
        }
        if (ctx.flags.prompt !== undefined) {
          payload.prompt = await textArg(ctx, ctx.flags.prompt as string);
        }
        if (ctx.flags["system-prompt"] !== undefined) {
          payload.system_prompt = await textArg(ctx, ctx.flags["system-prompt"] as string);
        }
        for (const item of list(ctx.flags.field)) {
          const i = item.indexOf("=");
          if (i <= 0) {
            throw new UsageError(`--field expects key=value, got ${JSON.stringify(item)}`);
          }
          payload[item.slice(0, i)] = item.slice(i + 1);
        }
        if (!Object.keys(payload).length) throw new UsageError("give --prompt, --data or --field");
        const options = await ctx.clientOptions();
        if (ctx.flags["http-input-url"]) {
          options.httpInputUrl = ctx.flags["http-input-url"] as string;
        }
        const client = await ctx.client({ requireKey: false });
        const signature = ctx.flags.sign
          ? {
            provider: ctx.flags.sign as string,
            secret: await secretArg(ctx, "SYMBIONT_WEBHOOK_SECRET", readEnv),
          }
          : undefined;
        if (!readEnv("SYMBIONT_HTTP_INPUT_TOKEN") && !options.httpInputToken) {
          ctx.progress("note: no SYMBIONT_HTTP_INPUT_TOKEN; the runtime fails closed without one");
        }
        return await client.httpInput.invoke(payload, {
          ...(ctx.flags.agent ? { agentPath: ctx.flags.agent as string } : {}),
          ...(signature ? { signature } : {}),
        });
      },
      human: (v) => {
        const r = v as WebhookInvocationResponse;
        if (r.status === "completed") {
          const c = r as { response?: string; tool_runs?: unknown[] };
          return [c.response ?? "", `(completed; ${c.tool_runs?.length ?? 0} tool run(s))`].join(
            "\n",
          );
        }
        return `${r.status}: ${JSON.stringify(r)}`;
      },
    },
  },
};

function renderEvent(event: ChatEvent, style: Style): string | undefined {
  switch (event.type) {
    case "ToolCallStarted":
      return style.dim(`  → tool ${event.tool_name}(${event.arguments})`);
    case "ToolCallResult":
      return style.dim(`  ← tool result`);
    case "PolicyDecision":
      return style.dim(`  ⚖ ${event.decision}: ${event.reason}`);
    case "ChatChunk":
      return event.content;
    case "Error":
      return style.bad(`error: ${event.message} [${event.code}]`);
    default:
      return undefined;
  }
}

async function turn(
  ctx: CommandContext,
  session: ChatSession,
  text: string,
  idle: number,
): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of session.send(text, { idleTimeout: idle })) {
    events.push(event);
    if (!ctx.json) {
      const line = renderEvent(event, ctx.style);
      if (line !== undefined) ctx.io.stdout(line);
    }
  }
  return events;
}

/** The `chat` command group (one command, run by `symbiont chat`). */
export const chatCommands: CommandGroup = {
  summary: "Coordinator Chat over /ws/chat: interactive, or one --message",
  default: "start",
  commands: {
    start: {
      summary:
        "connect to the coordinator; with --message send one message and print the answer, else read lines from stdin until EOF or /quit",
      usage: "[--message TEXT]",
      flags: {
        message: {
          type: "string",
          description: "send this one message (text, @file or -) and exit",
        },
        "idle-timeout": {
          type: "string",
          description: "seconds to wait for the next event (default 130)",
        },
      },
      examples: [
        'symbiont chat --message "list my agents"',
        "symbiont chat",
        "symbiont chat --message @question.txt --json",
      ],
      permissions: "--allow-net --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const idle = numberFlag(ctx.flags, "idle-timeout", 130) * 1000;
        const client = await ctx.client();
        const session = await client.chat.connect();
        const transcript: { message: string; events: ChatEvent[] }[] = [];
        try {
          if (ctx.flags.message !== undefined) {
            const message = await textArg(ctx, ctx.flags.message as string);
            transcript.push({ message, events: await turn(ctx, session, message, idle) });
          } else {
            if (!ctx.io.stdinLines) {
              throw new UsageError("interactive chat needs standard input; use --message");
            }
            if (ctx.io.isTTY && !ctx.json) {
              ctx.io.stderr(ctx.style.dim(`connected to ${client.chat.url}; /quit or Ctrl-D ends`));
            }
            for await (const raw of ctx.io.stdinLines()) {
              const message = raw.trim();
              if (!message) continue;
              if (message === "/quit" || message === "/exit") break;
              transcript.push({ message, events: await turn(ctx, session, message, idle) });
            }
          }
        } finally {
          await session.close();
        }
        const errors = transcript.flatMap((t) => t.events).filter((e) => e.type === "Error");
        if (errors.length && ctx.flags.message !== undefined) {
          const e = errors[0] as { message: string; code: string };
          throw new CliError(
            `the coordinator answered with an error: ${e.message}`,
            e.code,
            transcript,
          );
        }
        return ctx.json ? transcript : undefined;
      },
    },
  },
};
