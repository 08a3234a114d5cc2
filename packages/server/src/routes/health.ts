/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify'
import type { ServerContext } from '../context.ts'

export function registerHealthRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, 'ok' | 'unavailable'> = {}
    try {
      await ctx.db.query('select 1')
      checks.database = 'ok'
    } catch {
      checks.database = 'unavailable'
    }
    await Promise.all(
      [...ctx.networks.values()].map(async ({ network, adapter }) => {
        try {
          await adapter.getBlockNumber()
          checks[`network:${network.name}`] = 'ok'
        } catch {
          checks[`network:${network.name}`] = 'unavailable'
        }
      }),
    )
    const ready = Object.values(checks).every((value) => value === 'ok')
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks })
  })

  app.get('/metrics', async (_request, reply) => {
    return reply
      .header('content-type', ctx.metrics.registry.contentType)
      .send(await ctx.metrics.registry.metrics())
  })
}
