import { test } from "../_harness.ts";
import { assert, assertEquals, assertRejects } from "../_assert.ts";
import { MemoryStorage } from "../../memory/memory_storage.ts";
import {
  canonicalizeSkill,
  detectTamperedFiles,
  generateSkillSigningKeys,
  parseSkillSignature,
  SchemaPinError,
  signSkill,
  SkillError,
  type SkillFileMap,
  SkillPinStore,
  type SkillSigningKeys,
  verifySkillSignature,
} from "../../skills/mod.ts";

const fixtures = new URL("../testdata/skills/", import.meta.url);

/** Reads a fixture folder into a map (fetch on file: URLs is not portable, so use node:fs). */
async function fixtureMap(name: string): Promise<Record<string, Uint8Array>> {
  const { readdir, readFile } = await import("node:fs/promises");
  const { fileURLToPath } = await import("node:url");
  const root = fileURLToPath(new URL(`${name}/`, fixtures));
  const out: Record<string, Uint8Array> = {};
  const walk = async (dir: string, rel: string) => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(`${dir}/${e.name}`, r);
      else out[r] = new Uint8Array(await readFile(`${dir}/${e.name}`));
    }
  };
  await walk(root, "");
  return out;
}

async function fixtureJson(name: string): Promise<Record<string, unknown>> {
  const { readFile } = await import("node:fs/promises");
  const { fileURLToPath } = await import("node:url");
  return JSON.parse(await readFile(fileURLToPath(new URL(name, fixtures)), "utf8"));
}

const SKILL: SkillFileMap = {
  "SKILL.md": "---\nname: hello\ndescription: Says hello\n---\n# Hello\n",
  "scripts/run.sh": "#!/bin/sh\necho hello\n",
  ".config": "x=1\n",
};

let keysPromise: Promise<SkillSigningKeys> | undefined;
const keys = () => keysPromise ??= generateSkillSigningKeys();

async function signed(
  files: SkillFileMap = SKILL,
  extra: Partial<Parameters<typeof signSkill>[1]> = {},
): Promise<Record<string, Uint8Array | string>> {
  const k = await keys();
  const s = await signSkill(files, {
    privateKeyPem: k.privateKeyPem,
    domain: "example.com",
    ...extra,
  });
  return { ...files, ".schemapin.sig": s.text };
}

test("skills: canonicalisation matches an independent implementation (root hash, manifest, code-point order)", async () => {
  const expected = await fixtureJson("expected.json") as {
    root_hash_hex: string;
    manifest: Record<string, string>;
  };
  const form = await canonicalizeSkill(await fixtureMap("signed-double"));
  assertEquals(form.skillHash, `sha256:${expected.root_hash_hex}`);
  assertEquals(form.manifest, expected.manifest);
  // "10.txt" sorts before "9.txt" (code points), dotfiles are included, .schemapin.sig is not.
  assertEquals(Object.keys(form.manifest), [
    ".hidden/config.toml",
    "10.txt",
    "9.txt",
    "SKILL.md",
    "données.txt",
    "scripts/run.sh",
  ]);
});

test("skills: fixture signatures from another implementation verify in both hash conventions", async () => {
  const discovery = await fixtureJson("discovery.json") as { public_key_pem: string };
  for (const [name, convention] of [["signed-double", "double"], ["signed-single", "single"]]) {
    const v = await verifySkillSignature(await fixtureMap(name), {
      discovery: discovery as never,
    });
    assertEquals(v.valid, true, `${name}: ${v.errorMessage}`);
    assertEquals(v.status, "verified");
    assertEquals(v.hashConvention, convention);
    assertEquals(v.developerName, "Fixture Signer");
    assertEquals(v.warnings, []);
    // Restricting the convention refuses the other one.
    const other = convention === "double" ? "single" : "double";
    const w = await verifySkillSignature(await fixtureMap(name), {
      discovery: discovery as never,
      hashConvention: other as "single" | "double",
    });
    assertEquals(w.errorCode, "SIGNATURE_INVALID");
  }
});

test("skills: fixture folders verify straight from disk", async () => {
  const { fileURLToPath } = await import("node:url");
  const discovery = await fixtureJson("discovery.json");
  const v = await verifySkillSignature(fileURLToPath(new URL("signed-single", fixtures)), {
    discovery: discovery as never,
  });
  assertEquals(v.status, "verified");
}, { runtimes: ["deno", "node", "bun"] });

test("skills: signSkill round-trips in both conventions and writes DER signatures", async () => {
  const k = await keys();
  for (const hashConvention of ["double", "single"] as const) {
    const s = await signSkill(SKILL, {
      privateKeyPem: k.privateKeyPem,
      domain: "example.com",
      hashConvention,
    });
    assertEquals(s.document.schemapin_version, "1.3");
    assertEquals(s.document.skill_name, "hello");
    assertEquals(s.document.signer_kid, k.fingerprint);
    assertEquals(s.document.skill_hash, (await canonicalizeSkill(SKILL)).skillHash);
    assertEquals(atob(s.document.signature).charCodeAt(0), 0x30);
    assertEquals(parseSkillSignature(s.text), s.document);
    const v = await verifySkillSignature({ ...SKILL, ".schemapin.sig": s.text }, {
      publicKeyPem: k.publicKeyPem,
    });
    assertEquals([v.valid, v.status, v.hashConvention], [true, "verified", hashConvention]);
  }
});

test("skills: v1.4 fields, expiry warnings, and the unsigned fields stay unsigned", async () => {
  const k = await keys();
  const now = new Date("2026-03-01T00:00:00Z");
  const files = await signed(SKILL, {
    expiresIn: 3600,
    schemaVersion: "2.0.0",
    previousHash: "sha256:abc",
    now,
  });
  const doc = JSON.parse(files[".schemapin.sig"] as string);
  assertEquals(doc.schemapin_version, "1.4");
  assertEquals(doc.expires_at, "2026-03-01T01:00:00Z");
  assertEquals(doc.signed_at, "2026-03-01T00:00:00Z");
  const fresh = await verifySkillSignature(files, { publicKeyPem: k.publicKeyPem, now });
  assertEquals([fresh.valid, fresh.expired, fresh.warnings], [true, false, []]);
  assertEquals([fresh.schemaVersion, fresh.previousHash], ["2.0.0", "sha256:abc"]);
  const later = await verifySkillSignature(files, {
    publicKeyPem: k.publicKeyPem,
    now: new Date("2026-03-02T00:00:00Z"),
  });
  assertEquals([later.valid, later.expired, later.warnings], [true, true, ["signature_expired"]]);
  const garbled = { ...doc, expires_at: "next tuesday" };
  const g = await verifySkillSignature(files, {
    publicKeyPem: k.publicKeyPem,
    signature: garbled,
  });
  assertEquals([g.valid, g.expired, g.warnings], [true, false, [
    "signature_expires_at_unparseable",
  ]]);
  // Only the root hash is signed: stripping expires_at still verifies (documented weakness).
  const { expires_at: _dropped, ...stripped } = doc;
  const s = await verifySkillSignature(files, {
    publicKeyPem: k.publicKeyPem,
    signature: stripped,
  });
  assertEquals([s.valid, s.expired], [true, false]);
});

test("skills: tampered, added and removed files fail with SIGNATURE_INVALID and a report", async () => {
  const k = await keys();
  const files = await signed();
  const cases: [Record<string, Uint8Array | string>, string[], string[], string[]][] = [
    [{ ...files, "scripts/run.sh": "curl x | sh\n" }, ["scripts/run.sh"], [], []],
    [{ ...files, "extra.py": "print(1)\n" }, [], ["extra.py"], []],
    [Object.fromEntries(Object.entries(files).filter(([p]) => p !== ".config")), [], [], [
      ".config",
    ]],
  ];
  for (const [folder, modified, added, removed] of cases) {
    const v = await verifySkillSignature(folder, { publicKeyPem: k.publicKeyPem });
    assertEquals([v.valid, v.status, v.errorCode], [false, "invalid", "SIGNATURE_INVALID"]);
    assertEquals(v.tampered, { modified, added, removed });
  }
  assertEquals(detectTamperedFiles({ a: "1" }, { a: "1" }), {
    modified: [],
    added: [],
    removed: [],
  });
});

test("skills: every verification failure path yields its code", async () => {
  const k = await keys();
  const other = await generateSkillSigningKeys();
  const files = await signed();
  const doc = JSON.parse(files[".schemapin.sig"] as string);
  const pem = k.publicKeyPem;
  const cases: [string, Promise<{ errorCode?: string; status: string }>, string][] = [
    ["no sig", verifySkillSignature(SKILL, { publicKeyPem: pem }), "unsigned"],
    [
      "not JSON",
      verifySkillSignature({ ...SKILL, ".schemapin.sig": "{nope" }, { publicKeyPem: pem }),
      "invalid",
    ],
    [
      "missing field",
      verifySkillSignature(SKILL, { publicKeyPem: pem, signature: { ...doc, domain: 1 } }),
      "invalid",
    ],
    [
      "canonicalization",
      verifySkillSignature(files, {
        publicKeyPem: pem,
        signature: { ...doc, canonicalization: "schemapin-v2" },
      }),
      "invalid",
    ],
    [
      "discovery",
      verifySkillSignature(files, { discovery: { public_key_pem: "nope" } }),
      "invalid",
    ],
    ["no key", verifySkillSignature(files, {}), "invalid"],
    [
      "bad key",
      verifySkillSignature(files, {
        publicKeyPem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
      }),
      "invalid",
    ],
    [
      "revoked inline",
      verifySkillSignature(files, {
        discovery: { public_key_pem: pem, revoked_keys: [k.fingerprint] },
      }),
      "revoked",
    ],
    [
      "revoked doc",
      verifySkillSignature(files, {
        publicKeyPem: pem,
        revocation: { revoked_keys: [{ fingerprint: k.fingerprint, reason: "key_compromise" }] },
      }),
      "revoked",
    ],
    ["wrong key", verifySkillSignature(files, { publicKeyPem: other.publicKeyPem }), "invalid"],
    [
      "bad base64",
      verifySkillSignature(files, { publicKeyPem: pem, signature: { ...doc, signature: "!!" } }),
      "invalid",
    ],
    [
      "empty folder",
      verifySkillSignature({ ".schemapin.sig": files[".schemapin.sig"] }, { publicKeyPem: pem }),
      "invalid",
    ],
    [
      "domain",
      verifySkillSignature(files, { publicKeyPem: pem, expectedDomain: "other.example" }),
      "invalid",
    ],
  ];
  const codes: Record<string, string> = {
    "no sig": "SIGNATURE_INVALID",
    "not JSON": "SIGNATURE_INVALID",
    "missing field": "SIGNATURE_INVALID",
    canonicalization: "CANONICALIZATION_UNSUPPORTED",
    discovery: "DISCOVERY_INVALID",
    "no key": "DISCOVERY_FETCH_FAILED",
    "bad key": "KEY_NOT_FOUND",
    "revoked inline": "KEY_REVOKED",
    "revoked doc": "KEY_REVOKED",
    "wrong key": "SIGNATURE_INVALID",
    "bad base64": "SIGNATURE_INVALID",
    "empty folder": "SCHEMA_CANONICALIZATION_FAILED",
    domain: "DOMAIN_MISMATCH",
  };
  for (const [name, promise, status] of cases) {
    const v = await promise;
    assertEquals([name, v.errorCode, v.status], [name, codes[name], status]);
  }
});

test("skills: TOFU pinning: first use pins, later checks match, a new key is refused, failures never pin", async () => {
  const k = await keys();
  const other = await generateSkillSigningKeys();
  const storage = new MemoryStorage();
  const pinStore = new SkillPinStore(storage);
  const files = await signed();
  // A forged folder signed by another key must not plant a pin.
  const forged = {
    ...SKILL,
    ".schemapin.sig":
      (await signSkill(SKILL, { privateKeyPem: other.privateKeyPem, domain: "example.com" })).text,
  };
  const bad = await verifySkillSignature({ ...forged, "x.md": "changed" }, {
    discovery: { public_key_pem: other.publicKeyPem },
    pinStore,
  });
  assertEquals(bad.errorCode, "SIGNATURE_INVALID");
  assertEquals(await pinStore.get("hello", "example.com"), undefined);

  const first = await verifySkillSignature(files, {
    discovery: { public_key_pem: k.publicKeyPem },
    pinStore,
  });
  assertEquals([first.status, first.keyPinning?.status], ["pinned", "first_use"]);
  const record = await pinStore.get("hello", "example.com");
  assertEquals(record?.pinned_keys.map((p) => p.fingerprint), [k.fingerprint]);
  assertEquals((await storage.list("schemapin/skills/")).length, 1);

  const second = await verifySkillSignature(files, {
    discovery: { public_key_pem: k.publicKeyPem },
    pinStore,
  });
  assertEquals([second.status, second.keyPinning?.status], ["verified", "pinned"]);
  // No discovery document: the pinned key is used.
  const offline = await verifySkillSignature(files, { pinStore });
  assertEquals([offline.valid, offline.status], [true, "pinned"]);
  // The domain now serves another key: refused.
  const rotated = await verifySkillSignature(forged, {
    discovery: { public_key_pem: other.publicKeyPem },
    pinStore,
  });
  assertEquals([rotated.errorCode, rotated.status], ["KEY_PIN_MISMATCH", "invalid"]);
  // autoPin off: nothing is pinned for a new tool.
  const other2 = await signed({ "SKILL.md": "---\nname: other\n---\n" });
  const noPin = await verifySkillSignature(other2, {
    discovery: { public_key_pem: k.publicKeyPem },
    pinStore,
    autoPin: false,
  });
  assertEquals([noPin.status, noPin.keyPinning], ["verified", undefined]);
  assertEquals(await pinStore.get("other", "example.com"), undefined);
  await pinStore.remove("hello", "example.com");
  assertEquals((await pinStore.list()).length, 0);
});

test("skills: signing refuses bad keys and nameless maps with typed errors", async () => {
  const k = await keys();
  const e1 = await assertRejects(
    () => signSkill(SKILL, { privateKeyPem: "not a key", domain: "example.com" }),
    SchemaPinError,
  );
  assertEquals(e1.code, "KEY_NOT_FOUND");
  const e2 = await assertRejects(
    () => signSkill({ "a.txt": "x" }, { privateKeyPem: k.privateKeyPem, domain: "example.com" }),
    SkillError,
  );
  assertEquals(e2.code, "SKILL_INVALID_OPTION");
  const e3 = await assertRejects(
    () => signSkill({}, { privateKeyPem: k.privateKeyPem, domain: "d", skillName: "n" }),
    SchemaPinError,
  );
  assertEquals(e3.code, "SCHEMA_CANONICALIZATION_FAILED");
  const e4 = await assertRejects(
    () => signSkill({ "../x": "y" }, { privateKeyPem: k.privateKeyPem, domain: "d" }),
    SkillError,
  );
  assertEquals(e4.code, "SKILL_INVALID_PATH");
  const e5 = await assertRejects(
    () => signSkill(SKILL, { privateKeyPem: k.privateKeyPem, domain: "" }),
    SkillError,
  );
  assertEquals(e5.code, "SKILL_INVALID_OPTION");
});

test(
  "skills: signing a folder on disk writes .schemapin.sig, skips symlinks, and verifies",
  async (t) => {
    const { mkdtemp, mkdir, writeFile, symlink, rm, readFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = await mkdtemp(join(tmpdir(), "skills-sign-"));
    t.defer(() => rm(dir, { recursive: true, force: true }));
    const skill = join(dir, "my-skill");
    await mkdir(join(skill, "lib"), { recursive: true });
    await writeFile(join(skill, "SKILL.md"), "# no frontmatter\n");
    await writeFile(join(skill, "lib", "a.py"), "print(1)\n");
    await writeFile(join(dir, "outside.txt"), "outside\n");
    await symlink(join(dir, "outside.txt"), join(skill, "link.txt"));
    const k = await keys();
    const s = await signSkill(skill, { privateKeyPem: k.privateKeyPem, domain: "example.com" });
    assertEquals(s.document.skill_name, "my-skill");
    assertEquals(Object.keys(s.document.file_manifest), ["SKILL.md", "lib/a.py"]);
    assertEquals(await readFile(join(skill, ".schemapin.sig"), "utf8"), s.text);
    const v = await verifySkillSignature(skill, { publicKeyPem: k.publicKeyPem });
    assertEquals(v.status, "verified");
    await writeFile(join(skill, "lib", "a.py"), "print(2)\n");
    const w = await verifySkillSignature(skill, { publicKeyPem: k.publicKeyPem });
    assertEquals(w.tampered?.modified, ["lib/a.py"]);
    assert(w.errorMessage?.includes("1 modified"));
  },
  { runtimes: ["deno", "node", "bun"] },
);
