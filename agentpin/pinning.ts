/**
 * TOFU key pinning by domain, in the reference pin-store JSON format, kept in memory or persisted
 * through any `StorageAdapter` (filesystem, Deno KV, Workers KV, in-memory).
 *
 * @module
 */
import type { StorageAdapter } from "../memory/storage.ts";
import { AgentPinError, ErrorCode } from "./errors.ts";
import { jwkThumbprint } from "./keys.ts";
import type { AgentPinJwk } from "./types.ts";

/**
 * One pinned key (reference format).
 *
 * @example Usage
 * ```ts
 * import type { PinnedKey } from "@symbiont/sdk/agentpin";
 * const pin: PinnedKey = {
 *   kid: "k1", public_key_hash: "0ceb…", first_seen: "2026-01-01T00:00:00.000Z",
 *   last_seen: "2026-01-01T00:00:00.000Z", trust_level: "tofu",
 * };
 * ```
 */
export interface PinnedKey {
  /** The key id when it was pinned. */
  kid: string;
  /** Hex JWK thumbprint (`jwkThumbprint`). Pinning compares this, not the kid. */
  public_key_hash: string;
  /** ISO-8601. */
  first_seen: string;
  /** ISO-8601. */
  last_seen: string;
  /** `tofu`, `verified` or `pinned`. */
  trust_level: string;
}

/**
 * The pins of one domain (reference format).
 *
 * @example Usage
 * ```ts
 * import type { PinnedDomain } from "@symbiont/sdk/agentpin";
 * const d: PinnedDomain = { domain: "example.com", pinned_keys: [] };
 * ```
 */
export interface PinnedDomain {
  /** The issuer domain. */
  domain: string;
  /** Accepted keys. */
  pinned_keys: PinnedKey[];
}

/**
 * Outcome of a pin check: `first_use` (now pinned), `matched`, or `changed` (a key the domain
 * never used before: rejected until pinned by an explicit `addKey`).
 *
 * @example Usage
 * ```ts
 * import type { PinningResult } from "@symbiont/sdk/agentpin";
 * const r: PinningResult = "matched";
 * ```
 */
export type PinningResult = "first_use" | "matched" | "changed";

/**
 * A pin check with the matching key's first-seen time.
 *
 * @example Usage
 * ```ts
 * import type { PinCheck } from "@symbiont/sdk/agentpin";
 * const c: PinCheck = { result: "first_use", first_seen: "2026-01-01T00:00:00.000Z" };
 * ```
 */
export interface PinCheck {
  /** The outcome. */
  result: PinningResult;
  /** ISO-8601 time the key was first pinned; `null` when `changed`. */
  first_seen: string | null;
}

/**
 * Options of {@link KeyPinStore}.
 *
 * @example Usage
 * ```ts ignore
 * import { KeyPinStore } from "@symbiont/sdk/agentpin";
 * const store = new KeyPinStore({ storage, key: "agentpin/pins.json" });
 * ```
 */
export interface KeyPinStoreOptions {
  /** Where to persist; default: nothing (in memory only). */
  storage?: StorageAdapter;
  /** Storage key of the pin document. Default `agentpin/pins.json`. */
  key?: string;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: () => number;
  /** Persist `last_seen` updates at most this often (seconds). Default 3600. */
  touchIntervalSecs?: number;
}

function parsePins(json: string, where: string): Map<string, PinnedDomain> {
  const bad = (why: string) =>
    new AgentPinError(ErrorCode.INVALID_ARGUMENT, `pin store ${where} is not valid: ${why}`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw bad("not JSON");
  }
  if (!Array.isArray(value)) throw bad("expected a JSON array of domains");
  const map = new Map<string, PinnedDomain>();
  for (const d of value) {
    if (typeof d?.domain !== "string" || !Array.isArray(d.pinned_keys)) {
      throw bad("each entry needs a string domain and a pinned_keys array");
    }
    for (const k of d.pinned_keys) {
      if (typeof k?.public_key_hash !== "string" || !/^[0-9a-f]{64}$/.test(k.public_key_hash)) {
        throw bad(`domain ${d.domain}: public_key_hash must be 64 hex characters`);
      }
    }
    map.set(d.domain, d as PinnedDomain);
  }
  return map;
}

/**
 * A TOFU pin store keyed by issuer domain. The first key seen for a domain is pinned; afterwards
 * only pinned keys are accepted. Rotation happens only through {@link KeyPinStore.addKey} (or
 * {@link KeyPinStore.removeDomain}). `toJson()` is the reference packages' format, so pin files
 * move between this SDK and `agentpin` (JS, Python, Rust).
 *
 * @example In memory
 * ```ts
 * import { generateKeyPair, KeyPinStore } from "@symbiont/sdk/agentpin";
 * const store = new KeyPinStore();
 * const keys = await generateKeyPair();
 * console.log(await store.checkAndPin("example.com", keys.publicKeyJwk)); // "first_use"
 * console.log(await store.checkAndPin("example.com", keys.publicKeyJwk)); // "matched"
 * ```
 *
 * @example Persisted through a storage adapter
 * ```ts ignore
 * import { KeyPinStore } from "@symbiont/sdk/agentpin";
 * import { FsStorage } from "@symbiont/sdk/memory/fs";
 * const store = new KeyPinStore({ storage: new FsStorage("./state") });
 * ```
 */
export class KeyPinStore {
  #pins = new Map<string, PinnedDomain>();
  #loaded = false;
  #storage: StorageAdapter | undefined;
  #key: string;
  #clock: () => number;
  #touchMs: number;
  #lastPersist = 0;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Creates a pin store, in memory or backed by `options.storage`.
   *
   * @param options Storage, storage key and clock.
   */
  constructor(options: KeyPinStoreOptions = {}) {
    this.#storage = options.storage;
    this.#key = options.key ?? "agentpin/pins.json";
    this.#clock = options.clock ?? Date.now;
    this.#touchMs = (options.touchIntervalSecs ?? 3600) * 1000;
    if (!this.#storage) this.#loaded = true;
  }

  /**
   * Creates an in-memory store from the reference JSON format (see {@link KeyPinStore.toJson}).
   *
   * @param json An array of `{domain, pinned_keys}`.
   * @param options Optional clock and touch interval (the store lives in memory).
   * @returns The store.
   * @throws {AgentPinError} `INVALID_ARGUMENT` for malformed JSON.
   *
   * @example Usage
   * ```ts
   * import { KeyPinStore } from "@symbiont/sdk/agentpin";
   * const store = KeyPinStore.fromJson("[]");
   * console.log(await store.toJson()); // "[]"
   * ```
   */
  static fromJson(
    json: string,
    options: Omit<KeyPinStoreOptions, "storage" | "key"> = {},
  ): KeyPinStore {
    const store = new KeyPinStore({
      clock: options.clock,
      touchIntervalSecs: options.touchIntervalSecs,
    });
    store.#pins = parsePins(json, "JSON");
    store.#loaded = true;
    return store;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #reload(): Promise<void> {
    if (!this.#storage) return;
    const text = await this.#storage.get(this.#key);
    this.#pins = text === undefined ? new Map() : parsePins(text, `at '${this.#key}'`);
    this.#loaded = true;
  }

  async #persist(): Promise<void> {
    if (!this.#storage) return;
    await this.#storage.put(this.#key, this.#json());
    this.#lastPersist = this.#clock();
  }

  #json(): string {
    return JSON.stringify([...this.#pins.values()], null, 2);
  }

  #isoSecond = -1;
  #isoText = "";

  #now(): string {
    // One ISO string per second: verification hits this on every pinned match.
    const ms = this.#clock();
    const second = Math.floor(ms / 1000);
    if (second !== this.#isoSecond) {
      this.#isoSecond = second;
      this.#isoText = new Date(ms).toISOString();
    }
    return this.#isoText;
  }

  /**
   * Checks a JWK against the pins of `domain`, pinning it when the domain is new (TOFU).
   *
   * @param domain The issuer domain.
   * @param jwk The key used.
   * @returns `first_use`, `matched` or `changed`.
   * @throws {AgentPinError} `INVALID_KEY` for a bad JWK; storage errors propagate.
   *
   * @example Usage
   * ```ts ignore
   * if (await store.checkAndPin("example.com", jwk) === "changed") throw new Error("key changed");
   * ```
   */
  async checkAndPin(domain: string, jwk: AgentPinJwk | JsonWebKey): Promise<PinningResult> {
    const hash = await jwkThumbprint(jwk);
    return await this.checkAndPinHash(domain, (jwk as AgentPinJwk).kid ?? "", hash);
  }

  /**
   * {@link KeyPinStore.checkAndPin} with a precomputed hex thumbprint (the verifier caches it).
   *
   * @param domain The issuer domain.
   * @param kid The key id (recorded when pinning).
   * @param publicKeyHash Hex JWK thumbprint.
   * @returns `first_use`, `matched` or `changed`.
   *
   * @example Usage
   * ```ts ignore
   * await store.checkAndPinHash("example.com", jwk.kid, await jwkThumbprint(jwk));
   * ```
   */
  async checkAndPinHash(
    domain: string,
    kid: string,
    publicKeyHash: string,
  ): Promise<PinningResult> {
    return (await this.checkPin(domain, kid, publicKeyHash)).result;
  }

  /**
   * Like {@link KeyPinStore.checkAndPinHash}, also returning when the matching key was first seen.
   *
   * @param domain The issuer domain.
   * @param kid The key id (recorded when pinning).
   * @param publicKeyHash Hex JWK thumbprint.
   * @returns The result and the key's `first_seen` (`null` when `changed`).
   *
   * @example Usage
   * ```ts ignore
   * const { result, first_seen } = await store.checkPin("example.com", kid, hash);
   * ```
   */
  checkPin(domain: string, kid: string, publicKeyHash: string): Promise<PinCheck> {
    if (this.#loaded) {
      const pinned = this.#pins.get(domain);
      const existing = pinned?.pinned_keys.find((k) => k.public_key_hash === publicKeyHash);
      if (existing) {
        existing.last_seen = this.#now();
        const hit: PinCheck = { result: "matched", first_seen: existing.first_seen };
        if (this.#storage && this.#clock() - this.#lastPersist >= this.#touchMs) {
          return this.#serial(async () => {
            await this.#persist();
            return hit;
          });
        }
        return Promise.resolve(hit);
      }
      if (pinned && !this.#storage) return Promise.resolve({ result: "changed", first_seen: null });
    }
    return this.#serial(async (): Promise<PinCheck> => {
      // Another instance may have pinned this domain: read before deciding.
      if (this.#storage) await this.#reload();
      const now = this.#now();
      const pinned = this.#pins.get(domain);
      if (pinned) {
        const existing = pinned.pinned_keys.find((k) => k.public_key_hash === publicKeyHash);
        if (!existing) return { result: "changed", first_seen: null };
        existing.last_seen = now;
        return { result: "matched", first_seen: existing.first_seen };
      }
      this.#pins.set(domain, {
        domain,
        pinned_keys: [{
          kid,
          public_key_hash: publicKeyHash,
          first_seen: now,
          last_seen: now,
          trust_level: "tofu",
        }],
      });
      await this.#persist();
      return { result: "first_use", first_seen: now };
    });
  }

  /**
   * Pins an additional key for a domain: the explicit rotation step. Without it, a credential
   * signed by a new key of a pinned domain fails with `KEY_PIN_MISMATCH`.
   *
   * @param domain The issuer domain.
   * @param jwk The new public key.
   * @param trustLevel `tofu`, `verified` or `pinned`. Default `verified`.
   * @returns Resolves once persisted.
   * @throws {AgentPinError} `INVALID_KEY` or `INVALID_ARGUMENT`.
   *
   * @example Rotation
   * ```ts ignore
   * await store.addKey("example.com", newKeys.publicKeyJwk);
   * ```
   */
  addKey(
    domain: string,
    jwk: AgentPinJwk | JsonWebKey,
    trustLevel: string = "verified",
  ): Promise<void> {
    if (!["tofu", "verified", "pinned"].includes(trustLevel)) {
      throw new AgentPinError(
        ErrorCode.INVALID_ARGUMENT,
        "trustLevel must be tofu, verified or pinned",
      );
    }
    return this.#serial(async () => {
      const hash = await jwkThumbprint(jwk);
      await this.#reload();
      const now = this.#now();
      let pinned = this.#pins.get(domain);
      if (!pinned) {
        pinned = { domain, pinned_keys: [] };
        this.#pins.set(domain, pinned);
      }
      if (!pinned.pinned_keys.some((k) => k.public_key_hash === hash)) {
        pinned.pinned_keys.push({
          kid: (jwk as AgentPinJwk).kid ?? "",
          public_key_hash: hash,
          first_seen: now,
          last_seen: now,
          trust_level: trustLevel,
        });
      }
      await this.#persist();
    });
  }

  /**
   * Removes one pinned key (by kid or hex thumbprint) from a domain.
   *
   * @param domain The issuer domain.
   * @param kidOrHash The key id or the hex thumbprint.
   * @returns Whether a key was removed.
   *
   * @example Usage
   * ```ts ignore
   * await store.removeKey("example.com", "old-kid");
   * ```
   */
  removeKey(domain: string, kidOrHash: string): Promise<boolean> {
    return this.#serial(async () => {
      await this.#reload();
      const pinned = this.#pins.get(domain);
      if (!pinned) return false;
      const before = pinned.pinned_keys.length;
      pinned.pinned_keys = pinned.pinned_keys.filter(
        (k) => k.kid !== kidOrHash && k.public_key_hash !== kidOrHash,
      );
      if (pinned.pinned_keys.length === before) return false;
      if (pinned.pinned_keys.length === 0) this.#pins.delete(domain);
      await this.#persist();
      return true;
    });
  }

  /**
   * Forgets a domain entirely; its next credential is trusted on first use again.
   *
   * @param domain The issuer domain.
   * @returns Whether the domain was pinned.
   *
   * @example Usage
   * ```ts ignore
   * await store.removeDomain("example.com");
   * ```
   */
  removeDomain(domain: string): Promise<boolean> {
    return this.#serial(async () => {
      await this.#reload();
      const had = this.#pins.delete(domain);
      if (had) await this.#persist();
      return had;
    });
  }

  /**
   * The pins of one domain.
   *
   * @param domain The issuer domain.
   * @returns A copy of its pins, or `null`.
   *
   * @example Usage
   * ```ts ignore
   * const pins = await store.getDomain("example.com");
   * ```
   */
  getDomain(domain: string): Promise<PinnedDomain | null> {
    return this.#serial(async () => {
      if (!this.#loaded) await this.#reload();
      const d = this.#pins.get(domain);
      return d ? structuredClone(d) : null;
    });
  }

  /**
   * The whole store in the reference JSON format (an array of `{domain, pinned_keys}`, indented
   * by 2).
   *
   * @returns The JSON text.
   *
   * @example Usage
   * ```ts
   * import { KeyPinStore } from "@symbiont/sdk/agentpin";
   * console.log(await new KeyPinStore().toJson()); // "[]"
   * ```
   */
  toJson(): Promise<string> {
    return this.#serial(async () => {
      if (!this.#loaded) await this.#reload();
      return this.#json();
    });
  }

  /**
   * Writes pending `last_seen` updates to storage (no-op in memory).
   *
   * @returns Resolves once written.
   *
   * @example Usage
   * ```ts ignore
   * await store.flush();
   * ```
   */
  flush(): Promise<void> {
    return this.#serial(async () => {
      if (this.#loaded) await this.#persist();
    });
  }
}
