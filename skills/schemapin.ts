/**
 * SchemaPin skill-folder signatures (`.schemapin.sig`): canonicalisation and root hash, signing,
 * offline verification with the reference's error codes, tamper reports and TOFU key pinning.
 * WebCrypto ECDSA P-256 only.
 *
 * @module
 */
import type { StorageAdapter } from "../memory/storage.ts";
import { derToRaw, fromBase64, pemBody, rawToDer, toBase64, toHex, toPem } from "./_encoding.ts";
import {
  SchemaPinError,
  SchemaPinErrorCode,
  type SchemaPinErrorCodeValue,
  SkillError,
  SkillErrorCode,
} from "./errors.ts";
import {
  compareCodePoints,
  fsSource,
  listFolder,
  readFolderFile,
  SIGNATURE_FILE,
  type SkillFolder,
} from "./folder.ts";

const encoder = new TextEncoder();
const ECDSA_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" } as const;

/**
 * The contents of a `.schemapin.sig` file (SchemaPin 1.3/1.4 wire names). Only `signature` is
 * covered by cryptography (it signs the root hash of the folder); every other field can be edited
 * by anyone holding the file.
 *
 * @example Reading fields
 * ```ts ignore
 * import { parseSkillSignature } from "@symbiont/sdk/skills";
 * const sig = parseSkillSignature(await Deno.readTextFile("skill/.schemapin.sig"));
 * console.log(sig.domain, sig.skill_name, Object.keys(sig.file_manifest).length);
 * ```
 */
export interface SkillSignatureDocument {
  /** `"1.3"`, or `"1.4"` when a v1.4 field is present. */
  schemapin_version: string;
  /** The skill name (SKILL.md frontmatter `name`, else the folder name). */
  skill_name: string;
  /** `"sha256:" + hex(root hash)` (Python, JS and Go; Rust writes a hash of the root instead). */
  skill_hash: string;
  /** Base64 (standard) ASN.1 DER ECDSA P-256 signature. */
  signature: string;
  /** RFC 3339, seconds, `Z`. */
  signed_at: string;
  /** Optional expiry (v1.4); past it, verification warns `signature_expired` but still passes. */
  expires_at?: string;
  /** Optional version of this release (v1.4). */
  schema_version?: string;
  /** Optional `skill_hash` of the previous release (v1.4). */
  previous_hash?: string;
  /** Optional canonicalisation name; only `schemapin-v1` exists. */
  canonicalization?: string;
  /** The signer's domain (where its discovery document lives). */
  domain: string;
  /** Key id; by default the key fingerprint `sha256:<hex of SPKI DER>`. */
  signer_kid: string;
  /** Relative path to `sha256:<hex>` for every file (not signed; used for tamper reports). */
  file_manifest: Record<string, string>;
}

/**
 * A SchemaPin discovery document (`https://{domain}/.well-known/schemapin.json`).
 *
 * @example A discovery document
 * ```ts
 * import type { SchemaPinDiscovery } from "@symbiont/sdk/skills";
 * const doc: SchemaPinDiscovery = {
 *   schema_version: "1.3",
 *   developer_name: "Example Corp",
 *   public_key_pem: "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----\n",
 *   revoked_keys: [],
 * };
 * console.log(doc.developer_name);
 * ```
 */
export interface SchemaPinDiscovery {
  /** Document version, e.g. `"1.3"`. */
  schema_version?: string;
  /** Who publishes it. */
  developer_name?: string;
  /** The domain's signing key, PEM SPKI. */
  public_key_pem: string;
  /** Revoked key fingerprints (`sha256:<hex>`). */
  revoked_keys?: string[];
  /** Contact address. */
  contact?: string;
  /** Where a standalone revocation document lives. */
  revocation_endpoint?: string;
}

/**
 * A standalone SchemaPin revocation document.
 *
 * @example Revoking a key
 * ```ts
 * import type { SchemaPinRevocationDocument } from "@symbiont/sdk/skills";
 * const doc: SchemaPinRevocationDocument = {
 *   schemapin_version: "1.2",
 *   domain: "example.com",
 *   updated_at: "2026-01-01T00:00:00Z",
 *   revoked_keys: [{ fingerprint: "sha256:00", revoked_at: "2026-01-01T00:00:00Z", reason: "key_compromise" }],
 * };
 * console.log(doc.revoked_keys.length);
 * ```
 */
export interface SchemaPinRevocationDocument {
  /** Document version, `"1.2"`. */
  schemapin_version?: string;
  /** The domain. */
  domain?: string;
  /** Last change. */
  updated_at?: string;
  /** The revoked keys. */
  revoked_keys: { fingerprint: string; revoked_at?: string; reason?: string }[];
}

/**
 * How the ECDSA input is formed: `double` (Python, JS, Rust: the 32-byte root hash is signed with
 * ECDSA-SHA256, so it is hashed again) or `single` (Go: the root hash is the ECDSA digest).
 *
 * @example Signing the Go way
 * ```ts ignore
 * import { signSkill, type HashConvention } from "@symbiont/sdk/skills";
 * const hashConvention: HashConvention = "single";
 * await signSkill("./skill", { privateKeyPem, domain: "example.com", hashConvention });
 * ```
 */
export type HashConvention = "double" | "single";

/**
 * The canonical form of a skill folder.
 *
 * @example Root hash of a folder
 * ```ts
 * import { canonicalizeSkill } from "@symbiont/sdk/skills";
 * const form = await canonicalizeSkill({ "SKILL.md": "# Hi\n" });
 * console.log(form.skillHash, form.manifest["SKILL.md"]);
 * ```
 */
export interface SkillCanonicalForm {
  /** SHA-256 over the concatenated hex file digests in sorted path order (32 bytes). */
  rootHash: Uint8Array;
  /** `"sha256:" + hex(rootHash)`. */
  skillHash: string;
  /** Relative path to `"sha256:" + hex(sha256(path ‖ bytes))`, keys in code-point order. */
  manifest: Record<string, string>;
  /** The concatenated hex digests (the single-hash ECDSA message). */
  digestString: string;
}

/**
 * Files that differ between a folder and the manifest it was signed with.
 *
 * @example Reading a report
 * ```ts
 * import { detectTamperedFiles } from "@symbiont/sdk/skills";
 * const r = detectTamperedFiles({ "a": "sha256:1", "b": "sha256:2" }, { "a": "sha256:9", "c": "sha256:3" });
 * console.log(r.modified, r.added, r.removed); // ["a"] ["b"] ["c"]
 * ```
 */
export interface TamperedFiles {
  /** In both, with different digests. */
  modified: string[];
  /** In the folder, not in the signed manifest. */
  added: string[];
  /** In the signed manifest, gone from the folder. */
  removed: string[];
}

/**
 * A skill's signature status: `verified` (valid under a key the caller vouched for: a discovery
 * document or an explicit key, agreeing with any pin), `pinned` (valid under a key trusted on
 * first use: pinned just now, or read back from the pin store with no discovery document),
 * `unsigned` (no `.schemapin.sig`), `invalid` (any failure but revocation), `revoked`.
 *
 * @example Acting on a status
 * ```ts
 * import type { SignatureStatus } from "@symbiont/sdk/skills";
 * function usable(status: SignatureStatus): boolean {
 *   return status === "verified" || status === "pinned";
 * }
 * console.log(usable("pinned"), usable("revoked")); // true false
 * ```
 */
export type SignatureStatus = "verified" | "pinned" | "unsigned" | "invalid" | "revoked";

/**
 * The outcome of {@link verifySkillSignature}. Failures never throw; they set `errorCode`.
 *
 * @example Reporting a result
 * ```ts ignore
 * import { verifySkillSignature } from "@symbiont/sdk/skills";
 * const v = await verifySkillSignature("./skill", { discovery });
 * if (!v.valid) console.log(v.errorCode, v.errorMessage, v.tampered);
 * ```
 */
export interface SkillVerification {
  /** True when the signature verifies. */
  valid: boolean;
  /** The status (see {@link SignatureStatus}). */
  status: SignatureStatus;
  /** The SchemaPin error code on failure. */
  errorCode?: SchemaPinErrorCodeValue;
  /** What failed, without key material. */
  errorMessage?: string;
  /** `signature_expired`, `signature_expires_at_unparseable`, `file_manifest_mismatch`, `signer_kid_mismatch`. */
  warnings: string[];
  /** True when `expires_at` is in the past (the signature still counts as valid). */
  expired: boolean;
  /** The `expires_at` field, when present. */
  expiresAt?: string;
  /** The `schema_version` field, when present. */
  schemaVersion?: string;
  /** The `previous_hash` field, when present. */
  previousHash?: string;
  /** The signature's domain. */
  domain?: string;
  /** The discovery document's `developer_name`. */
  developerName?: string;
  /** The signature's `skill_name`. */
  skillName?: string;
  /** Fingerprint of the key used (`sha256:<hex>`). */
  fingerprint?: string;
  /** TOFU outcome when a pin store took part. */
  keyPinning?: { status: "first_use" | "pinned"; firstSeen?: string };
  /** Which ECDSA convention the signature used. */
  hashConvention?: HashConvention;
  /** On a signature failure: which files differ from the signed manifest. */
  tampered?: TamperedFiles;
  /** The parsed signature file. */
  signature?: SkillSignatureDocument;
}

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
}

/**
 * Canonicalises a skill folder the SchemaPin way: every regular file at any depth (dotfiles
 * included; symlinks and files named `.schemapin.sig` skipped) hashed as
 * `sha256(utf8(relativePath) ‖ bytes)`, then the root hash over the concatenated hex digests in
 * code-point order of their paths.
 *
 * @param folder A folder path or a `{relativePath: bytes}` map.
 * @returns Root hash, manifest and skill hash.
 * @throws {SchemaPinError} `SCHEMA_CANONICALIZATION_FAILED` when the folder holds no file.
 * @example Two files
 * ```ts
 * import { canonicalizeSkill } from "@symbiont/sdk/skills";
 * const form = await canonicalizeSkill({ "SKILL.md": "# Hi\n", "lib/a.py": "print(1)\n" });
 * console.log(Object.keys(form.manifest)); // ["SKILL.md", "lib/a.py"]
 * ```
 */
export async function canonicalizeSkill(folder: SkillFolder): Promise<SkillCanonicalForm> {
  const entries = (await listFolder(folder))
    .filter((e) => e.path.slice(e.path.lastIndexOf("/") + 1) !== SIGNATURE_FILE)
    .sort((a, b) => compareCodePoints(a.path, b.path));
  if (entries.length === 0) {
    throw new SchemaPinError(
      SchemaPinErrorCode.SchemaCanonicalizationFailed,
      "the skill folder holds no files",
    );
  }
  const manifest: Record<string, string> = {};
  let digestString = "";
  for (const entry of entries) {
    const name = encoder.encode(entry.path);
    const bytes = await entry.read();
    const buf = new Uint8Array(name.length + bytes.length);
    buf.set(name);
    buf.set(bytes, name.length);
    const hex = toHex(await sha256(buf));
    manifest[entry.path] = `sha256:${hex}`;
    digestString += hex;
  }
  const rootHash = await sha256(encoder.encode(digestString));
  return { rootHash, skillHash: `sha256:${toHex(rootHash)}`, manifest, digestString };
}

/**
 * Compares a folder's manifest with the signed one.
 *
 * @param current The folder's manifest now (from {@link canonicalizeSkill}).
 * @param signed The `file_manifest` of the signature.
 * @returns Modified, added and removed paths, each sorted.
 * @example Nothing changed
 * ```ts
 * import { detectTamperedFiles } from "@symbiont/sdk/skills";
 * const m = { "SKILL.md": "sha256:ab" };
 * console.log(detectTamperedFiles(m, m)); // { modified: [], added: [], removed: [] }
 * ```
 */
export function detectTamperedFiles(
  current: Readonly<Record<string, string>>,
  signed: Readonly<Record<string, string>>,
): TamperedFiles {
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const modified: string[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  for (const [path, hash] of Object.entries(current)) {
    if (!has(signed, path)) added.push(path);
    else if (signed[path] !== hash) modified.push(path);
  }
  for (const path of Object.keys(signed)) if (!has(current, path)) removed.push(path);
  for (const list of [modified, added, removed]) list.sort(compareCodePoints);
  return { modified, added, removed };
}

/**
 * A generated signing key pair, PEM encoded.
 *
 * @example Generating keys
 * ```ts
 * import { generateSkillSigningKeys } from "@symbiont/sdk/skills";
 * const keys = await generateSkillSigningKeys();
 * console.log(keys.fingerprint.startsWith("sha256:"));
 * ```
 */
export interface SkillSigningKeys {
  /** PKCS#8 private key. Keep it secret. */
  privateKeyPem: string;
  /** SPKI public key, for the discovery document. */
  publicKeyPem: string;
  /** `sha256:<hex of SPKI DER>`. */
  fingerprint: string;
}

/**
 * Generates an ECDSA P-256 key pair for signing skills.
 *
 * @returns The PEM key pair and the public key's fingerprint.
 * @example A discovery document for a new key
 * ```ts
 * import { generateSkillSigningKeys } from "@symbiont/sdk/skills";
 * const keys = await generateSkillSigningKeys();
 * const discovery = { schema_version: "1.3", public_key_pem: keys.publicKeyPem, revoked_keys: [] };
 * console.log(discovery.public_key_pem.startsWith("-----BEGIN PUBLIC KEY-----"));
 * ```
 */
export async function generateSkillSigningKeys(): Promise<SkillSigningKeys> {
  const pair = await crypto.subtle.generateKey(ECDSA_KEY, true, ["sign", "verify"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  return {
    privateKeyPem: toPem(pkcs8, "PRIVATE KEY"),
    publicKeyPem: toPem(spki, "PUBLIC KEY"),
    fingerprint: `sha256:${toHex(await sha256(spki))}`,
  };
}

async function importPublicKey(pem: string): Promise<{ key: CryptoKey; fingerprint: string }> {
  const der = typeof pem === "string" ? pemBody(pem, "PUBLIC KEY") : undefined;
  if (!der) {
    throw new SchemaPinError(SchemaPinErrorCode.KeyNotFound, "public key is not PEM SPKI");
  }
  try {
    const key = await crypto.subtle.importKey("spki", der as BufferSource, ECDSA_KEY, true, [
      "verify",
    ]);
    return { key, fingerprint: `sha256:${toHex(await sha256(der))}` };
  } catch {
    throw new SchemaPinError(
      SchemaPinErrorCode.KeyNotFound,
      "public key is not an ECDSA P-256 SPKI key",
    );
  }
}

/**
 * The SchemaPin fingerprint of a public key: `sha256:` + hex SHA-256 of its SPKI DER.
 *
 * @param publicKeyPem PEM SPKI.
 * @returns The fingerprint.
 * @throws {SchemaPinError} `KEY_NOT_FOUND` when the PEM is not a P-256 public key.
 * @example Fingerprint of a generated key
 * ```ts
 * import { generateSkillSigningKeys, publicKeyFingerprint } from "@symbiont/sdk/skills";
 * const keys = await generateSkillSigningKeys();
 * console.log((await publicKeyFingerprint(keys.publicKeyPem)) === keys.fingerprint);
 * ```
 */
export async function publicKeyFingerprint(publicKeyPem: string): Promise<string> {
  return (await importPublicKey(publicKeyPem)).fingerprint;
}

async function importPrivateKey(
  pem: string,
): Promise<{ key: CryptoKey; publicKeyPem: string; fingerprint: string }> {
  const der = typeof pem === "string" ? pemBody(pem, "PRIVATE KEY") : undefined;
  if (!der) {
    throw new SchemaPinError(
      SchemaPinErrorCode.KeyNotFound,
      "private key is not PEM PKCS#8 (-----BEGIN PRIVATE KEY-----)",
    );
  }
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey("pkcs8", der as BufferSource, ECDSA_KEY, true, ["sign"]);
  } catch {
    throw new SchemaPinError(
      SchemaPinErrorCode.KeyNotFound,
      "private key is not an ECDSA P-256 PKCS#8 key",
    );
  }
  const jwk = await crypto.subtle.exportKey("jwk", key);
  const pub = await crypto.subtle.importKey(
    "jwk",
    { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y },
    ECDSA_KEY,
    true,
    ["verify"],
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pub));
  return {
    key,
    publicKeyPem: toPem(spki, "PUBLIC KEY"),
    fingerprint: `sha256:${toHex(await sha256(spki))}`,
  };
}

/**
 * The `name:` of a SKILL.md frontmatter, read the way the SchemaPin reference reads it (plain
 * string scanning, surrounding quotes stripped), or `undefined`.
 */
export function frontmatterName(text: string): string | undefined {
  const t = text.startsWith("\ufeff") ? text.slice(1) : text;
  if (!t.startsWith("---")) return undefined;
  let rest = t.slice(3);
  if (rest.startsWith("\r")) rest = rest.slice(1);
  if (!rest.startsWith("\n")) return undefined;
  rest = rest.slice(1);
  const close = rest.indexOf("\n---");
  if (close < 0) return undefined;
  for (const raw of rest.slice(0, close).split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("name:")) continue;
    let v = line.slice(5).trim();
    if (v.length >= 2 && (v[0] === "'" || v[0] === '"') && v.endsWith(v[0])) v = v.slice(1, -1);
    v = v.trim();
    if (v) return v;
  }
  return undefined;
}

/**
 * Options of {@link signSkill}.
 *
 * @example Signing with an expiry
 * ```ts
 * import type { SignSkillOptions } from "@symbiont/sdk/skills";
 * const options: SignSkillOptions = {
 *   privateKeyPem: "-----BEGIN PRIVATE KEY-----\n...",
 *   domain: "example.com",
 *   expiresIn: 180 * 86400,
 * };
 * console.log(options.domain);
 * ```
 */
export interface SignSkillOptions {
  /** PKCS#8 PEM private key (ECDSA P-256). */
  privateKeyPem: string;
  /** The signer's domain. */
  domain: string;
  /** Key id; defaults to the key fingerprint. */
  signerKid?: string;
  /** Skill name; defaults to SKILL.md's frontmatter `name`, else the folder name. */
  skillName?: string;
  /** Seconds until `expires_at`. */
  expiresIn?: number;
  /** `schema_version` to record. */
  schemaVersion?: string;
  /** `previous_hash` to record (the previous release's `skill_hash`). */
  previousHash?: string;
  /** `canonicalization` to record (only `schemapin-v1` verifies). */
  canonicalization?: string;
  /** `double` (default; Python, JS, Rust) or `single` (Go). */
  hashConvention?: HashConvention;
  /** The signing time. Default now. */
  now?: Date;
  /** For a folder path: write `.schemapin.sig` into it. Default true. */
  write?: boolean;
}

/**
 * A signature made by {@link signSkill}.
 *
 * @example Storing the file next to an in-memory skill
 * ```ts ignore
 * import { signSkill } from "@symbiont/sdk/skills";
 * const files = { "SKILL.md": "# Hi\n" };
 * const signed = await signSkill(files, { privateKeyPem, domain: "example.com", skillName: "hi" });
 * const withSig = { ...files, ".schemapin.sig": signed.text };
 * ```
 */
export interface SignedSkill {
  /** The signature document. */
  document: SkillSignatureDocument;
  /** Its file text (pretty JSON in writer order, trailing newline). */
  text: string;
}

function rfc3339Seconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function checkString(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "string") {
    throw new SkillError(SkillErrorCode.InvalidOption, `${name} must be a string`);
  }
}

/** Serialises a signature document in writer order, manifest keys in code-point order. */
export function serializeSkillSignature(doc: SkillSignatureDocument): string {
  const fields: [string, unknown][] = [
    ["schemapin_version", doc.schemapin_version],
    ["skill_name", doc.skill_name],
    ["skill_hash", doc.skill_hash],
    ["signature", doc.signature],
    ["signed_at", doc.signed_at],
    ["expires_at", doc.expires_at],
    ["schema_version", doc.schema_version],
    ["previous_hash", doc.previous_hash],
    ["canonicalization", doc.canonicalization],
    ["domain", doc.domain],
    ["signer_kid", doc.signer_kid],
  ];
  const lines = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  const manifest = Object.keys(doc.file_manifest).sort(compareCodePoints)
    .map((k) => `    ${JSON.stringify(k)}: ${JSON.stringify(doc.file_manifest[k])}`);
  lines.push(
    manifest.length === 0
      ? `  "file_manifest": {}`
      : `  "file_manifest": {\n${manifest.join(",\n")}\n  }`,
  );
  return `{\n${lines.join(",\n")}\n}\n`;
}

/**
 * Signs a skill folder: canonicalises it, signs the root hash with ECDSA P-256 (DER, standard
 * base64) and builds the `.schemapin.sig` document. For a folder path the file is written into the
 * folder (unless `write: false`); for a map, add `text` under `.schemapin.sig` yourself.
 *
 * @param folder A folder path or a `{relativePath: bytes}` map.
 * @param options Key, domain and optional v1.4 fields.
 * @returns The document and its file text.
 * @throws {SchemaPinError} `KEY_NOT_FOUND` for an unusable key, `SCHEMA_CANONICALIZATION_FAILED`
 *   for an empty folder.
 * @example Sign and verify an in-memory skill
 * ```ts
 * import { generateSkillSigningKeys, signSkill, verifySkillSignature } from "@symbiont/sdk/skills";
 * const keys = await generateSkillSigningKeys();
 * const files = { "SKILL.md": "---\nname: hello\n---\n# Hello\n" };
 * const signed = await signSkill(files, { privateKeyPem: keys.privateKeyPem, domain: "example.com" });
 * const result = await verifySkillSignature(
 *   { ...files, ".schemapin.sig": signed.text },
 *   { discovery: { public_key_pem: keys.publicKeyPem } },
 * );
 * console.log(result.status); // "verified"
 * ```
 */
export async function signSkill(
  folder: SkillFolder,
  options: SignSkillOptions,
): Promise<SignedSkill> {
  if (options === null || typeof options !== "object") {
    throw new SkillError(SkillErrorCode.InvalidOption, "signSkill needs an options object");
  }
  if (typeof options.domain !== "string" || options.domain.length === 0) {
    throw new SkillError(SkillErrorCode.InvalidOption, "domain must be a non-empty string");
  }
  for (
    const k of [
      "signerKid",
      "skillName",
      "schemaVersion",
      "previousHash",
      "canonicalization",
    ] as const
  ) {
    checkString(options[k], k);
  }
  const convention = options.hashConvention ?? "double";
  if (convention !== "double" && convention !== "single") {
    throw new SkillError(
      SkillErrorCode.InvalidOption,
      `hashConvention must be "double" or "single"`,
    );
  }
  if (
    options.expiresIn !== undefined &&
    (typeof options.expiresIn !== "number" || !Number.isFinite(options.expiresIn))
  ) {
    throw new SkillError(SkillErrorCode.InvalidOption, "expiresIn must be a number of seconds");
  }
  const { key, fingerprint } = await importPrivateKey(options.privateKeyPem);
  const form = await canonicalizeSkill(folder);
  let skillName = options.skillName;
  if (skillName === undefined) {
    const skillMd = await readFolderFile(folder, "SKILL.md");
    skillName = skillMd ? frontmatterName(new TextDecoder().decode(skillMd)) : undefined;
  }
  if (skillName === undefined) {
    if (typeof folder !== "string") {
      throw new SkillError(
        SkillErrorCode.InvalidOption,
        "skillName is required for a map whose SKILL.md has no frontmatter name",
      );
    }
    skillName = await (await fsSource()).baseName(folder);
  }
  const data = convention === "double" ? form.rootHash : encoder.encode(form.digestString);
  const raw = new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, key, data as BufferSource));
  const now = options.now ?? new Date();
  const expiresAt = options.expiresIn === undefined
    ? undefined
    : rfc3339Seconds(new Date(now.getTime() + options.expiresIn * 1000));
  const v14 = expiresAt !== undefined || options.schemaVersion !== undefined ||
    options.previousHash !== undefined || options.canonicalization !== undefined;
  const document: SkillSignatureDocument = {
    schemapin_version: v14 ? "1.4" : "1.3",
    skill_name: skillName,
    skill_hash: form.skillHash,
    signature: toBase64(rawToDer(raw)),
    signed_at: rfc3339Seconds(now),
    ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
    ...(options.schemaVersion !== undefined ? { schema_version: options.schemaVersion } : {}),
    ...(options.previousHash !== undefined ? { previous_hash: options.previousHash } : {}),
    ...(options.canonicalization !== undefined
      ? { canonicalization: options.canonicalization }
      : {}),
    domain: options.domain,
    signer_kid: options.signerKid ?? fingerprint,
    file_manifest: form.manifest,
  };
  const text = serializeSkillSignature(document);
  if (typeof folder === "string" && options.write !== false) {
    await (await fsSource()).writeFsFile(folder, SIGNATURE_FILE, text);
  }
  return { document, text };
}

/**
 * Parses and checks a `.schemapin.sig` document (every required field a string, the manifest an
 * object of strings).
 *
 * @param input The file text or an already parsed object.
 * @returns The document.
 * @throws {SchemaPinError} `SIGNATURE_INVALID` when it is not a signature document.
 * @example Parsing text
 * ```ts
 * import { parseSkillSignature } from "@symbiont/sdk/skills";
 * try {
 *   parseSkillSignature("{}");
 * } catch (error) {
 *   console.log((error as { code: string }).code); // "SIGNATURE_INVALID"
 * }
 * ```
 */
export function parseSkillSignature(input: string | object): SkillSignatureDocument {
  const bad = (why: string): never => {
    throw new SchemaPinError(SchemaPinErrorCode.SignatureInvalid, `.schemapin.sig ${why}`);
  };
  let doc: unknown = input;
  if (typeof input === "string") {
    try {
      doc = JSON.parse(input);
    } catch {
      bad("is not valid JSON");
    }
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) bad("is not a JSON object");
  const o = doc as Record<string, unknown>;
  for (
    const k of [
      "schemapin_version",
      "skill_name",
      "skill_hash",
      "signature",
      "signed_at",
      "domain",
      "signer_kid",
    ]
  ) {
    if (typeof o[k] !== "string") bad(`has no string field "${k}"`);
  }
  for (const k of ["expires_at", "schema_version", "previous_hash", "canonicalization"]) {
    if (o[k] !== undefined && o[k] !== null && typeof o[k] !== "string") {
      bad(`field "${k}" is not a string`);
    }
    if (o[k] === null) delete o[k];
  }
  const m = o.file_manifest;
  if (m === null || typeof m !== "object" || Array.isArray(m)) bad(`has no "file_manifest" object`);
  for (const v of Object.values(m as object)) {
    if (typeof v !== "string") bad(`"file_manifest" holds a value that is not a string`);
  }
  return o as unknown as SkillSignatureDocument;
}

/**
 * One pinned tool: the keys trusted for `tool_id@domain`.
 *
 * @example A record
 * ```ts
 * import type { SkillPinRecord } from "@symbiont/sdk/skills";
 * const r: SkillPinRecord = { tool_id: "hello", domain: "example.com", pinned_keys: [] };
 * console.log(r.tool_id);
 * ```
 */
export interface SkillPinRecord {
  /** The tool (skill name). */
  tool_id: string;
  /** The signer's domain. */
  domain: string;
  /** Trusted keys. */
  pinned_keys: {
    fingerprint: string;
    public_key_pem: string;
    first_seen: string;
    last_seen: string;
    trust_level: "tofu" | "verified" | "pinned";
  }[];
}

/**
 * Trust-on-first-use key pins for skills, keyed by `tool_id@domain` as SchemaPin does, kept in
 * any {@link StorageAdapter} (in memory, a folder, Deno KV, Workers KV). Each pin also keeps the
 * public key, so a pinned skill verifies later with no discovery document.
 *
 * @example Pinning in memory
 * ```ts
 * import { MemoryStorage } from "@symbiont/sdk/memory";
 * import { SkillPinStore } from "@symbiont/sdk/skills";
 * const pins = new SkillPinStore(new MemoryStorage());
 * console.log(await pins.get("hello", "example.com")); // undefined
 * ```
 */
export class SkillPinStore {
  #storage: StorageAdapter;
  #prefix: string;

  /**
   * Creates a pin store.
   *
   * @param storage Where the pins live.
   * @param prefix Key prefix inside the storage. Default `schemapin/skills/`.
   */
  constructor(storage: StorageAdapter, prefix = "schemapin/skills/") {
    if (!storage || typeof storage.get !== "function" || typeof storage.put !== "function") {
      throw new SkillError(SkillErrorCode.InvalidOption, "storage must be a StorageAdapter");
    }
    this.#storage = storage;
    this.#prefix = prefix;
  }

  async #key(toolId: string, domain: string): Promise<string> {
    return this.#prefix + toHex(await sha256(encoder.encode(`${toolId}@${domain}`)));
  }

  /**
   * The pin record of `toolId@domain`, or `undefined`.
   *
   * @param toolId The tool (skill name).
   * @param domain The signer's domain.
   * @returns The record.
   * @example Reading a pin
   * ```ts ignore
   * const record = await pins.get("hello", "example.com");
   * console.log(record?.pinned_keys[0].fingerprint);
   * ```
   */
  async get(toolId: string, domain: string): Promise<SkillPinRecord | undefined> {
    const text = await this.#storage.get(await this.#key(toolId, domain));
    if (text === undefined) return undefined;
    try {
      const r = JSON.parse(text) as SkillPinRecord;
      if (r && r.tool_id === toolId && r.domain === domain && Array.isArray(r.pinned_keys)) {
        return r;
      }
    } catch {
      // fall through: a corrupt record counts as absent
    }
    return undefined;
  }

  /**
   * Pins a key for `toolId@domain` (added to any keys already trusted).
   *
   * @param toolId The tool (skill name).
   * @param domain The signer's domain.
   * @param publicKeyPem The key, PEM SPKI.
   * @param trustLevel `tofu` (default), `verified` or `pinned`.
   * @returns Resolves once stored.
   * @example Pinning a key out of band
   * ```ts ignore
   * await pins.pin("hello", "example.com", publicKeyPem, "pinned");
   * ```
   */
  async pin(
    toolId: string,
    domain: string,
    publicKeyPem: string,
    trustLevel: "tofu" | "verified" | "pinned" = "tofu",
  ): Promise<void> {
    const { fingerprint } = await importPublicKey(publicKeyPem);
    const now = new Date().toISOString();
    const record = (await this.get(toolId, domain)) ??
      { tool_id: toolId, domain, pinned_keys: [] };
    const existing = record.pinned_keys.find((k) => k.fingerprint === fingerprint);
    if (existing) {
      existing.last_seen = now;
      existing.trust_level = trustLevel;
    } else {
      record.pinned_keys.push({
        fingerprint,
        public_key_pem: publicKeyPem,
        first_seen: now,
        last_seen: now,
        trust_level: trustLevel,
      });
    }
    await this.#storage.put(await this.#key(toolId, domain), JSON.stringify(record));
  }

  /**
   * Forgets every key pinned for `toolId@domain` (for a deliberate key rotation).
   *
   * @param toolId The tool (skill name).
   * @param domain The signer's domain.
   * @returns Resolves once removed.
   * @example Unpinning
   * ```ts ignore
   * await pins.remove("hello", "example.com");
   * ```
   */
  async remove(toolId: string, domain: string): Promise<void> {
    await this.#storage.delete(await this.#key(toolId, domain));
  }

  /**
   * Every pin record.
   *
   * @returns The records.
   * @example Listing pins
   * ```ts ignore
   * for (const r of await pins.list()) console.log(`${r.tool_id}@${r.domain}`);
   * ```
   */
  async list(): Promise<SkillPinRecord[]> {
    const out: SkillPinRecord[] = [];
    for (const key of await this.#storage.list(this.#prefix)) {
      const text = await this.#storage.get(key);
      if (text === undefined) continue;
      try {
        out.push(JSON.parse(text) as SkillPinRecord);
      } catch {
        // skip corrupt records
      }
    }
    return out;
  }
}

/**
 * Options of {@link verifySkillSignature}. The key comes from `discovery`, else `publicKeyPem`,
 * else a key pinned for `tool_id@domain` in `pinStore`.
 *
 * @example Verifying with a pinned store
 * ```ts ignore
 * import { MemoryStorage } from "@symbiont/sdk/memory";
 * import { SkillPinStore, verifySkillSignature } from "@symbiont/sdk/skills";
 * const pinStore = new SkillPinStore(new MemoryStorage());
 * await verifySkillSignature("./skill", { discovery, pinStore }); // pins on first use
 * await verifySkillSignature("./skill", { pinStore });             // "pinned", no discovery needed
 * ```
 */
export interface VerifySkillOptions {
  /** The signer's discovery document. */
  discovery?: SchemaPinDiscovery;
  /** A key the caller trusts directly (PEM SPKI). */
  publicKeyPem?: string;
  /** A standalone revocation document. */
  revocation?: SchemaPinRevocationDocument;
  /** TOFU pins. */
  pinStore?: SkillPinStore;
  /** Pin the key on first use. Default true when `pinStore` is given. */
  autoPin?: boolean;
  /** Pin key tool id. Default: the signature's `skill_name`. */
  toolId?: string;
  /** Refuse (`DOMAIN_MISMATCH`) a signature whose `domain` differs. */
  expectedDomain?: string;
  /** Use this signature instead of the folder's `.schemapin.sig`. */
  signature?: SkillSignatureDocument | string;
  /** Accept `double`, `single` or `either` (default) hash convention. */
  hashConvention?: HashConvention | "either";
  /** The time for the expiry check. Default now. */
  now?: Date;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Verifies a skill folder's SchemaPin signature offline, in the reference's order: load the
 * signature (`SIGNATURE_INVALID`), canonicalisation name (`CANONICALIZATION_UNSUPPORTED`), the
 * discovery document (`DISCOVERY_INVALID`), the key (`KEY_NOT_FOUND`), revocation inline then
 * standalone (`KEY_REVOKED`), the TOFU pin (`KEY_PIN_MISMATCH`), canonicalise the actual folder
 * (`SCHEMA_CANONICALIZATION_FAILED`), ECDSA over the root hash (`SIGNATURE_INVALID`, with a tamper
 * report), then the expiry warnings. Unlike the reference, a key is pinned only after the
 * signature verifies, so a forged folder cannot plant its key.
 *
 * @param folder A folder path or a `{relativePath: bytes}` map.
 * @param options Key sources, revocation, pins.
 * @returns The verification result; it never throws for a bad signature.
 * @example A tampered file
 * ```ts
 * import { generateSkillSigningKeys, signSkill, verifySkillSignature } from "@symbiont/sdk/skills";
 * const keys = await generateSkillSigningKeys();
 * const files = { "SKILL.md": "---\nname: hi\n---\n" };
 * const { text } = await signSkill(files, { privateKeyPem: keys.privateKeyPem, domain: "example.com" });
 * const v = await verifySkillSignature(
 *   { "SKILL.md": "---\nname: hi\n---\ncurl x | sh\n", ".schemapin.sig": text },
 *   { publicKeyPem: keys.publicKeyPem },
 * );
 * console.log(v.errorCode, v.tampered?.modified); // "SIGNATURE_INVALID" ["SKILL.md"]
 * ```
 */
export async function verifySkillSignature(
  folder: SkillFolder,
  options: VerifySkillOptions = {},
): Promise<SkillVerification> {
  const warnings: string[] = [];
  const fail = (
    code: SchemaPinErrorCodeValue,
    message: string,
    extra: Partial<SkillVerification> = {},
  ): SkillVerification => ({
    valid: false,
    status: code === SchemaPinErrorCode.KeyRevoked ? "revoked" : "invalid",
    errorCode: code,
    errorMessage: message,
    warnings,
    expired: false,
    ...extra,
  });

  // Step 1: the signature.
  let sig: SkillSignatureDocument;
  try {
    if (options.signature !== undefined) sig = parseSkillSignature(options.signature);
    else {
      const bytes = await readFolderFile(folder, SIGNATURE_FILE);
      if (bytes === undefined) {
        return {
          ...fail(SchemaPinErrorCode.SignatureInvalid, "the folder has no .schemapin.sig"),
          status: "unsigned",
        };
      }
      sig = parseSkillSignature(new TextDecoder().decode(bytes));
    }
  } catch (error) {
    if (error instanceof SchemaPinError) return fail(error.code, error.message);
    throw error;
  }
  const base: Partial<SkillVerification> = {
    signature: sig,
    domain: sig.domain,
    skillName: sig.skill_name,
  };
  // Step 1a.
  if (sig.canonicalization !== undefined && sig.canonicalization !== "schemapin-v1") {
    return fail(
      SchemaPinErrorCode.CanonicalizationUnsupported,
      `unsupported canonicalization ${JSON.stringify(sig.canonicalization)}`,
      base,
    );
  }
  if (options.expectedDomain !== undefined && sig.domain !== options.expectedDomain) {
    return fail(
      SchemaPinErrorCode.DomainMismatch,
      `signed for ${JSON.stringify(sig.domain)}, expected ${
        JSON.stringify(options.expectedDomain)
      }`,
      base,
    );
  }
  const toolId = options.toolId ?? sig.skill_name;
  // Step 2: where the key comes from.
  let keyPem: string;
  let source: "discovery" | "explicit" | "pin";
  let pinRecord: SkillPinRecord | undefined;
  if (options.pinStore) pinRecord = await options.pinStore.get(toolId, sig.domain);
  if (options.discovery !== undefined) {
    const d = options.discovery as unknown;
    if (
      d === null || typeof d !== "object" ||
      typeof (d as SchemaPinDiscovery).public_key_pem !== "string" ||
      !(d as SchemaPinDiscovery).public_key_pem.includes("-----BEGIN PUBLIC KEY-----")
    ) {
      return fail(
        SchemaPinErrorCode.DiscoveryInvalid,
        "the discovery document has no public_key_pem with a PEM public key",
        base,
      );
    }
    const revoked = (d as SchemaPinDiscovery).revoked_keys;
    if (revoked !== undefined && !Array.isArray(revoked)) {
      return fail(SchemaPinErrorCode.DiscoveryInvalid, "revoked_keys is not a list", base);
    }
    keyPem = (d as SchemaPinDiscovery).public_key_pem;
    source = "discovery";
  } else if (options.publicKeyPem !== undefined) {
    keyPem = options.publicKeyPem;
    source = "explicit";
  } else if (pinRecord && pinRecord.pinned_keys.length > 0) {
    keyPem = pinRecord.pinned_keys[0].public_key_pem;
    source = "pin";
  } else {
    return fail(
      SchemaPinErrorCode.DiscoveryFetchFailed,
      `no discovery document or pinned key for ${JSON.stringify(`${toolId}@${sig.domain}`)}`,
      base,
    );
  }
  // Step 3: the key.
  let key: CryptoKey;
  let fingerprint: string;
  try {
    ({ key, fingerprint } = await importPublicKey(keyPem));
  } catch (error) {
    if (error instanceof SchemaPinError) return fail(error.code, error.message, base);
    throw error;
  }
  base.fingerprint = fingerprint;
  base.developerName = options.discovery?.developer_name;
  // Step 4: revocation, inline then standalone.
  if ((options.discovery?.revoked_keys ?? []).includes(fingerprint)) {
    return fail(
      SchemaPinErrorCode.KeyRevoked,
      `key ${fingerprint} is revoked by the discovery document`,
      base,
    );
  }
  const standalone = options.revocation?.revoked_keys;
  if (Array.isArray(standalone) && standalone.some((r) => r && r.fingerprint === fingerprint)) {
    return fail(
      SchemaPinErrorCode.KeyRevoked,
      `key ${fingerprint} is revoked by the revocation document`,
      base,
    );
  }
  // Step 5: TOFU.
  let pinning: "first_use" | "pinned" | undefined;
  if (options.pinStore && source !== "pin") {
    if (pinRecord && pinRecord.pinned_keys.length > 0) {
      if (!pinRecord.pinned_keys.some((k) => k.fingerprint === fingerprint)) {
        return fail(
          SchemaPinErrorCode.KeyPinMismatch,
          `the key for ${JSON.stringify(`${toolId}@${sig.domain}`)} differs from the pinned one`,
          base,
        );
      }
      pinning = "pinned";
    } else if (options.autoPin !== false) pinning = "first_use";
  }
  // Step 6: canonicalise the actual folder and check the signature.
  let form: SkillCanonicalForm;
  try {
    form = await canonicalizeSkill(folder);
  } catch (error) {
    if (error instanceof SchemaPinError) return fail(error.code, error.message, base);
    throw error;
  }
  const der = fromBase64(sig.signature);
  const raw = der === undefined ? undefined : der.length === 64 ? der : derToRaw(der);
  const wanted = options.hashConvention ?? "either";
  let convention: HashConvention | undefined;
  if (raw) {
    for (const c of ["double", "single"] as const) {
      if (wanted !== "either" && wanted !== c) continue;
      const data = c === "double" ? form.rootHash : encoder.encode(form.digestString);
      if (
        await crypto.subtle.verify(ECDSA_SHA256, key, raw as BufferSource, data as BufferSource)
      ) {
        convention = c;
        break;
      }
    }
  }
  if (!convention) {
    const tampered = detectTamperedFiles(form.manifest, sig.file_manifest);
    const n = tampered.modified.length + tampered.added.length + tampered.removed.length;
    return fail(
      SchemaPinErrorCode.SignatureInvalid,
      raw === undefined
        ? "the signature is not base64 DER (or raw r||s)"
        : n > 0
        ? `the signature does not match the folder: ${tampered.modified.length} modified, ${tampered.added.length} added, ${tampered.removed.length} removed`
        : "the signature does not verify with this key",
      { ...base, tampered },
    );
  }
  // Step 7: success and post-checks.
  let firstSeen: string | undefined;
  if (pinning === "first_use") {
    await options.pinStore!.pin(toolId, sig.domain, keyPem, "tofu");
    firstSeen = new Date().toISOString();
  } else if (pinning === "pinned" || source === "pin") {
    firstSeen = pinRecord?.pinned_keys.find((k) => k.fingerprint === fingerprint)?.first_seen;
    pinning = "pinned";
  }
  let expired = false;
  if (sig.expires_at !== undefined) {
    const t = Date.parse(sig.expires_at);
    if (!RFC3339.test(sig.expires_at) || Number.isNaN(t)) {
      warnings.push("signature_expires_at_unparseable");
    } else if (t < (options.now ?? new Date()).getTime()) {
      expired = true;
      warnings.push("signature_expired");
    }
  }
  const diff = detectTamperedFiles(form.manifest, sig.file_manifest);
  if (diff.modified.length + diff.added.length + diff.removed.length > 0) {
    warnings.push("file_manifest_mismatch");
  }
  if (sig.signer_kid.startsWith("sha256:") && sig.signer_kid !== fingerprint) {
    warnings.push("signer_kid_mismatch");
  }
  const status: SignatureStatus = source === "pin" || pinning === "first_use"
    ? "pinned"
    : "verified";
  return {
    ...base,
    valid: true,
    status,
    warnings,
    expired,
    ...(sig.expires_at !== undefined ? { expiresAt: sig.expires_at } : {}),
    ...(sig.schema_version !== undefined ? { schemaVersion: sig.schema_version } : {}),
    ...(sig.previous_hash !== undefined ? { previousHash: sig.previous_hash } : {}),
    ...(pinning ? { keyPinning: { status: pinning, ...(firstSeen ? { firstSeen } : {}) } } : {}),
    hashConvention: convention,
  };
}
