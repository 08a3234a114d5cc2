/** Opens a webhook endpoint's sealed signing secret, to sign a delivery. */
import { BursarError } from '@bursar/core/errors'
import type { Keystore, SealedSecret } from '@bursar/keys/keystore'

/**
 * The secret as it was shown once (`whsec_…`). A box that does not open (altered, copied from another endpoint,
 * sealed under another seed) is INTERNAL, naming the endpoint and nothing of the box.
 *
 * @example const secret = openWebhookSecret(keystore, delivery.endpoint_id, delivery.secret)
 * @throws BursarError INTERNAL
 */
export function openWebhookSecret(
  keystore: Pick<Keystore, 'openSecret'>,
  endpointId: string,
  sealed: unknown,
): string {
  const plaintext = keystore.openSecret('webhook', endpointId, sealed as SealedSecret)
  if (plaintext === undefined) {
    throw new BursarError('INTERNAL', 'webhook secret does not open', { details: { endpointId } })
  }
  try {
    return new TextDecoder().decode(plaintext)
  } finally {
    plaintext.fill(0)
  }
}
