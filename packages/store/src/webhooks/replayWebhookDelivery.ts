/** Sends a delivery again: a new pending delivery of the same event to the same endpoint. */
import type { Sql } from '../Db.ts'
import { type WebhookDeliveryRow, webhookDeliveryColumns } from './WebhookDeliveryRow.ts'
import { webhookId } from './webhookId.ts'

/**
 * The new delivery copies the event (id, type, payload), is due now, starts from no attempts and names the one it
 * repeats in `replay_of`; the original stays as it was. Any delivery may be replayed, whatever its status. Undefined
 * when the organisation has no such delivery, or its endpoint is disabled (nothing would be sent).
 *
 * @example const replay = await replayWebhookDelivery(db, orgId, 'whd_…')
 */
export async function replayWebhookDelivery(
  sql: Sql,
  orgId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await sql.query<WebhookDeliveryRow>(
    `insert into webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, payload, replay_of)
     select $3, d.endpoint_id, d.org_id, d.event_id, d.event_type, d.payload, d.id
       from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id and e.disabled_at is null
      where d.id = $1 and d.org_id = $2
     returning ${webhookDeliveryColumns()}`,
    [deliveryId, orgId, webhookId('whd')],
  )
  return row
}
