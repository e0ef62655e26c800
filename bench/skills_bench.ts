/**
 * Scanner throughput: the full runtime rule set (40 rules) over a 4 MB benign skill corpus and a
 * 4 MB adversarial one (two 1 MiB lines of near-matches, then lines packed with every rule's
 * trigger literals so every rule must be confirmed on every line), and the dense lines alone
 * (the worst case for this design). Baselines in the same run: one
 * `indexOf` pass (the memory-bandwidth floor), the 10-rule classic set, and the naive approach
 * (each reference regex on each line, as the older SDKs do) on a slice of the same corpus.
 *
 * Run: `.cache/bin/deno bench -A bench/skills_bench.ts`. MB/s = corpus MB / avg time.
 */
import { CLASSIC_RULES, RUNTIME_RULES, SkillScanner } from "../skills/mod.ts";
import { compileRustPattern } from "../skills/_regex.ts";

let seed = 42;
function rnd(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
  return (seed >>> 12) % n;
}
const pick = <T>(list: readonly T[]): T => list[rnd(list.length)];

const WORDS = (
  "the agent reads files writes summaries for users when asked helps with code review tests " +
  "deploy config project module function returns value error handling retry request response " +
  "database query index cache memory context tool call policy approve reject schedule report"
).split(" ");
const CODE = [
  'def handle(event):\n    return {"status": "ok", "items": len(event.get("items", []))}',
  "const result = await client.agents.list({ limit: 20 });\nconsole.log(result.length);",
  'git checkout -b feature/report && git commit -am "update report"',
  "npm run build && npm test -- --coverage",
  'for f in *.csv; do wc -l "$f"; done',
  "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days';",
  "| Column | Type | Notes |\n|---|---|---|\n| id | int | primary key |",
  "kubectl get pods -n staging -o wide",
  'import json\nwith open("data.json") as fh:\n    data = json.load(fh)',
];

function sentence(): string {
  const n = 6 + rnd(14);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(pick(WORDS));
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return words.join(" ") + ".";
}

function benignCorpus(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    let block: string;
    const r = rnd(10);
    if (r < 5) block = Array.from({ length: 2 + rnd(4) }, sentence).join(" ");
    else if (r < 7) block = "```\n" + pick(CODE) + "\n```";
    else if (r < 8) block = `## ${sentence()}`;
    else block = Array.from({ length: 3 }, () => `- ${sentence()}`).join("\n");
    parts.push(block);
    size += block.length + 2;
  }
  return parts.join("\n\n");
}

function adversarialCorpus(bytes: number, longLines = 2): string {
  // Every trigger literal of every rule on each line, in random order, separated by spaces: each
  // line makes every rule a candidate and most chain steps run (the scanner's worst case); plus
  // two 1 MiB lines of repeated near-matches.
  const literals = [...new Set(RUNTIME_RULES.flatMap((r) => r.anchors.flat()))];
  const lines: string[] = [];
  let size = 0;
  const nearMiss = "curl eval( exec( fetch wget base64 -d perl socket exec nc mkfifo dig $ chmod ";
  for (let i = 0; i < longLines; i++) {
    const long = nearMiss.repeat(Math.ceil((1 << 20) / nearMiss.length));
    lines.push(long);
    size += long.length + 1;
  }
  while (size < bytes) {
    const shuffled = [...literals];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rnd(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const line = shuffled.join(" ");
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

const benign = benignCorpus(4_000_000);
const adversarial = adversarialCorpus(4_000_000);
const dense = adversarialCorpus(4_000_000, 0);
const runtime = new SkillScanner();
const classic = new SkillScanner({ ruleSet: "classic" });
const naiveRules = RUNTIME_RULES.map((r) => compileRustPattern(r.pattern));
const naiveSlice = benign.slice(0, 400_000);

const mb = (s: string) => (new TextEncoder().encode(s).length / 1e6).toFixed(2);
// deno-lint-ignore no-console
console.log(
  `benign ${mb(benign)} MB (${runtime.scanContent(benign).length} findings), ` +
    `adversarial ${mb(adversarial)} MB (${runtime.scanContent(adversarial).length} findings), ` +
    `dense ${mb(dense)} MB (${runtime.scanContent(dense).length} findings), ` +
    `naive slice ${mb(naiveSlice)} MB`,
);

let sink = 0;

Deno.bench("indexOf pass (floor)", { group: "benign", baseline: true }, () => {
  sink += benign.indexOf("\u0000never");
});
Deno.bench("runtime 40 rules", { group: "benign" }, () => {
  sink += runtime.scanContent(benign).length;
});
Deno.bench("classic 10 rules", { group: "benign" }, () => {
  sink += classic.scanContent(benign).length;
});
Deno.bench("naive 40 regexes per line (0.4 MB slice)", { group: "naive" }, () => {
  for (const line of naiveSlice.split("\n")) {
    for (const re of naiveRules) if (re.test(line)) sink++;
  }
});
Deno.bench("naive 10 classic regexes per line (0.4 MB slice)", { group: "naive" }, () => {
  const rules = CLASSIC_RULES.map((r) => compileRustPattern(r.pattern));
  for (const line of naiveSlice.split("\n")) {
    for (const re of rules) if (re.test(line)) sink++;
  }
});
Deno.bench("indexOf pass (floor)", { group: "adversarial", baseline: true }, () => {
  sink += adversarial.indexOf("\u0000never");
});
Deno.bench("runtime 40 rules", { group: "adversarial" }, () => {
  sink += runtime.scanContent(adversarial).length;
});
Deno.bench("classic 10 rules", { group: "adversarial" }, () => {
  sink += classic.scanContent(adversarial).length;
});
Deno.bench("runtime 40 rules, dense lines only (worst case)", { group: "adversarial" }, () => {
  sink += runtime.scanContent(dense).length;
});

globalThis.addEventListener("unload", () => {
  // Keeps `sink` observable so the scans cannot be optimised away.
  if (sink === 0.5) throw new Error(String(sink));
});
