/** One webhook endpoint of an organisation: another organisation's looks missing. */
import type { Sql } from '../Db.ts'
import { type WebhookEndpointRow, webhookEndpointColumns } from './WebhookEndpointRow.ts'

/** Disabled endpoints too (their delivery log stays readable). @example await getWebhookEndpoint(db, orgId, 'whk_…') */
export async function getWebhookEndpoint(
  sql: Sql,
  orgId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await sql.query<WebhookEndpointRow>(
    `select ${webhookEndpointColumns} from webhook_endpoints where id = $1 and org_id = $2`,
    [id, orgId],
  )
  return row
}
