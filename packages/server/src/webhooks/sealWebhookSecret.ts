/** Seals a webhook endpoint's signing secret for storage, bound to the endpoint. */
import type { Keystore, SealedSecret } from '@bursar/keys/keystore'

/**
 * AES-256-GCM under a key derived from the master seed, bound by its additional data to purpose 'webhook' and the
 * endpoint id: a database reader learns nothing, and a box copied onto another endpoint does not open there.
 *
 * @example const sealed = sealWebhookSecret(keystore, endpointId, newWebhookSecret())
 */
export function sealWebhookSecret(
  keystore: Pick<Keystore, 'sealSecret'>,
  endpointId: string,
  secret: string,
): SealedSecret {
  const plaintext = new TextEncoder().encode(secret)
  try {
    return keystore.sealSecret('webhook', endpointId, plaintext)
  } finally {
    plaintext.fill(0)
  }
}
