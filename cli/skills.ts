/**
 * `symbiont skills ...`: scan skill folders (with progress over many skills), load them as the
 * runtime does, create signing keys, sign and verify SchemaPin signatures.
 *
 * @module
 */
import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { FsStorage } from "../memory/fs_storage.ts";
import {
  generateSkillSigningKeys,
  type LoadedSkill,
  type ScanResult,
  type SchemaPinDiscovery,
  signSkill,
  SkillLoader,
  SkillPinStore,
  SkillScanner,
  verifySkillSignature,
} from "../skills/mod.ts";
import { CliError, type CommandGroup, UsageError } from "./_framework.ts";
import {
  arg,
  isFolder,
  jsonFile,
  list,
  noExtra,
  numberFlag,
  readText,
  required,
  requireExists,
  writeText,
} from "./_input.ts";
import { table } from "./_render.ts";

/** The skill folders under `path`: itself when it holds a SKILL.md, else its sub-folders that do. */
async function skillFolders(path: string): Promise<string[]> {
  if (!(await isFolder(path))) {
    throw new CliError(`${JSON.stringify(path)} is not a folder`, "NOT_A_FOLDER");
  }
  const entries = await readdir(path, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === "SKILL.md")) return [path];
  const out: string[] = [];
  for (const e of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const inner = await readdir(join(path, e.name));
    if (inner.includes("SKILL.md")) out.push(join(path, e.name));
  }
  return out.length ? out : [path];
}

interface FolderScan extends ScanResult {
  folder: string;
}

async function discoveryFlags(values: unknown): Promise<Record<string, SchemaPinDiscovery>> {
  const out: Record<string, SchemaPinDiscovery> = {};
  for (const item of list(values)) {
    const i = item.indexOf("=");
    if (i <= 0) {
      throw new UsageError(`--discovery expects DOMAIN=FILE, got ${JSON.stringify(item)}`);
    }
    const file = item.slice(i + 1);
    const doc = await jsonFile(file, "discovery document");
    if (typeof (doc as SchemaPinDiscovery)?.public_key_pem !== "string") {
      throw new CliError(
        `discovery document ${JSON.stringify(file)} has no public_key_pem`,
        "FILE_INVALID",
      );
    }
    out[item.slice(0, i)] = doc as SchemaPinDiscovery;
  }
  return out;
}

/** The `skills` command group. */
export const skillsCommands: CommandGroup = {
  summary: "skills: scan (with progress), load, keygen, sign, verify (SchemaPin)",
  commands: {
    scan: {
      summary:
        "scan a skill folder, or every skill folder under a path, with the runtime's 40 rules (exit 1 on a critical finding)",
      usage: "<path> [--rules runtime|classic] [--max-files N]",
      flags: {
        rules: {
          type: "string",
          description: "runtime (default, 40 rules) or classic (the older SDKs' 10)",
        },
        "max-files": { type: "string", description: "files scanned per skill (default 1000)" },
      },
      examples: [
        "symbiont skills scan ./skills",
        "symbiont skills scan ./skills/release-notes --json",
      ],
      permissions: "--allow-read",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const path = arg(ctx, 0, "path");
        const rules = (ctx.flags.rules as string | undefined) ?? "runtime";
        if (rules !== "runtime" && rules !== "classic") {
          throw new UsageError("--rules expects runtime or classic");
        }
        const scanner = new SkillScanner({
          ruleSet: rules,
          limits: { maxFiles: numberFlag(ctx.flags, "max-files", 1000, true) },
        });
        const folders = await skillFolders(path);
        const results: FolderScan[] = [];
        for (const [i, folder] of folders.entries()) {
          ctx.progress(`scanning ${i + 1}/${folders.length}: ${folder}`);
          results.push({ folder, ...(await scanner.scanSkill(folder)) });
        }
        const failed = results.filter((r) => !r.passed);
        const report = {
          passed: failed.length === 0,
          skills: results.length,
          filesScanned: results.reduce((n, r) => n + r.filesScanned, 0),
          results,
        };
        if (failed.length) {
          if (!ctx.json) ctx.io.stdout(renderScan(report));
          throw new CliError(
            `${failed.length} of ${results.length} skill(s) failed the scan: ${
              failed.map((f) => basename(f.folder)).join(", ")
            }`,
            "SKILL_SCAN_FAILED",
            report,
          );
        }
        return report;
      },
      human: (v) => renderScan(v as { results: FolderScan[] }),
    },
    load: {
      summary: "load the skills under one or more load paths: frontmatter, signature status, scan",
      usage:
        "<load-path> ... [--require-signed] [--allow-unsigned-from PATH ...] [--discovery DOMAIN=FILE ...]",
      flags: {
        "require-signed": { type: "boolean", description: "refuse unsigned skills" },
        "allow-unsigned-from": {
          type: "string",
          multiple: true,
          description: "a load path allowed to be unsigned",
        },
        discovery: {
          type: "string",
          multiple: true,
          description: "a signer's SchemaPin discovery document, DOMAIN=FILE",
        },
        "auto-pin": {
          type: "boolean",
          description: "pin signer keys on first use (with --pins, across runs)",
        },
        pins: { type: "string", description: "folder keeping TOFU key pins" },
        "no-scan": { type: "boolean", description: "skip content scanning" },
      },
      examples: [
        "symbiont skills load ./skills",
        "symbiont skills load /srv/skills --require-signed --discovery example.com=schemapin.json --json",
      ],
      permissions: "--allow-read (--allow-write with --pins)",
      run: async (ctx) => {
        if (!ctx.args.length) throw new UsageError("missing <load-path>");
        for (const p of ctx.args) await requireExists(p, "load path");
        const loader = new SkillLoader({
          loadPaths: ctx.args,
          requireSigned: Boolean(ctx.flags["require-signed"]),
          allowUnsignedFrom: list(ctx.flags["allow-unsigned-from"]),
          autoPin: Boolean(ctx.flags["auto-pin"]),
          scanEnabled: !ctx.flags["no-scan"],
          discovery: await discoveryFlags(ctx.flags.discovery),
          ...(ctx.flags.pins ? { pinStorage: new FsStorage(ctx.flags.pins as string) } : {}),
        });
        const { skills, errors } = await loader.loadAllWithErrors();
        return {
          skills: skills.map((s: LoadedSkill) => ({
            name: s.name,
            path: s.path,
            signatureStatus: s.signatureStatus,
            accepted: s.accepted,
            ...(s.reason ? { reason: s.reason } : {}),
            scanPassed: s.scanResult?.passed ?? null,
            findings: s.scanResult?.findings.length ?? 0,
          })),
          errors: errors.map((e) => ({ code: e.code, message: e.message })),
        };
      },
      human: (v) => {
        const r = v as {
          skills: {
            name: string;
            signatureStatus: string;
            accepted: boolean;
            scanPassed: boolean | null;
            path: string;
          }[];
          errors: { code: string; message: string }[];
        };
        return [
          table(r.skills, [
            ["name", (s) => s.name],
            ["signature", (s) => s.signatureStatus],
            ["scan", (s) => (s.scanPassed === null ? "off" : s.scanPassed ? "passed" : "FAILED")],
            ["accepted", (s) => (s.accepted ? "yes" : "no")],
            ["path", (s) => s.path],
          ]),
          ...r.errors.map((e) => `error: ${e.message} [${e.code}]`),
        ].join("\n");
      },
    },
    keygen: {
      summary:
        "generate a SchemaPin signing key pair: PREFIX.private.pem (0600), PREFIX.public.pem",
      usage: "--out PREFIX",
      flags: { out: { type: "string", description: "path prefix of the two files" } },
      examples: ["symbiont skills keygen --out keys/skills"],
      permissions: "--allow-write",
      run: async (ctx) => {
        noExtra(ctx, 0);
        const prefix = required(ctx.flags, "out");
        const keys = await generateSkillSigningKeys();
        await writeText(`${prefix}.private.pem`, keys.privateKeyPem, 0o600);
        await writeText(`${prefix}.public.pem`, keys.publicKeyPem);
        return {
          fingerprint: keys.fingerprint,
          privateKey: `${prefix}.private.pem`,
          publicKey: `${prefix}.public.pem`,
        };
      },
    },
    sign: {
      summary: "sign a skill folder: writes <folder>/.schemapin.sig",
      usage: "<folder> --key PRIVATE.pem --domain DOMAIN [--name NAME] [--expires-in DAYS]",
      flags: {
        key: { type: "string", description: "private key PEM file" },
        domain: { type: "string", description: "the signer's domain" },
        name: { type: "string", description: "skill name (default: from the frontmatter)" },
        "expires-in": { type: "string", description: "days until the signature expires" },
      },
      examples: [
        "symbiont skills sign ./skills/release-notes --key keys/skills.private.pem --domain example.com",
      ],
      permissions: "--allow-read --allow-write",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const folder = arg(ctx, 0, "folder");
        if (!(await isFolder(folder))) {
          throw new CliError(`${JSON.stringify(folder)} is not a folder`, "NOT_A_FOLDER");
        }
        const privateKeyPem = await readText(required(ctx.flags, "key"), "private key");
        const signed = await signSkill(folder, {
          privateKeyPem,
          domain: required(ctx.flags, "domain"),
          ...(ctx.flags.name ? { skillName: ctx.flags.name as string } : {}),
          ...(ctx.flags["expires-in"]
            ? { expiresIn: numberFlag(ctx.flags, "expires-in", 1, true) }
            : {}),
        });
        return {
          signature: join(folder, ".schemapin.sig"),
          skill: signed.document.skill_name,
          domain: signed.document.domain,
          skillHash: signed.document.skill_hash,
        };
      },
    },
    verify: {
      summary: "verify a skill folder's SchemaPin signature (exit 1 when it does not verify)",
      usage: "<folder> (--public-key PEM | --discovery FILE) [--domain DOMAIN] [--pins DIR]",
      flags: {
        "public-key": { type: "string", description: "the signer's public key PEM file" },
        discovery: {
          type: "string",
          description: "the signer's SchemaPin discovery document (JSON)",
        },
        domain: { type: "string", description: "refuse a signature from another domain" },
        pins: { type: "string", description: "folder keeping TOFU key pins" },
      },
      examples: [
        "symbiont skills verify ./skills/release-notes --public-key keys/skills.public.pem",
        "symbiont skills verify ./skills/release-notes --discovery schemapin.json --json",
      ],
      permissions: "--allow-read (--allow-write with --pins)",
      run: async (ctx) => {
        noExtra(ctx, 1);
        const folder = arg(ctx, 0, "folder");
        if (!(await isFolder(folder))) {
          throw new CliError(`${JSON.stringify(folder)} is not a folder`, "NOT_A_FOLDER");
        }
        if (!ctx.flags["public-key"] && !ctx.flags.discovery && !ctx.flags.pins) {
          throw new UsageError(
            "give --public-key, --discovery or --pins (a previously pinned key)",
          );
        }
        const result = await verifySkillSignature(folder, {
          ...(ctx.flags["public-key"]
            ? { publicKeyPem: await readText(ctx.flags["public-key"] as string, "public key") }
            : {}),
          ...(ctx.flags.discovery
            ? { discovery: (await discoveryFlags([`x=${ctx.flags.discovery}`])).x }
            : {}),
          ...(ctx.flags.domain ? { expectedDomain: ctx.flags.domain as string } : {}),
          ...(ctx.flags.pins
            ? { pinStore: new SkillPinStore(new FsStorage(ctx.flags.pins as string)) }
            : {}),
        });
        if (!result.valid) {
          throw new CliError(
            `signature rejected: ${result.errorMessage ?? result.status}`,
            result.errorCode ?? "SIGNATURE_INVALID",
            result,
          );
        }
        return result;
      },
      human: (v) => {
        const r = v as { status: string; domain?: string; skillName?: string; warnings: string[] };
        return [
          `${r.status}: ${r.skillName ?? "skill"} signed by ${r.domain ?? "?"}`,
          ...r.warnings.map((w) => `warning: ${w}`),
        ].join("\n");
      },
    },
  },
};

function renderScan(report: { results: FolderScan[] }): string {
  const lines: string[] = [];
  for (const r of report.results) {
    lines.push(
      `${
        r.passed ? "passed" : "FAILED"
      }  ${r.folder}  (${r.filesScanned} file(s), ${r.findings.length} finding(s))`,
    );
    for (const f of r.findings) {
      lines.push(
        `  ${f.severity.padEnd(8)} ${f.rule}  ${f.file}${f.line ? `:${f.line}` : ""}  ${f.message}`,
      );
    }
  }
  return lines.join("\n") || "(no skills)";
}
