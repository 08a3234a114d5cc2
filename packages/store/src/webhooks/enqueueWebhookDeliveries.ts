/** Queues one event for every enabled endpoint of its organisation whose patterns take its type. */
import type { Sql } from '../Db.ts'
import { type WebhookDeliveryRow, webhookDeliveryColumns } from './WebhookDeliveryRow.ts'
import { webhookEventMatches } from './webhookEventMatches.ts'
import { webhookId } from './webhookId.ts'

export type EnqueueWebhookDeliveriesParameters = {
  orgId: string
  /** Stable for the event (`evt_…`): the same event handed over twice is queued once per endpoint. */
  eventId: string
  eventType: string
  /** The body every endpoint is sent; stored as JSON. Carries no secret. */
  payload: Record<string, unknown>
}

/**
 * Reads the organisation's enabled endpoints, matches their patterns here (webhookEventMatches), and inserts one
 * pending delivery, due now, per match. An endpoint disabled in between gets none; one that already has this event
 * keeps its delivery and gets no second. Returns the deliveries inserted.
 *
 * @example
 * await enqueueWebhookDeliveries(tx, { orgId, eventId: 'evt_42', eventType: 'intent.confirmed', payload })
 */
export async function enqueueWebhookDeliveries(
  tx: Sql,
  parameters: EnqueueWebhookDeliveriesParameters,
): Promise<WebhookDeliveryRow[]> {
  const endpoints = await tx.query<{ id: string; event_types: string[] }>(
    'select id, event_types from webhook_endpoints where org_id = $1 and disabled_at is null order by id',
    [parameters.orgId],
  )
  const matched = endpoints.filter((endpoint) =>
    webhookEventMatches(endpoint.event_types, parameters.eventType),
  )
  if (matched.length === 0) return []
  return tx.query<WebhookDeliveryRow>(
    `insert into webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload)
     select d.id, d.endpoint_id, e.org_id, $4, $5, $6::jsonb
       from unnest($1::text[], $2::text[]) as d(id, endpoint_id)
       join webhook_endpoints e on e.id = d.endpoint_id and e.org_id = $3 and e.disabled_at is null
     on conflict (endpoint_id, event_id) where replay_of is null do nothing
     returning ${webhookDeliveryColumns()}`,
    [
      matched.map(() => webhookId('whd')),
      matched.map((endpoint) => endpoint.id),
      parameters.orgId,
      parameters.eventId,
      parameters.eventType,
      JSON.stringify(parameters.payload),
    ],
  )
}
