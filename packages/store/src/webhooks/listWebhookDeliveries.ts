/** The delivery log of one webhook endpoint, newest first, a page at a time. */
import type { Sql } from '../Db.ts'
import { conditions } from '../fragments/conditions.ts'
import {
  type WebhookDeliveryRow,
  type WebhookDeliveryStatus,
  webhookDeliveryColumns,
} from './WebhookDeliveryRow.ts'

export type ListWebhookDeliveriesParameters = {
  orgId: string
  endpointId: string
  status?: WebhookDeliveryStatus
  /** A delivery id: only older ones (the cursor of the previous page's last row). */
  before?: string
  limit: number
}

/**
 * Scoped by organisation: another organisation's endpoint has no deliveries here.
 *
 * @example const page = await listWebhookDeliveries(db, { orgId, endpointId, limit: 50 })
 */
export async function listWebhookDeliveries(
  sql: Sql,
  parameters: ListWebhookDeliveriesParameters,
): Promise<WebhookDeliveryRow[]> {
  const filters = conditions()
  filters.add('org_id = ?', parameters.orgId)
  filters.add('endpoint_id = ?', parameters.endpointId)
  if (parameters.status !== undefined) filters.add('status = ?', parameters.status)
  if (parameters.before !== undefined) filters.add('id < ?', parameters.before)
  filters.params.push(parameters.limit)
  return sql.query<WebhookDeliveryRow>(
    `select ${webhookDeliveryColumns()} from webhook_deliveries${filters.where()}
      order by id desc limit $${filters.params.length}`,
    filters.params,
  )
}
