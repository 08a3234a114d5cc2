/** Circuit breakers: owners freeze and reset agents, halt and resume the whole instance, and list what is tripped. */
import {
  breakerListResponseSchema,
  breakerSchema,
  idParams,
  tripRequestSchema,
  tripResponseSchema,
} from '@bursar/core/api'
import { listBreakers } from '@bursar/store'
import { callerOf } from '../auth/Caller.ts'
import { freeze, reset } from '../breakers/breakerOperations.ts'
import { defineRoute } from '../http/Route.ts'
import { breakerResponse } from './responses.ts'

export const breakerRoutes = [
  defineRoute({
    method: 'GET',
    path: '/v1/breakers',
    summary: 'Circuit breakers: global and per agent',
    access: 'viewer',
    responses: { 200: breakerListResponseSchema },
    handler: async ({ ctx, principal }) => ({
      data: (await listBreakers(ctx.db, principal.orgId)).map(breakerResponse),
    }),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agents/:id/freeze',
    summary: "Trip the agent's circuit breaker ({reason})",
    access: 'approver',
    params: idParams,
    body: tripRequestSchema,
    responses: { 200: tripResponseSchema },
    async handler({ ctx, principal, params, body }) {
      const tripped = await freeze(ctx, principal, params.id, body.reason ?? 'frozen by an owner')
      return { scope: 'agent', agent_id: params.id, tripped: true, already_tripped: !tripped }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/agents/:id/unfreeze',
    summary: "Reset the agent's circuit breaker",
    access: 'approver',
    stepUp: true,
    params: idParams,
    responses: { 200: breakerSchema },
    handler: async ({ ctx, principal, params }) => breakerResponse(await reset(ctx, principal, params.id)),
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/halt',
    summary: 'Trip the global breaker: nothing is accepted or signed ({reason})',
    access: 'instance_admin',
    body: tripRequestSchema,
    responses: { 200: tripResponseSchema },
    async handler({ ctx, principal, body }) {
      const tripped = await freeze(ctx, callerOf(principal), null, body.reason ?? 'halted by an owner')
      return { scope: 'global', tripped: true, already_tripped: !tripped }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/halt/reset',
    summary: 'Reset the global breaker',
    access: 'instance_admin',
    stepUp: true,
    responses: { 200: breakerSchema },
    handler: async ({ ctx, principal }) => breakerResponse(await reset(ctx, callerOf(principal), null)),
  }),
]
