/** One webhook delivery of an organisation: another organisation's looks missing. */
import type { Sql } from '../Db.ts'
import { type WebhookDeliveryRow, webhookDeliveryColumns } from './WebhookDeliveryRow.ts'

/** @example const delivery = await getWebhookDelivery(db, orgId, 'whd_…') */
export async function getWebhookDelivery(
  sql: Sql,
  orgId: string,
  id: string,
): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await sql.query<WebhookDeliveryRow>(
    `select ${webhookDeliveryColumns()} from webhook_deliveries where id = $1 and org_id = $2`,
    [id, orgId],
  )
  return row
}
