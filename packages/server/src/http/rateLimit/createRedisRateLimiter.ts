/**
 * A fixed-window rate limiter in Redis, one budget for every process that shares it. One round trip per check (a
 * Lua script: INCR, and PEXPIRE when the window is new). Redis only sheds load, the money limits are in the database,
 * so a Redis that is down or slow fails over to the fallback limiter for that request (with a warning at most once
 * a minute), never to an error.
 */
import { createHash } from 'node:crypto'
import { Redis } from 'ioredis'
import type { Logger } from '../../logger.ts'
import type { RateLimiter, RateLimitHit, RateLimitWindow } from './RateLimiter.ts'

export type CreateRedisRateLimiterParameters = {
  /** `redis://…`; never logged (it may carry a password). */
  url: string
  /** Prepended to every key, so one Redis can serve several instances or applications. */
  keyPrefix: string
  /** Counts while Redis cannot (usually the in-process limiter). */
  fallback: RateLimiter
  logger: Logger
}

// PTTL is -1 for a new key, and for one whose expiry was lost (a PEXPIRE that never ran): either way, start the window.
const script = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`
const scriptSha = createHash('sha1').update(script).digest('hex')

/** A check waits at most this long for Redis before the fallback answers: a request must not hang on load shedding. */
const commandTimeoutMs = 500
const warnIntervalMs = 60_000

/**
 * @example
 * const limiter = createRedisRateLimiter({ url: 'redis://127.0.0.1:6379', keyPrefix: 'bursar:ratelimit:', fallback: createMemoryRateLimiter(), logger })
 * await limiter.ready()
 */
export function createRedisRateLimiter(parameters: CreateRedisRateLimiterParameters): RateLimiter {
  const { keyPrefix, fallback, logger } = parameters
  const client = new Redis(parameters.url, {
    lazyConnect: true,
    // Fail at once while disconnected rather than queueing: the fallback answers, and reconnecting goes on behind.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5000),
  })
  let lastWarning = Number.NEGATIVE_INFINITY
  const warn = (error: unknown) => {
    const at = Date.now()
    if (at - lastWarning < warnIntervalMs) return
    lastWarning = at
    // The message names host and port at most (ioredis's connection errors), never the URL's credentials.
    logger.warn(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      'Redis is unavailable: rate limits are counted in this process until it is back',
    )
  }
  // Without a listener, ioredis prints every failed reconnect to the console.
  client.on('error', warn)

  const run = async (key: string, windowMs: number): Promise<unknown> => {
    try {
      return await client.evalsha(scriptSha, 1, key, windowMs)
    } catch (error) {
      // First use on this Redis (or after a restart or SCRIPT FLUSH): send the script itself, which caches it.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error
      return await client.eval(script, 1, key, windowMs)
    }
  }

  return {
    async hit(key: string, window: RateLimitWindow): Promise<RateLimitHit> {
      try {
        const [count, ttl] = (await run(keyPrefix + key, window.windowMs)) as [number, number]
        return { allowed: count <= window.limit, retryAfterMs: ttl }
      } catch (error) {
        warn(error)
        return fallback.hit(key, window)
      }
    },
    async ready() {
      // A Redis down at start must not keep the API down: warn, count locally, and keep reconnecting behind.
      await client.connect().catch(warn)
    },
    async close() {
      // QUIT lets in-flight checks finish; a client that is not connected has nothing to finish.
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect())
      else client.disconnect()
      await fallback.close()
    },
  }
}
