/** /v1/intents: agents submit, read and cancel intents; owners read and cancel their agents' intents. */
import { intentListQuerySchema, intentRequestSchema } from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { getIntent, listIntentEvents, listIntents } from '@bursar/store'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { ownedAgent } from '../agents/agentOperations.ts'
import { authenticate, requireAgent } from '../auth/authenticate.ts'
import type { ServerContext } from '../context.ts'
import { cancelIntent } from '../intents/cancelIntent.ts'
import { dryRunIntent } from '../intents/dryRunIntent.ts'
import { submitIntent } from '../intents/submitIntent.ts'
import { toIntentResponse } from '../intents/toIntentResponse.ts'
import { visibleIntent } from '../intents/visibleIntent.ts'
import { parseWith } from '../parseBody.ts'

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
const idParams = z.object({ id: z.string().min(1).max(64) })
const dryRunQuery = z.strictObject({ agent_id: z.string().min(1).max(64) })

export function registerIntentRoutes(app: FastifyInstance, ctx: ServerContext) {
  app.post('/v1/intents', async (request, reply) => {
    const agent = await requireAgent(ctx, request)
    const body = parseWith(intentRequestSchema, request.body)
    const header = request.headers['idempotency-key']
    const idempotencyKey =
      header === undefined ? undefined : parseWith(idempotencyKeySchema, header, 'Idempotency-Key header')
    const { intent, replayed } = await submitIntent(ctx, {
      agentId: agent.agentId,
      request: body,
      idempotencyKey,
    })
    return reply
      .status(replayed ? 200 : 201)
      .header('idempotent-replayed', String(replayed))
      .send(intent)
  })

  app.post('/v1/intents/dry-run', async (request) => {
    const principal = await authenticate(ctx, request)
    const body = parseWith(intentRequestSchema, request.body)
    let agentId: string
    if (principal.type === 'agent') {
      agentId = principal.agentId
    } else {
      const { agent_id } = parseWith(dryRunQuery, request.query, 'query')
      // Owners name the agent; another owner's agent looks missing.
      agentId = (await ownedAgent(ctx.db, principal.ownerId, agent_id)).id
    }
    return dryRunIntent(ctx, { agentId, request: body })
  })

  app.get('/v1/intents', async (request) => {
    const principal = await authenticate(ctx, request)
    const query = parseWith(intentListQuerySchema, request.query, 'query')
    let before: string | undefined
    if (query.cursor !== undefined) {
      before = Buffer.from(query.cursor, 'base64url').toString('utf8')
      if (!/^int_[0-9a-z]+$/.test(before))
        throw new BursarError('INVALID_CURSOR', 'cursor is not one this API returned')
    }
    const rows = await listIntents(ctx.db, {
      ...(principal.type === 'agent' ? { agentId: principal.agentId } : { ownerId: principal.ownerId }),
      ...(principal.type === 'owner' && query.agent_id !== undefined ? { agentId: query.agent_id } : {}),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.network === undefined ? {} : { network: query.network }),
      ...(before === undefined ? {} : { before }),
      limit: query.limit + 1,
    })
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return {
      data: page.map(toIntentResponse),
      next_cursor: rows.length > query.limit && last ? Buffer.from(last.id).toString('base64url') : null,
    }
  })

  app.get('/v1/intents/:id', async (request) => {
    const principal = await authenticate(ctx, request)
    const { id } = parseWith(idParams, request.params, 'path')
    return toIntentResponse(visibleIntent(principal, await getIntent(ctx.db, id), id))
  })

  app.get('/v1/intents/:id/events', async (request) => {
    const principal = await authenticate(ctx, request)
    const { id } = parseWith(idParams, request.params, 'path')
    visibleIntent(principal, await getIntent(ctx.db, id), id)
    const events = await listIntentEvents(ctx.db, id)
    return {
      data: events.map((event) => ({
        from: event.from_status,
        to: event.to_status,
        data: event.data,
        at: event.created_at.toISOString(),
      })),
    }
  })

  app.post('/v1/intents/:id/cancel', async (request) => {
    const principal = await authenticate(ctx, request)
    const { id } = parseWith(idParams, request.params, 'path')
    return toIntentResponse(await cancelIntent(ctx, principal, id))
  })
}
