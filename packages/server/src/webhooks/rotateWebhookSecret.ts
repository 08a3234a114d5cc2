/** Gives a webhook endpoint a new signing secret; the old one keeps signing beside it for a day. */
import { BursarError } from '@bursar/core/errors'
import type { Keystore } from '@bursar/keys/keystore'
import { type Db, rotateWebhookEndpointSecret, type WebhookEndpointRow } from '@bursar/store'
import { newWebhookSecret } from './newWebhookSecret.ts'
import { sealWebhookSecret } from './sealWebhookSecret.ts'

export type RotateWebhookSecretDependencies = { db: Db; keystore: Pick<Keystore, 'sealSecret'> }

export type RotateWebhookSecretReturnType = {
  endpoint: WebhookEndpointRow
  /** The new `whsec_…`, shown once. */
  secret: string
}

// ADR 0007: both secrets sign for 24 hours, time for the receiver to switch without refusing a delivery.
const overlapSeconds = 24 * 60 * 60

/**
 * Deliveries carry a `v1=` for each secret until `endpoint.previous_secret_expires_at`, so a receiver holding either
 * accepts them. Rotating again within the overlap ends the oldest secret at once: two sign at most. Throws
 * WEBHOOK_NOT_FOUND when the organisation has no such endpoint.
 *
 * @example const { secret } = await rotateWebhookSecret(ctx, orgId, 'whk_…')
 * @throws BursarError WEBHOOK_NOT_FOUND
 */
export async function rotateWebhookSecret(
  deps: RotateWebhookSecretDependencies,
  orgId: string,
  endpointId: string,
): Promise<RotateWebhookSecretReturnType> {
  const secret = newWebhookSecret()
  const endpoint = await rotateWebhookEndpointSecret(deps.db, orgId, endpointId, {
    secret: sealWebhookSecret(deps.keystore, endpointId, secret),
    overlapSeconds,
  })
  if (!endpoint) {
    throw new BursarError('WEBHOOK_NOT_FOUND', 'no such webhook endpoint', { details: { id: endpointId } })
  }
  return { endpoint, secret }
}
