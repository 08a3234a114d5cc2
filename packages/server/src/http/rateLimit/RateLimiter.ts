/** The one interface both rate limiters (in process, Redis) implement: count a request, say whether it fits. */

/** At most `limit` requests in each window of `windowMs`. */
export type RateLimitWindow = { limit: number; windowMs: number }

export type RateLimitHit = {
  /** False once this request is over the limit of its window. */
  allowed: boolean
  /** Until the window ends and the count starts again. */
  retryAfterMs: number
}

export type RateLimiter = {
  /** Counts one request against `key` (refused requests count too: hammering does not shorten the wait). */
  hit(key: string, window: RateLimitWindow): Promise<RateLimitHit>
  /** Resolves once the limiter can count (connected, or given up for now); never rejects. */
  ready(): Promise<void>
  close(): Promise<void>
}
