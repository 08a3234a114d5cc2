/** Creates a webhook endpoint of an organisation, its secret stored sealed. */
import type { Sql } from '../Db.ts'
import { type WebhookEndpointRow, webhookEndpointColumns } from './WebhookEndpointRow.ts'
import { webhookId } from './webhookId.ts'

export type InsertWebhookEndpointParameters = {
  orgId: string
  url: string
  description: string | null
  eventTypes: readonly string[]
  /**
   * Seals the secret for the new endpoint's id (the keystore binds a sealed secret to its record, and the id is made
   * here). Whatever it returns is stored as JSON; it must not be the plaintext.
   */
  sealSecret(endpointId: string): unknown
}

/**
 * @example
 * const endpoint = await insertWebhookEndpoint(tx, {
 *   orgId, url: 'https://example.com/hooks', description: null, eventTypes: ['intent.*'],
 *   sealSecret: (id) => keystore.sealSecret('webhook', id, plaintext),
 * })
 */
export async function insertWebhookEndpoint(
  tx: Sql,
  parameters: InsertWebhookEndpointParameters,
): Promise<WebhookEndpointRow> {
  const id = webhookId('whk')
  const [row] = await tx.query<WebhookEndpointRow>(
    `insert into webhook_endpoints (id, org_id, url, description, event_types, secret)
     values ($1, $2, $3, $4, $5::jsonb, $6::jsonb) returning ${webhookEndpointColumns}`,
    [
      id,
      parameters.orgId,
      parameters.url,
      parameters.description,
      JSON.stringify(parameters.eventTypes),
      JSON.stringify(parameters.sealSecret(id)),
    ],
  )
  return row!
}
