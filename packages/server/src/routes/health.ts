/**
 * Liveness for anyone; readiness and Prometheus metrics for the operator only (they describe the installation:
 * networks, RPC health, load), behind the operator token.
 */
import { livenessSchema, readinessSchema } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { pingDatabase } from '@bursar/store'
import { z } from 'zod'
import { defineRoute, respond } from '../http/Route.ts'

export const healthRoutes = [
  defineRoute({
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness',
    access: 'none',
    responses: { 200: livenessSchema },
    handler: async () => ({ status: 'ok' }),
  }),
  defineRoute({
    method: 'GET',
    path: '/readyz',
    summary: 'Readiness (database, RPCs and their chain ids)',
    access: 'operator',
    responses: { 200: readinessSchema, 503: readinessSchema },
    async handler({ ctx }) {
      const checks: Record<string, 'ok' | 'unavailable' | 'wrong_chain'> = {}
      try {
        await pingDatabase(ctx.db)
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
      return respond(ready ? 200 : 503, { status: ready ? 'ready' : 'not_ready', checks })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/metrics',
    summary: 'Prometheus metrics',
    access: 'operator',
    responses: { 200: { schema: z.string(), contentType: 'text/plain; version=0.0.4; charset=utf-8' } },
    handler: async ({ ctx }) => ctx.metrics.registry.metrics(),
  }),
]
