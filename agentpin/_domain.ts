/** Domain-name checks shared by the AgentPin module. Internal. */

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Whether `value` is a lowercase DNS host name (no scheme, port, path or user info). */
export function isDomain(value: unknown): value is string {
  return typeof value === "string" && DOMAIN.test(value);
}
