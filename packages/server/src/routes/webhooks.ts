/** /v1/webhooks: an organisation's endpoints, their secrets (shown once, rotatable), the delivery log and replays. */
import {
  createdWebhookEndpointSchema,
  idParams,
  listOf,
  webhookDeliveryDetailSchema,
  webhookDeliveryListQuerySchema,
  webhookDeliveryParams,
  webhookDeliverySchema,
  webhookEndpointRequestSchema,
  webhookEndpointSchema,
} from '@bursar/core/api'
import { BursarError } from '@bursar/core/errors'
import {
  appendAudit,
  disableWebhookEndpoint,
  getWebhookDelivery,
  getWebhookEndpoint,
  listWebhookAttempts,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from '@bursar/store'
import type { ServerContext } from '../context.ts'
import { defineRoute } from '../http/Route.ts'
import { createWebhookEndpoint } from '../webhooks/createWebhookEndpoint.ts'
import { rotateWebhookSecret } from '../webhooks/rotateWebhookSecret.ts'

const endpointResponse = (endpoint: WebhookEndpointRow) => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  event_types: endpoint.event_types,
  created_at: endpoint.created_at.toISOString(),
  previous_secret_expires_at: endpoint.previous_secret_expires_at?.toISOString() ?? null,
  disabled_at: endpoint.disabled_at?.toISOString() ?? null,
})

const deliveryResponse = (delivery: WebhookDeliveryRow) => ({
  id: delivery.id,
  endpoint_id: delivery.endpoint_id,
  event_id: delivery.event_id,
  event_type: delivery.event_type,
  status: delivery.status,
  attempts: delivery.attempts,
  next_attempt_at: delivery.next_attempt_at.toISOString(),
  last_status: delivery.last_status,
  last_error: delivery.last_error,
  created_at: delivery.created_at.toISOString(),
  delivered_at: delivery.delivered_at?.toISOString() ?? null,
  replay_of: delivery.replay_of,
  payload: delivery.payload,
})

const endpointNotFound = (id: string) =>
  new BursarError('WEBHOOK_NOT_FOUND', 'no such webhook endpoint in this organisation', {
    details: { webhook_id: id },
  })

async function endpointOf(ctx: ServerContext, orgId: string, id: string): Promise<WebhookEndpointRow> {
  const endpoint = await getWebhookEndpoint(ctx.db, orgId, id)
  if (!endpoint) throw endpointNotFound(id)
  return endpoint
}

async function deliveryOf(ctx: ServerContext, orgId: string, endpointId: string, id: string) {
  const delivery = await getWebhookDelivery(ctx.db, orgId, id)
  if (!delivery || delivery.endpoint_id !== endpointId)
    throw new BursarError('DELIVERY_NOT_FOUND', 'no such webhook delivery in this organisation', {
      details: { delivery_id: id },
    })
  return delivery
}

// Endpoint URLs may carry a receiver's token: reading them is for admins, like changing them.
export const webhookRoutes = [
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks',
    summary: 'Add a webhook endpoint ({url, event_types}); its signing secret is shown once',
    access: 'admin',
    stepUp: true,
    body: webhookEndpointRequestSchema,
    responses: { 201: createdWebhookEndpointSchema },
    async handler({ ctx, principal, body }) {
      const { endpoint, secret } = await createWebhookEndpoint(ctx, principal.orgId, {
        url: body.url,
        event_types: body.event_types,
        description: body.description ?? null,
      })
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'webhook.created',
          subject: { type: 'organisation', id: principal.orgId },
          data: { webhook_id: endpoint.id, event_types: endpoint.event_types },
        },
      ])
      return { ...endpointResponse(endpoint), secret }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks',
    summary: "The organisation's webhook endpoints, disabled ones included",
    access: 'admin',
    responses: { 200: listOf(webhookEndpointSchema) },
    handler: async ({ ctx, principal }) => ({
      data: (await listWebhookEndpoints(ctx.db, principal.orgId, { includeDisabled: true })).map(
        endpointResponse,
      ),
    }),
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks/:id',
    summary: 'One webhook endpoint',
    access: 'admin',
    params: idParams,
    responses: { 200: webhookEndpointSchema },
    handler: async ({ ctx, principal, params }) =>
      endpointResponse(await endpointOf(ctx, principal.orgId, params.id)),
  }),
  defineRoute({
    method: 'DELETE',
    path: '/v1/webhooks/:id',
    summary: 'Disable a webhook endpoint: nothing more is sent; its delivery log stays',
    access: 'admin',
    params: idParams,
    responses: { 200: webhookEndpointSchema },
    async handler({ ctx, principal, params }) {
      const endpoint = await disableWebhookEndpoint(ctx.db, principal.orgId, params.id)
      if (!endpoint) throw endpointNotFound(params.id)
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'webhook.disabled',
          subject: { type: 'organisation', id: principal.orgId },
          data: { webhook_id: endpoint.id },
        },
      ])
      return endpointResponse(endpoint)
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks/:id/rotate',
    summary: 'A new signing secret, shown once; the old one keeps signing beside it for 24 hours',
    access: 'admin',
    stepUp: true,
    params: idParams,
    responses: { 201: createdWebhookEndpointSchema },
    async handler({ ctx, principal, params }) {
      const { endpoint, secret } = await rotateWebhookSecret(ctx, principal.orgId, params.id)
      await appendAudit(ctx.db, [
        {
          actor: principal.actor,
          action: 'webhook.secret_rotated',
          subject: { type: 'organisation', id: principal.orgId },
          data: { webhook_id: endpoint.id },
        },
      ])
      return { ...endpointResponse(endpoint), secret }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries',
    summary: "An endpoint's delivery log, newest first (status filter)",
    access: 'admin',
    params: idParams,
    query: webhookDeliveryListQuerySchema,
    responses: { 200: listOf(webhookDeliverySchema) },
    async handler({ ctx, principal, params, query }) {
      await endpointOf(ctx, principal.orgId, params.id)
      const rows = await listWebhookDeliveries(ctx.db, {
        orgId: principal.orgId,
        endpointId: params.id,
        limit: query.limit,
        ...(query.status === undefined ? {} : { status: query.status }),
      })
      return { data: rows.map(deliveryResponse) }
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/webhooks/:id/deliveries/:deliveryId',
    summary: 'One delivery with every attempt made',
    access: 'admin',
    params: webhookDeliveryParams,
    responses: { 200: webhookDeliveryDetailSchema },
    async handler({ ctx, principal, params }) {
      const delivery = await deliveryOf(ctx, principal.orgId, params.id, params.deliveryId)
      const attempts = await listWebhookAttempts(ctx.db, principal.orgId, delivery.id)
      return {
        ...deliveryResponse(delivery),
        attempts_log: attempts.map((attempt) => ({
          attempt: attempt.attempt,
          at: attempt.at.toISOString(),
          status: attempt.status,
          error: attempt.error,
          duration_ms: attempt.duration_ms,
        })),
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/replay',
    summary: 'Send a delivery again, as a new delivery with the same event id',
    access: 'admin',
    params: webhookDeliveryParams,
    responses: { 201: webhookDeliverySchema },
    async handler({ ctx, principal, params }) {
      const delivery = await deliveryOf(ctx, principal.orgId, params.id, params.deliveryId)
      const replay = await replayWebhookDelivery(ctx.db, principal.orgId, delivery.id)
      if (!replay) throw endpointNotFound(params.id)
      return deliveryResponse(replay)
    },
  }),
]
