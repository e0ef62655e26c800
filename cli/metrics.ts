/**
 * `symbiont metrics ...`: runtime metrics snapshots, exported to a file, an OTLP/HTTP collector or
 * as Prometheus text, and watched periodically.
 *
 * @module
 */
import {
  CompositeExporter,
  FileMetricsExporter,
  MetricsClient,
  MetricsCollector,
  type MetricsExporter,
  type MetricsSnapshot,
  OtlpHttpExporter,
  PrometheusExporter,
  toPrometheusText,
} from "../metrics/mod.ts";
import { serve } from "../testing/serve.ts";
import {
  CliError,
  type CommandContext,
  type CommandGroup,
  errorCode,
  type FlagSpec,
  UsageError,
} from "./_framework.ts";
import { noExtra, numberFlag, writeText } from "./_input.ts";

async function metricsClient(ctx: CommandContext): Promise<MetricsClient> {
  return new MetricsClient(await ctx.client());
}

function line(s: MetricsSnapshot): string {
  const sched = s.scheduler ? `, scheduler ${s.scheduler.jobs_active} active job(s)` : "";
  return `${s.timestamp}  agents ${s.agents.total} (running ${s.agents.running}, idle ${s.agents.idle}, error ${s.agents.error})  memory ${s.system.memory_usage}  cpu ${s.system.cpu_usage}${sched}`;
}

const EXPORT_FLAGS: FlagSpec = {
  out: { type: "string", description: "write JSON snapshots to this file" },
  append: { type: "boolean", description: "append one JSON line per snapshot to --out" },
  otlp: {
    type: "string",
    description: "OTLP/HTTP metrics endpoint, e.g. http://localhost:4318/v1/metrics",
  },
  "otlp-header": { type: "string", multiple: true, description: "extra OTLP header, Name=value" },
};

function exporters(ctx: CommandContext): MetricsExporter[] {
  const out: MetricsExporter[] = [];
  if (ctx.flags.append && !ctx.flags.out) throw new UsageError("--append goes with --out");
  if (ctx.flags.out) {
    out.push(
      new FileMetricsExporter(ctx.flags.out as string, {
        mode: ctx.flags.append ? "append" : "overwrite",
      }),
    );
  }
  if (ctx.flags.otlp) {
    let url: URL;
    try {
      url = new URL(ctx.flags.otlp as string);
    } catch {
      throw new UsageError(`--otlp expects a URL, got ${JSON.stringify(ctx.flags.otlp)}`);
    }
    const headers: Record<string, string> = {};
    for (const h of (ctx.flags["otlp-header"] as string[] | undefined) ?? []) {
      const i = h.indexOf("=");
      if (i <= 0) throw new UsageError("--otlp-header expects Name=value");
      headers[h.slice(0, i)] = h.slice(i + 1);
    }
    out.push(new OtlpHttpExporter({ endpoint: url.href, headers, maxRetries: 2 }));
  }
  return out;
}

/** The `metrics` command group. */
export const metricsCommands: CommandGroup = {
  summary: "metrics: snapshot, export (file, OTLP, Prometheus), watch",
  commands: {
    snapshot: {
      summary: "one snapshot: GET /metrics with /status and /health/scheduler folded in",
      examples: ["symbiont metrics snapshot", "symbiont metrics snapshot --json"],
      permissions: "--allow-net --allow-env",
      run: async (ctx) => {
        noExtra(ctx, 0);
        return await (await metricsClient(ctx)).getMetricsSnapshot();
      },
    },
    export: {
      summary: "take one snapshot and export it to a file, an OTLP endpoint, or as Prometheus text",
      usage: "[--out FILE [--append]] [--otlp URL] [--prometheus [--prometheus-out FILE]]",
      flags: {
        ...EXPORT_FLAGS,
        prometheus: { type: "boolean", description: "print the Prometheus text exposition" },
        "prometheus-out": { type: "string", description: "write the Prometheus text to this file" },
      },
      examples: [
        "symbiont metrics export --out metrics.json",
        "symbiont metrics export --otlp http://localhost:4318/v1/metrics",
        "symbiont metrics export --prometheus > node_exporter/symbiont.prom",
      ],
      permissions: "--allow-net --allow-env (--allow-write for files)",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const targets = exporters(ctx);
        const prometheus = Boolean(ctx.flags.prometheus) || Boolean(ctx.flags["prometheus-out"]);
        if (!targets.length && !prometheus) {
          throw new UsageError(
            "give at least one of --out, --otlp, --prometheus, --prometheus-out",
          );
        }
        const snapshot = await (await metricsClient(ctx)).getMetricsSnapshot();
        if (targets.length) await new CompositeExporter(targets).export(snapshot);
        const text = prometheus ? toPrometheusText(snapshot) : undefined;
        if (ctx.flags["prometheus-out"]) {
          await writeText(ctx.flags["prometheus-out"] as string, text as string);
        }
        const exported = [
          ...(ctx.flags.out ? [`file ${ctx.flags.out}`] : []),
          ...(ctx.flags.otlp ? [`otlp ${ctx.flags.otlp}`] : []),
          ...(ctx.flags["prometheus-out"] ? [`prometheus ${ctx.flags["prometheus-out"]}`] : []),
        ];
        if (ctx.flags.prometheus && !ctx.json) return text;
        return {
          timestamp: snapshot.timestamp,
          exported,
          ...(ctx.flags.prometheus ? { prometheus: text } : {}),
        };
      },
      human: (v) =>
        typeof v === "string"
          ? v
          : `exported ${(v as { timestamp: string }).timestamp} to ${
            (v as { exported: string[] }).exported.join(", ")
          }`,
    },
    watch: {
      summary:
        "take a snapshot every --interval seconds, print one line each (JSON lines with --json), export it, and optionally serve /metrics for Prometheus; Ctrl-C stops",
      usage: "[--interval SECONDS] [--count N] [--out FILE --append] [--otlp URL] [--serve PORT]",
      flags: {
        ...EXPORT_FLAGS,
        interval: { type: "string", description: "seconds between snapshots (default 10)" },
        count: { type: "string", description: "stop after this many snapshots" },
        serve: {
          type: "string",
          description: "serve the latest snapshot at http://127.0.0.1:PORT/metrics",
        },
      },
      examples: [
        "symbiont metrics watch --interval 5",
        "symbiont metrics watch --interval 60 --out metrics.jsonl --append --serve 9464",
      ],
      permissions: "--allow-net --allow-env (--allow-write for --out)",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const interval = numberFlag(ctx.flags, "interval", 10);
        const count = ctx.flags.count === undefined
          ? Infinity
          : numberFlag(ctx.flags, "count", 1, true);
        const port = ctx.flags.serve === undefined
          ? undefined
          : numberFlag(ctx.flags, "serve", 9464, true);
        const source = await metricsClient(ctx);
        let seen = 0;
        let done!: () => void;
        const finished = new Promise<void>((resolve) => (done = resolve));
        const printer: MetricsExporter = {
          name: "stdout",
          export: (snapshot) => {
            ctx.io.stdout(ctx.json ? JSON.stringify(snapshot) : line(snapshot));
            if (++seen >= count) done();
            return Promise.resolve();
          },
        };
        const prometheus = new PrometheusExporter({});
        const server = port === undefined ? undefined : await serve(prometheus.fetch, { port });
        if (server) ctx.progress(`serving Prometheus text at ${server.url}/metrics`);
        const collector = new MetricsCollector(
          source,
          new CompositeExporter([printer, prometheus, ...exporters(ctx)]),
          {
            intervalSeconds: interval,
            keepAlive: true,
            onError: (error, phase) => {
              if (phase === "snapshot" && ++seen >= count) done();
              ctx.io.stderr(
                `${ctx.style.warn("warning:")} ${(error as Error).message.split("\n")[0]} [${
                  errorCode(error)
                }]`,
              );
            },
          },
        );
        collector.start();
        try {
          await Promise.race([finished, ctx.io.interrupted?.() ?? new Promise(() => {})]);
        } finally {
          await collector.stop({ abort: true, shutdownExporter: true });
          await server?.close();
        }
        const stats = collector.stats;
        if (stats.succeeded === 0 && stats.failed > 0) {
          throw new CliError(
            `no snapshot succeeded (${stats.failed} failed)`,
            errorCode(stats.lastError),
          );
        }
        return undefined;
      },
    },
  },
};
