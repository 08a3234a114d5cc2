/**
 * Login throttling as stored, one row per key ('account:acc_…', 'ip:203.0.113.7'). The rule, in one place (the
 * server has no copy): after the 5th failure in a row the next attempt waits 2^(failures − 5) seconds (1 s, 2 s,
 * 4 s, …), at most 15 minutes; a success clears the key, and failures a day old are forgotten. Never a lockout: the
 * wait stops growing, so whoever holds the password gets in within 15 minutes however long someone else fails.
 */
export type LoginThrottleRow = {
  key: string
  failures: number
  last_failure_at: Date
  next_allowed_at: Date
}

/** Failures that come for free: the delay starts after this many. */
const freeFailures = 5
/** The longest wait, in seconds. */
const maxDelaySeconds = 900
/** A run of failures older than this is forgotten: the next failure counts as the first. */
export const forgetAfter = '1 day'

/**
 * The delay in seconds after `failures` (a SQL expression) failures. The exponent is capped before `power` so that no
 * count overflows it; 2^10 is past the cap already.
 */
export function delaySeconds(failures: string): string {
  return `case when ${failures} < ${freeFailures} then 0
               else least(power(2, least(${failures} - ${freeFailures}, 10)), ${maxDelaySeconds}) end`
}
