/**
 * Liveness for anyone; readiness and Prometheus metrics for the operator only (they describe the installation:
 * networks, RPC health, load), behind the operator token.
 */
import { timingSafeEqual } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ServerContext } from '../context.ts'

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (request, reply) => {
    requireOperator(ctx, request)
    const checks: Record<string, 'ok' | 'unavailable' | 'wrong_chain'> = {}
    try {
      await ctx.db.query('select 1')
      checks.database = 'ok'
    } catch {
      checks.database = 'unavailable'
    }
    await Promise.all(
      [...ctx.networks.values()].map(async ({ adapter, ensureChain }) => {
        const name = `network:${adapter.network.name}`
        try {
          await ensureChain()
          // Answering now, not only at the last check.
          await adapter.getBlockNumber()
          checks[name] = 'ok'
        } catch (error) {
          const wrong = error instanceof BursarError && error.code === 'CHAIN_ID_MISMATCH'
          checks[name] = wrong ? 'wrong_chain' : 'unavailable'
        }
      }),
    )
    const ready = Object.values(checks).every((value) => value === 'ok')
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks })
  })

  app.get('/metrics', async (request, reply) => {
    requireOperator(ctx, request)
    return reply
      .header('content-type', ctx.metrics.registry.contentType)
      .send(await ctx.metrics.registry.metrics())
  })
}

/** The same answers as every other credential check: 401 for a missing, malformed or wrong token. */
function requireOperator(ctx: ServerContext, request: FastifyRequest): void {
  const expected = ctx.config.operatorToken
  const header = request.headers.authorization
  if (header === undefined) {
    throw new BursarError('UNAUTHENTICATED', 'missing Authorization: Bearer <operator token>')
  }
  const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1]
  if (given === undefined) {
    throw new BursarError('UNAUTHENTICATED', 'Authorization header must be "Bearer <operator token>"')
  }
  const a = Buffer.from(given)
  const b = Buffer.from(expected ?? '')
  // Unset operator token: nobody gets in (there is no default to guess).
  if (expected === undefined || expected.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new BursarError('INVALID_API_KEY', 'this endpoint takes the operator token (BURSAR_OPERATOR_TOKEN)')
  }
}
