/** RFC 8785 JSON Canonicalization Scheme: sorted keys (UTF-16 order), ECMAScript number and string serialisation. */

/**
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('RFC 8785 forbids NaN and Infinity')
    // JSON.stringify uses the ECMAScript Number::toString algorithm that RFC 8785 mandates.
    return JSON.stringify(value)
  }
  if (typeof value === 'bigint') throw new TypeError('bigint is not JSON: carry amounts as decimal strings')
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`
  }
  throw new TypeError(`cannot canonicalise a ${typeof value}`)
}
