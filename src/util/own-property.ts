/**
 * Writing keys that come from user input (YAML, JSON, schema overrides) onto plain
 * objects without ever touching a prototype.
 */

/**
 * Set an own, enumerable property the way `JSON.parse` does: a key named `__proto__`
 * becomes an ordinary data property instead of replacing the object's prototype.
 */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
  else object[key] = value
}
