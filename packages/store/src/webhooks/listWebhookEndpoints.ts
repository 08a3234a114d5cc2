/** An organisation's webhook endpoints, oldest first: enabled ones, or every one with `includeDisabled`. */
import type { Sql } from '../Db.ts'
import { type WebhookEndpointRow, webhookEndpointColumns } from './WebhookEndpointRow.ts'

/** @example const endpoints = await listWebhookEndpoints(db, orgId) */
export async function listWebhookEndpoints(
  sql: Sql,
  orgId: string,
  options: { includeDisabled?: boolean } = {},
): Promise<WebhookEndpointRow[]> {
  return sql.query<WebhookEndpointRow>(
    `select ${webhookEndpointColumns} from webhook_endpoints
      where org_id = $1${options.includeDisabled ? '' : ' and disabled_at is null'} order by id`,
    [orgId],
  )
}
