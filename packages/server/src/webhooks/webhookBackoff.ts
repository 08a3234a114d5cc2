/** How long a failed webhook delivery waits before its next attempt, and when it is given up on. */

export type WebhookBackoffReturnType = number | null

const baseMs = 5_000
const capMs = 60 * 60 * 1000
// With the cap reached from the 11th attempt, 15 attempts span up to about 5.4 hours (2.7 on average): a receiver
// down for a deploy or an afternoon still gets the event; after that, replay it.
const maxAttempts = 15

/**
 * After `attempt` failed attempts (1 after the first), the delay in milliseconds before the next one, or null once
 * `attempt` reaches 15: the delivery fails. Exponential with full jitter: uniform in [0, min(1 h, 5 s · 2^(attempt−1))),
 * so receivers coming back from an outage are not hit by every retry at once. `random` is in [0, 1), like
 * Math.random. No I/O, no clock.
 *
 * @example
 * webhookBackoff(1, () => 0.5) // 2_500
 * webhookBackoff(3, () => 0.5) // 10_000
 * webhookBackoff(12, () => 0.5) // 1_800_000 (the 1 h cap)
 * webhookBackoff(15, Math.random) // null
 */
export function webhookBackoff(attempt: number, random: () => number): WebhookBackoffReturnType {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError('webhookBackoff: attempt must be a positive integer')
  }
  if (attempt >= maxAttempts) return null
  const ceiling = Math.min(capMs, baseMs * 2 ** (attempt - 1))
  // Anything outside [0, 1] (NaN included) from a faulty source stays within the bounds.
  const drawn = random()
  const fraction = drawn >= 0 ? Math.min(drawn, 1) : 0
  return Math.floor(fraction * ceiling)
}
