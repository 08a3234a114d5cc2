/** How long to wait before another round over a network's RPC endpoints: exponential, jittered, capped. */

export type BackoffOptions = {
  /** The delay before the first retry, before jitter. */
  baseMs: number
  /** No delay exceeds this. */
  maxMs: number
}

/**
 * Half of `min(maxMs, baseMs · 2^retry)` fixed, the other half random ("equal jitter"), so that many processes
 * retrying after one outage do not hit the endpoints in step.
 *
 * @example
 * backoffDelay(0, { baseMs: 150, maxMs: 5_000 }) // 75…150
 * backoffDelay(3, { baseMs: 150, maxMs: 5_000 }) // 600…1200
 */
export function backoffDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}
