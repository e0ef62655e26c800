/**
 * A small assertion layer with the names and meaning of `@std/assert` (unreachable here: JSR is not
 * on our network), portable to Deno, Node, Bun and workerd.
 */

/** Thrown when an assertion fails. */
export class AssertionError extends Error {
  override name = "AssertionError";
}

function show(value: unknown): string {
  try {
    return JSON.stringify(
      value,
      (_k, v) =>
        v instanceof Uint8Array
          ? `Uint8Array(${Array.from(v).join(",")})`
          : typeof v === "bigint"
          ? `${v}n`
          : v instanceof Map
          ? { Map: [...v] }
          : v instanceof Set
          ? { Set: [...v] }
          : v,
      2,
    ) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Deep structural equality (objects, arrays, typed arrays, Map, Set, Date, RegExp). */
export function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof RegExp) return String(a) === String(b);
  if (ArrayBuffer.isView(a)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const bv = b as ArrayBufferView;
    const y = new Uint8Array(bv.buffer, bv.byteOffset, bv.byteLength);
    return x.length === y.length && x.every((v, i) => v === y[i]);
  }
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !equal(v, m.get(k))) return false;
    return true;
  }
  if (a instanceof Set) {
    const s = b as Set<unknown>;
    return a.size === s.size && [...a].every((v) => s.has(v));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    Object.prototype.hasOwnProperty.call(b, k) &&
    equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
  );
}

/** Asserts that `condition` is truthy. */
export function assert(condition: unknown, message = "expected a truthy value"): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Asserts deep equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  if (!equal(actual, expected)) {
    throw new AssertionError(
      `${message ? message + "\n" : ""}values differ\nactual:   ${show(actual)}\nexpected: ${
        show(expected)
      }`,
    );
  }
}

/** Asserts deep inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  if (equal(actual, expected)) {
    throw new AssertionError(message ?? `expected a value other than ${show(expected)}`);
  }
}

/** Asserts `Object.is` identity. */
export function assertStrictEquals<T>(actual: T, expected: T, message?: string): void {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(
      message ?? `not the same value\nactual:   ${show(actual)}\nexpected: ${show(expected)}`,
    );
  }
}

/** Asserts that `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, message?: string): void {
  if (!String(text).includes(part)) {
    throw new AssertionError(message ?? `expected ${show(text)} to include ${show(part)}`);
  }
}

/** Asserts that `text` matches `pattern`. */
export function assertMatch(text: string, pattern: RegExp, message?: string): void {
  if (!pattern.test(text)) {
    throw new AssertionError(message ?? `expected ${show(text)} to match ${pattern}`);
  }
}

/** Asserts that `value` is an instance of `type`, and narrows it. */
export function assertInstanceOf<T>(
  value: unknown,
  // deno-lint-ignore no-explicit-any
  type: abstract new (...args: any[]) => T,
  message?: string,
): asserts value is T {
  if (!(value instanceof type)) {
    const got = value === null || typeof value !== "object"
      ? typeof value
      : (value as object).constructor?.name;
    throw new AssertionError(message ?? `expected an instance of ${type.name}, got ${got}`);
  }
}

function checkError<E extends Error>(
  error: unknown,
  // deno-lint-ignore no-explicit-any
  type?: abstract new (...args: any[]) => E,
  includes?: string,
): E {
  if (type) assertInstanceOf(error, type);
  if (!(error instanceof Error)) throw new AssertionError(`expected an Error, got ${show(error)}`);
  if (includes !== undefined && !error.message.includes(includes)) {
    throw new AssertionError(
      `expected the message to include ${show(includes)}, got ${show(error.message)}`,
    );
  }
  return error as E;
}

/** Asserts that `fn` throws (optionally a given class whose message includes a text); returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  type?: abstract new (...args: any[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    return checkError(error, type, includes);
  }
  throw new AssertionError("expected the function to throw");
}

/** Asserts that `fn` rejects (optionally a given class whose message includes a text); returns the error. */
export async function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  type?: abstract new (...args: any[]) => E,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    return checkError(error, type, includes);
  }
  throw new AssertionError("expected the promise to reject");
}
