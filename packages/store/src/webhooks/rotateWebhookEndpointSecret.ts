/** Replaces a webhook endpoint's secret; the one it replaces keeps signing beside it for an overlap. */
import type { Sql } from '../Db.ts'
import { type WebhookEndpointRow, webhookEndpointColumns } from './WebhookEndpointRow.ts'

export type RotateWebhookEndpointSecretParameters = {
  /** The new secret, sealed for this endpoint's id; stored as JSON. */
  secret: unknown
  /** How long the replaced secret keeps signing, from now (the database's clock). ADR 0007: 24 hours. */
  overlapSeconds: number
}

/**
 * The current secret becomes the previous one until `now() + overlapSeconds`; a secret that was still overlapping
 * from an earlier rotation stops signing at once (two sign at most). Undefined when the organisation has no such
 * endpoint.
 *
 * @example
 * await rotateWebhookEndpointSecret(tx, orgId, id, { secret: keystore.sealSecret('webhook', id, plaintext),
 *   overlapSeconds: 86_400 })
 */
export async function rotateWebhookEndpointSecret(
  tx: Sql,
  orgId: string,
  id: string,
  parameters: RotateWebhookEndpointSecretParameters,
): Promise<WebhookEndpointRow | undefined> {
  const [row] = await tx.query<WebhookEndpointRow>(
    `update webhook_endpoints
        set previous_secret = secret, previous_secret_expires_at = now() + make_interval(secs => $3),
            secret = $4::jsonb
      where id = $1 and org_id = $2 returning ${webhookEndpointColumns}`,
    [id, orgId, parameters.overlapSeconds, JSON.stringify(parameters.secret)],
  )
  return row
}
