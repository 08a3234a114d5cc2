/** Circuit breakers: owners freeze and reset agents, halt and resume the whole instance, and list what is tripped. */
import { type BreakerRow, listBreakers } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { requireOwner } from '../auth/authenticate.ts'
import { freeze, reset } from '../breakers/breakerOperations.ts'
import type { ServerContext } from '../context.ts'
import { parseWith } from '../parseBody.ts'

const agentParams = z.object({ id: z.string().min(1).max(64) })
const reasonBody = z.strictObject({ reason: z.string().min(1).max(500).optional() })

const breakerResponse = (row: BreakerRow) => ({
  scope: row.scope,
  agent_id: row.agent_id,
  tripped: row.tripped,
  signal: row.signal,
  reason: row.reason,
  tripped_at: row.tripped_at?.toISOString() ?? null,
  tripped_by: row.tripped_by,
  reset_at: row.reset_at?.toISOString() ?? null,
  reset_by: row.reset_by,
})

export function registerBreakerRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.get('/v1/breakers', async (request) => {
    const owner = await requireOwner(ctx, request)
    return { data: (await listBreakers(ctx.db, owner.ownerId)).map(breakerResponse) }
  })

  app.post('/v1/agents/:id/freeze', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    const { reason } = parseWith(reasonBody, request.body ?? {})
    const tripped = await freeze(ctx, owner.ownerId, id, reason ?? 'frozen by an owner')
    return { scope: 'agent', agent_id: id, tripped: true, already_tripped: !tripped }
  })

  app.post('/v1/agents/:id/unfreeze', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { id } = parseWith(agentParams, request.params, 'path')
    return breakerResponse(await reset(ctx, owner.ownerId, id))
  })

  app.post('/v1/halt', async (request) => {
    const owner = await requireOwner(ctx, request)
    const { reason } = parseWith(reasonBody, request.body ?? {})
    const tripped = await freeze(ctx, owner.ownerId, null, reason ?? 'halted by an owner')
    return { scope: 'global', tripped: true, already_tripped: !tripped }
  })

  app.post('/v1/halt/reset', async (request) => {
    const owner = await requireOwner(ctx, request)
    return breakerResponse(await reset(ctx, owner.ownerId, null))
  })
}
