/** Rolling-window lengths as owners write them ("1h", "24h", "7d", "1h30m"), in seconds. */
import { BursarError } from '../errors/BursarError.ts'

const unitSeconds: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }
const whole = /^([1-9][0-9]{0,6}[smhdw])+$/
const part = /([1-9][0-9]{0,6})([smhdw])/g

/** Longest window Bursar accepts: a year and a day, so a yearly budget fits. */
export const maxWindowSeconds = 366 * 86_400

/**
 * Converts a duration to seconds. Throws POLICY_INVALID for anything else (no zero, no fractions, no spaces).
 * @example parseDuration('24h') // 86400
 * @example parseDuration('1h30m') // 5400
 */
export function parseDuration(s: string): number {
  const seconds = durationSeconds(s)
  if (seconds === undefined) {
    throw new BursarError(
      'POLICY_INVALID',
      `"${String(s).slice(0, 32)}" is not a duration such as "1h", "24h" or "7d"`,
      {
        details: { value: String(s).slice(0, 32) },
      },
    )
  }
  return seconds
}

/** True when `s` is a duration parseDuration accepts. */
export function isDuration(s: string): boolean {
  return durationSeconds(s) !== undefined
}

function durationSeconds(s: string): number | undefined {
  if (typeof s !== 'string' || !whole.test(s)) return undefined
  let seconds = 0
  for (const [, count, unit] of s.matchAll(part)) seconds += Number(count) * unitSeconds[unit as string]!
  return seconds > 0 && seconds <= maxWindowSeconds ? seconds : undefined
}
