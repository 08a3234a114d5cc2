/**
 * HTTP rate limits: one budget per source address, checked first (before authentication: a flood of bad keys stops
 * here, before any database lookup), and one per authenticated credential, checked once the credential is known (a
 * wrong secret spends nobody's budget) and before the body is read. Over either: 429 RATE_LIMITED with Retry-After.
 */
import { BursarError } from '@bursar/core/errors'
import type { FastifyInstance } from 'fastify'
import { authenticate, type Principal } from '../../auth/authenticate.ts'
import { defaultConfig, type RateLimitRule } from '../../config.ts'
import type { ServerContext } from '../../context.ts'
import type { Route } from '../Route.ts'
import { addressKey } from './addressKey.ts'
import { createMemoryRateLimiter } from './createMemoryRateLimiter.ts'
import { createRedisRateLimiter } from './createRedisRateLimiter.ts'

/**
 * The orchestrator's probes and the metrics scraper are never refused for their address: behind a proxy they may share
 * it with the traffic, and a refused probe would take a busy but healthy instance out of service.
 */
const addressExempt = new Set(['/healthz', '/readyz', '/metrics'])

const defaultKeyPrefix = 'bursar:ratelimit:'

/**
 * Adds the rate-limit hooks to `app` (before its routes, so they run first), and opens and closes the limiter with
 * it: Redis when `redisUrl` is set, this process's memory otherwise.
 */
export function registerRateLimits(app: FastifyInstance, ctx: ServerContext, routes: readonly Route[]): void {
  const config = ctx.config.rateLimits ?? {}
  const perAddress = config.perAddress ?? defaultConfig.rateLimits.perAddress
  const perCredential = config.perCredential ?? defaultConfig.rateLimits.perCredential
  if (perAddress === false && perCredential === false) return
  const local = createMemoryRateLimiter()
  const limiter =
    ctx.config.redisUrl === undefined
      ? local
      : createRedisRateLimiter({
          url: ctx.config.redisUrl,
          keyPrefix: config.redisKeyPrefix ?? defaultKeyPrefix,
          fallback: local,
          logger: ctx.logger,
        })
  app.addHook('onReady', () => limiter.ready())
  app.addHook('onClose', () => limiter.close())

  const check = async (scope: 'address' | 'credential', id: string, rule: RateLimitRule) => {
    const { allowed, retryAfterMs } = await limiter.hit(`${scope}:${id}`, {
      limit: rule.requests,
      windowMs: rule.windowSeconds * 1000,
    })
    if (allowed) return
    ctx.metrics.httpRateLimited.inc({ scope })
    const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000))
    const who = scope === 'address' ? 'from this address' : 'with this credential'
    throw new BursarError(
      'RATE_LIMITED',
      `too many requests ${who}: at most ${rule.requests} in ${rule.windowSeconds} s; retry in ${retryAfterSeconds} s`,
      {
        details: {
          scope,
          limit: rule.requests,
          window_seconds: rule.windowSeconds,
          retry_after_seconds: retryAfterSeconds,
        },
      },
    )
  }

  if (perAddress !== false) {
    app.addHook('onRequest', async (request) => {
      if (!addressExempt.has(request.routeOptions.url ?? ''))
        await check('address', addressKey(request.ip), perAddress)
    })
  }
  if (perCredential !== false) {
    // The routes whose own onRequest hook has authenticated the caller by now (it runs before preParsing).
    const authenticated = new Set(
      routes
        .filter((route) => route.access !== 'none' && route.access !== 'operator')
        .map((route) => `${route.method} ${route.path}`),
    )
    app.addHook('preParsing', async (request) => {
      const method = request.method === 'HEAD' ? 'GET' : request.method
      if (!authenticated.has(`${method} ${request.routeOptions.url}`)) return
      await check('credential', credentialId(await authenticate(ctx, request)), perCredential)
    })
  }
}

/** The credential's id, never its secret: a key, a service token or a session each has its own budget. */
function credentialId(principal: Principal): string {
  switch (principal.type) {
    case 'agent':
      return `agent_key:${principal.keyId}`
    case 'account':
      return `session:${principal.session.id}`
    case 'member':
      return principal.session === null
        ? `service_token:${principal.tokenId}`
        : `session:${principal.session.id}`
  }
}
