/** JSON paths (`$.limits.windows[1].max`) for issues, warnings and rule ids, so owners find the line at fault. */

/** @example jsonPath(['limits', 'windows', 1, 'max']) // '$.limits.windows[1].max' */
export function jsonPath(segments: ReadonlyArray<PropertyKey>): string {
  let path = '$'
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) path += `.${segment}`
    else path += `[${JSON.stringify(String(segment))}]`
  }
  return path
}
