/** The login throttle's one decision: after so many failures under a key, when may the next attempt be checked. */
import { BursarError } from '@bursar/core/errors'

export type NextAllowedAtParameters = {
  /** Failed logins under one throttle key (see throttleKeys) since its last successful login, which resets it to 0. */
  failures: number
  /** When the last of them happened; required once there are any. */
  lastFailureAt?: Date | undefined
}

/** When the next attempt may be checked; undefined when it may be checked now. */
export type NextAllowedAtReturnType = Date | undefined

// Enough for a person to mistype, or to try their two or three usual passwords, without ever noticing a throttle.
const freeFailures = 5
// The longest wait. Never a lockout: whoever holds the password gets in within 15 minutes, even while someone else
// fails on their account all day, so failing on purpose cannot lock a real owner out for good (and an owner locked
// out is a support ticket, or worse, a recovery path an attacker can then aim at). An attacker gets ~100 guesses a
// day per account, against argon2 and a 12-character minimum.
const maxDelaySeconds = 15 * 60

/**
 * No delay after the first 5 failures; after the n-th failure beyond them, 2^(n−5) seconds from the last failure
 * (2 s, 4 s, 8 s, …), at most 15 minutes. The caller keeps one count per key (one for the account, one for the
 * source address), takes the latest of their answers, and while `now` is before it refuses without checking the
 * password and without counting the refusal (so hammering neither guesses nor lengthens the wait); a success resets
 * the account's count (ADR 0007). The address is counted on the same schedule: one address guessing across many
 * accounts meets the wait as soon as one account would.
 *
 * Pure: no I/O, no clock. Throws INTERNAL when the stored count or time is corrupt (negative, fractional, NaN, or
 * failures with no time), rather than guessing in a way that could let attempts through.
 *
 * @example
 * const waits = [nextAllowedAt(accountCounter), nextAllowedAt(addressCounter)]
 * const until = Math.max(...waits.map((at) => at?.getTime() ?? 0))
 * if (until > now.getTime()) return refuse(429, { retryAfterSeconds: Math.ceil((until - now.getTime()) / 1000) })
 */
export function nextAllowedAt(parameters: NextAllowedAtParameters): NextAllowedAtReturnType {
  const { failures, lastFailureAt } = parameters
  if (!Number.isSafeInteger(failures) || failures < 0) {
    throw new BursarError('INTERNAL', 'login throttle: the stored failure count is not a count')
  }
  if (failures <= freeFailures) return undefined
  if (!(lastFailureAt instanceof Date) || Number.isNaN(lastFailureAt.getTime())) {
    throw new BursarError('INTERNAL', 'login throttle: failures are stored without a valid last failure time')
  }
  // The exponent is capped first so a huge count does not compute 2^1e9 only to cap it.
  const delaySeconds = Math.min(2 ** Math.min(failures - freeFailures, 30), maxDelaySeconds)
  return new Date(lastFailureAt.getTime() + delaySeconds * 1000)
}
