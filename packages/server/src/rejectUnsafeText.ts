/**
 * One rule for every string that comes in (path parameters, query, body, object keys included): no NUL character and
 * no lone UTF-16 surrogate. PostgreSQL refuses both in text and JSON, so they would otherwise surface as a 500 deep in
 * a transaction; here they are a 400 INVALID_TEXT that names where the bad string is.
 */
import { BursarError } from '@bursar/core/errors'

const maxDepth = 64

/** The JSON path of the first unsafe string in `value`, or undefined. */
function findUnsafeText(value: unknown, path = '$', depth = 0): string | undefined {
  if (typeof value === 'string') return isSafeText(value) ? undefined : path
  if (value === null || typeof value !== 'object' || depth > maxDepth) return undefined
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], `${path}[${i}]`, depth + 1)
      if (found !== undefined) return found
    }
    return undefined
  }
  for (const [key, item] of Object.entries(value)) {
    if (!isSafeText(key)) return `${path} (a key)`
    const found = findUnsafeText(item, `${path}.${key}`, depth + 1)
    if (found !== undefined) return found
  }
  return undefined
}

function isSafeText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed()
}

/** Throws INVALID_TEXT for the first unsafe string of the request's parameters, query and body. */
export function rejectUnsafeText(request: { params: unknown; query: unknown; body: unknown }): void {
  const where =
    findUnsafeText(request.params, '$path') ??
    findUnsafeText(request.query, '$query') ??
    findUnsafeText(request.body)
  if (where !== undefined) {
    throw new BursarError(
      'INVALID_TEXT',
      'a string contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored',
      { details: { path: where } },
    )
  }
}
