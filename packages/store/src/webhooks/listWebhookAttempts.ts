/** Every attempt to send one delivery, first to last. */
import type { Sql } from '../Db.ts'
import { type WebhookAttemptRow, webhookAttemptColumns } from './WebhookAttemptRow.ts'

/**
 * Scoped by organisation: another organisation's delivery has no attempts here.
 *
 * @example const attempts = await listWebhookAttempts(db, orgId, 'whd_…')
 */
export async function listWebhookAttempts(
  sql: Sql,
  orgId: string,
  deliveryId: string,
): Promise<WebhookAttemptRow[]> {
  return sql.query<WebhookAttemptRow>(
    `select ${webhookAttemptColumns} from webhook_attempts
      where delivery_id = (select id from webhook_deliveries where id = $1 and org_id = $2)
      order by attempt`,
    [deliveryId, orgId],
  )
}
