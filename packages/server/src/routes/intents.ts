/** /v1/intents: agents submit, read and cancel intents; owners read and cancel their agents' intents. */
import {
  dryRunQuerySchema,
  dryRunResponseSchema,
  idParams,
  intentEventsResponseSchema,
  intentListQuerySchema,
  intentListResponseSchema,
  intentRequestSchema,
  intentSchema,
  submitIntentHeadersSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import { getIntent, listIntentEvents, listIntents } from '@bursar/store'
import { ownedAgent } from '../agents/agentOperations.ts'
import { defineRoute, respond } from '../http/Route.ts'
import { cancelIntent } from '../intents/cancelIntent.ts'
import { dryRunIntent } from '../intents/dryRunIntent.ts'
import { submitIntent } from '../intents/submitIntent.ts'
import { toIntentResponse } from '../intents/toIntentResponse.ts'
import { visibleIntent } from '../intents/visibleIntent.ts'
import { parseWith } from '../parseBody.ts'

export const intentRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/intents',
    summary: 'Submit an intent (an Idempotency-Key header makes retries safe)',
    access: 'agent',
    headers: submitIntentHeadersSchema,
    body: intentRequestSchema,
    responses: { 201: intentSchema, 200: intentSchema },
    async handler({ ctx, principal, headers, body }) {
      const { intent, replayed } = await submitIntent(ctx, {
        agentId: principal.agentId,
        request: body,
        idempotencyKey: headers['idempotency-key'],
      })
      return respond(replayed ? 200 : 201, intent, { 'idempotent-replayed': String(replayed) })
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/intents/dry-run',
    summary: 'Evaluate an intent against the policy without effect (owners name the agent: ?agent_id=)',
    access: 'any',
    // Documents the owner's parameter; agents dry-run for themselves and their query string is ignored, so the
    // strict check is the owner's alone (in the handler).
    query: dryRunQuerySchema.loose(),
    body: intentRequestSchema,
    responses: { 200: dryRunResponseSchema },
    async handler({ ctx, principal, body, request }) {
      let agentId: string
      if (principal.type === 'agent') {
        agentId = principal.agentId
      } else {
        const query = parseWith(dryRunQuerySchema, request.query, 'query')
        if (query.agent_id === undefined) {
          throw new BursarError('VALIDATION_FAILED', 'query is invalid', {
            details: { issues: [{ path: '$.agent_id', message: 'owners name the agent to dry-run for' }] },
          })
        }
        // Another owner's agent looks missing.
        agentId = (await ownedAgent(ctx.db, principal.orgId, query.agent_id)).id
      }
      return dryRunIntent(ctx, { agentId, request: body })
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/intents',
    summary: 'List intents, newest first (status, network, agent_id filters; cursor pagination)',
    access: 'any',
    query: intentListQuerySchema,
    responses: { 200: intentListResponseSchema },
    async handler({ ctx, principal, query }) {
      let before: string | undefined
      if (query.cursor !== undefined) {
        before = Buffer.from(query.cursor, 'base64url').toString('utf8')
        if (!/^int_[0-9a-z]+$/.test(before))
          throw new BursarError('INVALID_CURSOR', 'cursor is not one this API returned')
      }
      const rows = await listIntents(ctx.db, {
        ...(principal.type === 'agent' ? { agentId: principal.agentId } : { orgId: principal.orgId }),
        ...(principal.type === 'member' && query.agent_id !== undefined ? { agentId: query.agent_id } : {}),
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
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/intents/:id',
    summary: 'Get an intent',
    access: 'any',
    params: idParams,
    responses: { 200: intentSchema },
    handler: async ({ ctx, principal, params }) =>
      toIntentResponse(visibleIntent(principal, await getIntent(ctx.db, params.id), params.id)),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/intents/:id/events',
    summary: 'Status history of an intent',
    access: 'any',
    params: idParams,
    responses: { 200: intentEventsResponseSchema },
    async handler({ ctx, principal, params }) {
      visibleIntent(principal, await getIntent(ctx.db, params.id), params.id)
      const events = await listIntentEvents(ctx.db, params.id)
      return {
        data: events.map((event) => ({
          from: event.from_status,
          to: event.to_status,
          data: event.data,
          at: event.created_at.toISOString(),
        })),
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/intents/:id/cancel',
    summary: 'Cancel an intent before it is signed',
    access: 'any',
    params: idParams,
    responses: { 200: intentSchema },
    handler: async ({ ctx, principal, params }) =>
      toIntentResponse(await cancelIntent(ctx, principal, params.id)),
  }),
]
