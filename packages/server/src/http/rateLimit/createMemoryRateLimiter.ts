/** A fixed-window rate limiter in this process's memory: for one process, and the fallback when Redis is down. */
import type { RateLimiter, RateLimitHit, RateLimitWindow } from './RateLimiter.ts'

export type CreateMemoryRateLimiterParameters = {
  /**
   * Most keys held at once (default 100,000, some 10 MB). When full, expired windows are pruned and, if that is not
   * enough, the oldest tenth is forgotten (those keys start again at zero): a flood of fresh addresses costs at most
   * this much memory.
   */
  maxKeys?: number
  /** The clock, in milliseconds (default Date.now); tests pass their own. */
  now?: () => number
}

export type MemoryRateLimiter = RateLimiter & {
  /** How many keys are held now (expired windows included until the next prune). */
  size(): number
}

type Window = { count: number; resetAt: number }

/** Expired windows are swept at most this often, and whenever the map is full. */
const pruneIntervalMs = 10_000

/**
 * @example
 * const limiter = createMemoryRateLimiter()
 * const { allowed, retryAfterMs } = await limiter.hit('address:192.0.2.1', { limit: 100, windowMs: 60_000 })
 */
export function createMemoryRateLimiter(
  parameters: CreateMemoryRateLimiterParameters = {},
): MemoryRateLimiter {
  const maxKeys = parameters.maxKeys ?? 100_000
  const now = parameters.now ?? Date.now
  // Insertion order is window-start order (a new window is re-inserted), so the first entries are the oldest.
  const windows = new Map<string, Window>()
  let nextPruneAt = 0

  const prune = (at: number) => {
    nextPruneAt = at + pruneIntervalMs
    for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key)
    if (windows.size < maxKeys) return
    // Still full: forget the oldest tenth at once, so a flood pays for one sweep per many new keys, not per request.
    const keep = Math.floor(maxKeys * 0.9)
    for (const key of windows.keys()) {
      if (windows.size <= keep) break
      windows.delete(key)
    }
  }

  const hit = (key: string, { limit, windowMs }: RateLimitWindow): RateLimitHit => {
    const at = now()
    if (at >= nextPruneAt) prune(at)
    let window = windows.get(key)
    if (window === undefined || window.resetAt <= at) {
      windows.delete(key)
      if (windows.size >= maxKeys) prune(at)
      window = { count: 0, resetAt: at + windowMs }
      windows.set(key, window)
    }
    window.count++
    return { allowed: window.count <= limit, retryAfterMs: window.resetAt - at }
  }

  return {
    hit: async (key, window) => hit(key, window),
    ready: async () => {},
    close: async () => windows.clear(),
    size: () => windows.size,
  }
}
