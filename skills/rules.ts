/**
 * The ClawHavoc rule tables: the Symbiont runtime's 40 rules (`runtime`, the default) and the ten
 * rules of the older Python and JS SDKs (`classic`).
 *
 * Each rule carries three forms of the same test:
 * - `pattern`: the regular expression exactly as the runtime (or the older SDK) compiles it, in
 *   Rust `regex` syntax. This is the reference meaning.
 * - `anchors`: groups of lower-case literals. A line can only match when it holds at least one
 *   literal of every group (compared case-insensitively, a superset of what the regex accepts).
 * - `chains`: the same test split into small segments that each start at a literal occurrence.
 *   JavaScript regular expressions backtrack, so `a.*b` tried from every `a` of a 1 MiB line is
 *   quadratic, and even linear rewrites re-read a long line once per rule. The scanner instead
 *   checks segments only at the literal positions found in its single pass, taking for each
 *   segment the earliest occurrence that matches (the best choice before a `.*` gap).
 *   The test suite checks the scanner against `pattern` line by line on a generated corpus.
 *
 * @module
 */

/**
 * How serious a finding is. The runtime knows all five; the older SDKs only `critical`,
 * `warning` and `info`.
 *
 * @example Comparing severities
 * ```ts
 * import type { ScanSeverity } from "@symbiont/sdk/skills";
 * const blocking: ScanSeverity[] = ["critical", "high"];
 * console.log(blocking.includes("medium"));
 * ```
 */
export type ScanSeverity = "critical" | "high" | "medium" | "warning" | "info";

/**
 * One built-in rule.
 *
 * @example Listing the runtime rules
 * ```ts
 * import { RUNTIME_RULES } from "@symbiont/sdk/skills";
 * for (const rule of RUNTIME_RULES) console.log(rule.name, rule.severity);
 * ```
 */
export interface BuiltinRule {
  /** The rule name as the runtime reports it (`pipe-to-shell`, `reverse-shell-nc`, ...). */
  readonly name: string;
  /** Its severity. */
  readonly severity: ScanSeverity;
  /** What a finding of this rule means. */
  readonly message: string;
  /** The reference pattern, in Rust `regex` syntax, exactly as the runtime or older SDK has it. */
  readonly pattern: string;
  /** Groups of lower-case literals; a matching line holds one literal of every group. */
  readonly anchors: readonly (readonly string[])[];
  /**
   * How the scanner confirms a line: the rule matches when one of these chains does. A chain is
   * a list of segments, each a small pattern that must match *starting at* an occurrence of one
   * of its anchor group's literals, in order, separated by any text (`.*`), or, with `stop`, by
   * text free of that character (the `[^|]*` of the pipe rules).
   */
  readonly chains: readonly (readonly ChainSegment[])[];
}

/**
 * One step of a {@link BuiltinRule} chain.
 *
 * @example The second step of pipe-to-shell
 * ```ts
 * import type { ChainSegment } from "@symbiont/sdk/skills";
 * const step: ChainSegment = { group: 1, pattern: String.raw`\|\s*(?:ba)?sh`, stop: "|" };
 * console.log(step.group);
 * ```
 */
export interface ChainSegment {
  /** Index into the rule's `anchors`: the segment starts where one of these literals starts. */
  readonly group: number;
  /** The segment pattern (Rust syntax, the rule's case-sensitivity). */
  readonly pattern: string;
  /** When set, the gap before this segment may not contain this character. */
  readonly stop?: string;
}

/**
 * The name of a built-in rule set: `runtime` (the runtime's 40 rules; a skill passes when no
 * finding is critical or high) or `classic` (the older SDKs' ten; it passes when none is critical).
 *
 * @example Choosing a rule set
 * ```ts
 * import { SkillScanner, type RuleSetName } from "@symbiont/sdk/skills";
 * const set: RuleSetName = "classic";
 * const scanner = new SkillScanner({ ruleSet: set });
 * console.log(scanner.rules.length);
 * ```
 */
export type RuleSetName = "runtime" | "classic";

type Seg = [group: number, pattern: string, stop?: string];

function rule(
  name: string,
  severity: ScanSeverity,
  message: string,
  pattern: string,
  anchors: string[][],
  chains: Seg[][] = [[[0, pattern.replace(/^\(\?i\)/, "")]]],
): BuiltinRule {
  return Object.freeze({
    name,
    severity,
    message,
    pattern,
    anchors: Object.freeze(anchors.map((g) => Object.freeze(g))),
    chains: Object.freeze(
      chains.map((c) =>
        Object.freeze(
          c.map(([group, p, stop]) =>
            Object.freeze(stop === undefined ? { group, pattern: p } : { group, pattern: p, stop })
          ),
        )
      ),
    ),
  });
}

const SHELL_VERBS = ["write", "modify", "replace", "edit"];
const NET_WORDS = ["fetch", "request", "http", "curl", "wget"];

/**
 * The runtime's 40 rules, in the runtime's order (which is also the order of findings on a line).
 * Patterns from the Symbiont runtime's `skills/scanner.rs`.
 *
 * @example Finding a rule
 * ```ts
 * import { RUNTIME_RULES } from "@symbiont/sdk/skills";
 * const setuid = RUNTIME_RULES.find((r) => r.name === "privesc-setuid");
 * console.log(setuid?.severity);
 * ```
 */
export const RUNTIME_RULES: readonly BuiltinRule[] = Object.freeze([
  rule(
    "pipe-to-shell",
    "critical",
    "curl output is piped into a shell",
    String.raw`curl\s+[^\|]*\|\s*(ba)?sh`,
    [["curl"], ["|"], ["sh"]],
    [[[0, String.raw`curl\s`], [1, String.raw`\|\s*(?:ba)?sh`, "|"]]],
  ),
  rule(
    "wget-pipe-to-shell",
    "critical",
    "wget output is piped into a shell",
    String.raw`wget\s+[^\|]*\|\s*(ba)?sh`,
    [["wget"], ["|"], ["sh"]],
    [[[0, String.raw`wget\s`], [1, String.raw`\|\s*(?:ba)?sh`, "|"]]],
  ),
  rule(
    "env-file-reference",
    "warning",
    "mentions a .env file, which usually holds secrets",
    String.raw`(?i)\.env\b`,
    [[".env"]],
  ),
  rule(
    "soul-md-modification",
    "critical",
    "asks to change SOUL.md (the agent's identity)",
    String.raw`(?i)(write|modify|overwrite|replace|edit)\s+.*SOUL\.md`,
    [SHELL_VERBS, ["soul.md"]],
    [[[0, String.raw`(?:write|modify|replace|edit)\s`], [1, String.raw`SOUL\.md`]]],
  ),
  rule(
    "memory-md-modification",
    "critical",
    "asks to change MEMORY.md (the agent's memory)",
    String.raw`(?i)(write|modify|overwrite|replace|edit)\s+.*MEMORY\.md`,
    [SHELL_VERBS, ["memory.md"]],
    [[[0, String.raw`(?:write|modify|replace|edit)\s`], [1, String.raw`MEMORY\.md`]]],
  ),
  rule(
    "eval-with-fetch",
    "critical",
    "eval/exec of something fetched from the network",
    String.raw`(?i)(eval|exec)\s*\(.*\b(fetch|request|http|curl|wget)`,
    [["eval", "exec"], ["("], NET_WORDS],
    [[[0, String.raw`(?:eval|exec)\s*\(`], [2, String.raw`\b(?:fetch|request|http|curl|wget)`]]],
  ),
  rule(
    "fetch-with-eval",
    "critical",
    "network fetch followed by eval/exec",
    String.raw`(?i)(fetch|request|http|curl|wget).*\b(eval|exec)\s*\(`,
    [NET_WORDS, ["eval", "exec"], ["("]],
    [[[0, String.raw`(?:fetch|request|http|curl|wget)`], [1, String.raw`\b(?:eval|exec)\s*\(`]]],
  ),
  rule(
    "base64-decode-exec",
    "critical",
    "base64-decoded data is piped into a shell (obfuscated payload)",
    String.raw`(?i)base64\s+(-d|--decode).*\|\s*(ba)?sh`,
    [["base64"], ["-d"], ["|"], ["sh"]],
    [[[0, String.raw`base64\s+(?:-d|--decode)`], [2, String.raw`\|\s*(?:ba)?sh`]]],
  ),
  rule(
    "rm-rf-pattern",
    "critical",
    "recursive delete starting at an absolute path",
    String.raw`rm\s+-rf?\s+/`,
    [["rm"], ["-r"]],
  ),
  rule(
    "chmod-777",
    "warning",
    "makes a file world-writable",
    String.raw`chmod\s+777\b`,
    [["chmod"], ["777"]],
  ),
  rule(
    "reverse-shell-bash",
    "critical",
    "interactive bash bound to a TCP socket (reverse shell)",
    String.raw`bash\s+-i\s+>&\s*/dev/tcp/`,
    [["bash"], ["/dev/tcp/"]],
  ),
  rule(
    "reverse-shell-nc",
    "critical",
    "netcat handing a shell to a remote host",
    String.raw`nc\s+.*-[ec]\s*/bin/(ba)?sh`,
    [["nc"], ["/bin/"], ["-e", "-c"]],
    [[[0, String.raw`nc\s`], [2, String.raw`-[ec]\s*/bin/(?:ba)?sh`]]],
  ),
  rule(
    "reverse-shell-ncat",
    "critical",
    "ncat handing a shell to a remote host",
    String.raw`ncat\s+.*-[ec]\s*/bin/(ba)?sh`,
    [["ncat"], ["/bin/"], ["-e", "-c"]],
    [[[0, String.raw`ncat\s`], [2, String.raw`-[ec]\s*/bin/(?:ba)?sh`]]],
  ),
  rule(
    "reverse-shell-mkfifo",
    "critical",
    "named pipe wired to netcat (reverse shell)",
    String.raw`mkfifo\s+.*\bnc\b`,
    [["mkfifo"], ["nc"]],
    [[[0, String.raw`mkfifo\s`], [1, String.raw`\bnc\b`]]],
  ),
  rule(
    "reverse-shell-python",
    "critical",
    "Python socket wired to a subprocess or duplicated file descriptors (reverse shell)",
    String.raw`\.connect\(.*subprocess|os\.dup2.*socket`,
    [[".connect(", "os.dup2"], ["subprocess", "socket"]],
    [
      [[0, String.raw`\.connect\(`], [1, "subprocess"]],
      [[0, String.raw`os\.dup2`], [1, "socket"]],
    ],
  ),
  rule(
    "reverse-shell-perl",
    "critical",
    "Perl socket that execs a shell (reverse shell)",
    String.raw`perl.*socket.*exec.*/bin/(ba)?sh`,
    [["perl"], ["socket"], ["exec"], ["/bin/"]],
    [[[0, "perl"], [1, "socket"], [2, "exec"], [3, String.raw`/bin/(?:ba)?sh`]]],
  ),
  rule(
    "reverse-shell-ruby",
    "critical",
    "Ruby TCPSocket that execs a shell (reverse shell)",
    String.raw`ruby.*TCPSocket.*exec.*/bin/(ba)?sh`,
    [["ruby"], ["tcpsocket"], ["exec"], ["/bin/"]],
    [[[0, "ruby"], [1, "TCPSocket"], [2, "exec"], [3, String.raw`/bin/(?:ba)?sh`]]],
  ),
  rule(
    "credential-ssh-keys",
    "high",
    "reads SSH private keys or authorized_keys",
    String.raw`~/\.ssh/(id_rsa|id_ed25519|id_ecdsa|authorized_keys)`,
    [["~/.ssh/"]],
  ),
  rule(
    "credential-aws",
    "high",
    "reads AWS credentials",
    String.raw`~/\.aws/(credentials|config)`,
    [["~/.aws/"]],
  ),
  rule(
    "credential-cloud-config",
    "high",
    "reads gcloud, kubeconfig or Azure credentials",
    String.raw`~/\.(config/gcloud|kube/config|azure)`,
    [["~/.config/gcloud", "~/.kube/config", "~/.azure"]],
  ),
  rule(
    "credential-browser-cookies",
    "high",
    "reads browser cookie or saved-login stores",
    String.raw`(?i)(Cookies|cookies\.sqlite|Login\s*Data)\b`,
    [["cookies", "login"]],
  ),
  rule(
    "credential-keychain",
    "high",
    "reads passwords from the OS keychain or kernel keyring",
    String.raw`security\s+find-(generic|internet)-password|keyctl\s+read`,
    [["security", "keyctl"], ["find-generic-password", "find-internet-password", "keyctl"]],
  ),
  rule(
    "credential-etc-shadow",
    "high",
    "reads /etc/shadow password hashes",
    String.raw`(?i)(cat|head|tail|less|more)\s+/etc/shadow`,
    [["cat", "head", "tail", "less", "more"], ["/etc/shadow"]],
  ),
  rule(
    "exfil-dns-tunnel",
    "high",
    "DNS lookup built from a variable (possible DNS tunnelling)",
    String.raw`(dig|nslookup|host)\s+.*\$`,
    [["dig", "nslookup", "host"], ["$"]],
    [[[0, String.raw`(?:dig|nslookup|host)\s`], [1, String.raw`\$`]]],
  ),
  rule(
    "exfil-dev-tcp",
    "high",
    "opens a network connection through /dev/tcp or /dev/udp",
    String.raw`/dev/(tcp|udp)/`,
    [["/dev/tcp/", "/dev/udp/"]],
  ),
  rule(
    "exfil-nc-outbound",
    "high",
    "netcat connection to a remote host",
    String.raw`nc\s+(-w\s+\d+\s+)?[a-zA-Z]`,
    [["nc"]],
  ),
  rule(
    "injection-ptrace",
    "critical",
    "attaches to or writes into another process with ptrace",
    String.raw`ptrace\s*\(\s*(PTRACE_ATTACH|PTRACE_POKETEXT)`,
    [["ptrace"], ["ptrace_attach", "ptrace_poketext"]],
  ),
  rule(
    "injection-ld-preload",
    "critical",
    "injects a shared library with LD_PRELOAD",
    String.raw`LD_PRELOAD\s*=`,
    [["ld_preload"]],
  ),
  rule(
    "injection-proc-mem",
    "critical",
    "reads or writes process memory through /proc/<pid>/mem",
    String.raw`/proc/\d+/mem|/proc/self/mem`,
    [["/proc/"], ["/mem"]],
  ),
  rule(
    "injection-gdb-attach",
    "critical",
    "attaches a debugger to a running process",
    String.raw`gdb\s+(-p|--pid|attach)`,
    [["gdb"]],
  ),
  rule(
    "privesc-sudo",
    "high",
    "runs a command with sudo",
    String.raw`sudo\s+`,
    [["sudo"]],
  ),
  rule(
    "privesc-setuid",
    "high",
    "sets a setuid/setgid bit (note: the runtime's octal branch also matches chmod 644/755)",
    String.raw`chmod\s+[ugoa]*[+-]s|chmod\s+[0-7]*[4-7][0-7]{2}\b`,
    [["chmod"]],
  ),
  rule(
    "privesc-setcap",
    "high",
    "changes Linux capabilities",
    String.raw`setcap\b`,
    [["setcap"]],
  ),
  rule(
    "privesc-chown-root",
    "high",
    "hands ownership to root",
    String.raw`chown\s+(root|0:)`,
    [["chown"]],
  ),
  rule(
    "privesc-nsenter",
    "high",
    "enters or creates namespaces (container escape risk)",
    String.raw`(nsenter|unshare)\s+`,
    [["nsenter", "unshare"]],
  ),
  rule(
    "symlink-escape",
    "medium",
    "symlinks into a sensitive system directory",
    String.raw`ln\s+-s[f]?\s+/(etc|home|root|var|tmp)`,
    [["ln"], ["-s"]],
  ),
  rule(
    "path-traversal-deep",
    "medium",
    "relative path climbing three or more levels",
    String.raw`\.\./\.\./\.\.`,
    [["../../.."]],
  ),
  rule(
    "downloader-curl-save",
    "medium",
    "curl writes a download to a file",
    String.raw`curl\s+.*(-o|--output)\s+`,
    [["curl"], ["-o", "--output"]],
    [[[0, String.raw`curl\s`], [1, String.raw`(?:-o|--output)\s`]]],
  ),
  rule(
    "downloader-wget-save",
    "medium",
    "wget writes a download to a file",
    String.raw`wget\s+.*(-O|--output-document)\s+`,
    [["wget"], ["-o", "--output-document"]],
    [[[0, String.raw`wget\s`], [1, String.raw`(?:-O|--output-document)\s`]]],
  ),
  rule(
    "downloader-chmod-exec",
    "medium",
    "makes a file executable (download-and-run chain)",
    String.raw`chmod\s+\+x\b`,
    [["chmod"], ["+x"]],
  ),
]);

/**
 * The ten rules of the older Python and JS SDKs (case-sensitive, `critical`/`warning` only), for
 * comparison with what those SDKs accept.
 *
 * @example Names of the classic rules
 * ```ts
 * import { CLASSIC_RULES } from "@symbiont/sdk/skills";
 * console.log(CLASSIC_RULES.map((r) => r.name).join(", "));
 * ```
 */
export const CLASSIC_RULES: readonly BuiltinRule[] = Object.freeze([
  rule(
    "pipe-to-shell",
    "critical",
    "curl output is piped into a shell",
    String.raw`curl\s.*\|\s*(sh|bash|zsh)`,
    [["curl"], ["|"], ["sh"]],
    [[[0, String.raw`curl\s`], [1, String.raw`\|\s*(?:sh|bash|zsh)`]]],
  ),
  rule(
    "wget-pipe-to-shell",
    "critical",
    "wget output is piped into a shell",
    String.raw`wget\s.*\|\s*(sh|bash|zsh)`,
    [["wget"], ["|"], ["sh"]],
    [[[0, String.raw`wget\s`], [1, String.raw`\|\s*(?:sh|bash|zsh)`]]],
  ),
  rule(
    "env-file-reference",
    "warning",
    "mentions a .env file, which usually holds secrets",
    String.raw`\.(env|ENV)\b`,
    [[".env"]],
  ),
  rule(
    "soul-md-modification",
    "critical",
    "asks to change SOUL.md (the agent's identity)",
    String.raw`(write|modify|overwrite|replace).*SOUL\.md`,
    [["write", "modify", "replace"], ["soul.md"]],
    [[[0, "(?:write|modify|replace)"], [1, String.raw`SOUL\.md`]]],
  ),
  rule(
    "memory-md-modification",
    "warning",
    "asks to change memory.md (the agent's memory)",
    String.raw`(write|modify|overwrite|replace).*memory\.md`,
    [["write", "modify", "replace"], ["memory.md"]],
    [[[0, "(?:write|modify|replace)"], [1, String.raw`memory\.md`]]],
  ),
  rule(
    "eval-with-fetch",
    "critical",
    "eval of something fetched from the network",
    String.raw`eval\s*\(.*fetch`,
    [["eval"], ["("], ["fetch"]],
    [[[0, String.raw`eval\s*\(`], [2, "fetch"]]],
  ),
  rule(
    "fetch-with-eval",
    "critical",
    "fetch whose result is passed to eval",
    String.raw`fetch\s*\(.*\.then.*eval`,
    [["fetch"], ["("], [".then"], ["eval"]],
    [[[0, String.raw`fetch\s*\(`], [2, String.raw`\.then`], [3, "eval"]]],
  ),
  rule(
    "base64-decode-exec",
    "critical",
    "base64-decoded data is executed (obfuscated payload)",
    String.raw`(base64.*decode|atob)\s*\(.*\)\s*.*exec`,
    [["base64", "atob"], ["("], [")"], ["exec"], ["decode", "atob"]],
    [
      [[0, "base64"], [4, String.raw`decode\s*\(`], [2, String.raw`\)`], [3, "exec"]],
      [[0, String.raw`atob\s*\(`], [2, String.raw`\)`], [3, "exec"]],
    ],
  ),
  rule(
    "rm-rf-pattern",
    "critical",
    "recursive delete starting at an absolute path",
    String.raw`rm\s+-rf\s+/`,
    [["rm"], ["-rf"], ["/"]],
  ),
  rule(
    "chmod-777",
    "warning",
    "makes a file world-writable",
    String.raw`chmod\s+777`,
    [["chmod"], ["777"]],
  ),
]);
