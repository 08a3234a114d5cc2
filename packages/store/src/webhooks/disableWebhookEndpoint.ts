/** Disables a webhook endpoint: nothing more is sent to it, and what was still waiting to be sent fails. */
import type { Sql } from '../Db.ts'
import { type WebhookEndpointRow, webhookEndpointColumns } from './WebhookEndpointRow.ts'

/**
 * One statement: the endpoint is disabled (once; disabling again keeps the first time) and its pending deliveries
 * become failed with `last_error` 'endpoint disabled', so none waits for ever. A delivery being sent at that moment
 * still has its attempt logged. Undefined when the organisation has no such endpoint.
 *
 * @example const endpoint = await disableWebhookEndpoint(db, orgId, 'whk_…')
 */
export async function disableWebhookEndpoint(
  sql: Sql,
  orgId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql.query<WebhookEndpointRow>(
    `with endpoint as (
       update webhook_endpoints set disabled_at = coalesce(disabled_at, now())
        where id = $1 and org_id = $2 returning ${webhookEndpointColumns}
     ), dropped as (
       update webhook_deliveries set status = 'failed', last_error = 'endpoint disabled', lease_until = null
        where endpoint_id in (select id from endpoint) and status = 'pending'
     )
     select * from endpoint`,
    [id, orgId],
  )
  return row
}
