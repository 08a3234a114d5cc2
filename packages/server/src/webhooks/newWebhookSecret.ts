/** Webhook endpoint secrets: 256 random bits behind a visible `whsec_` prefix, like the other Bursar secrets. */
import { randomBytes } from 'node:crypto'

/**
 * A new endpoint secret, shown to the owner once. Unlike bearer secrets it cannot be stored only as a hash: the
 * server needs it to sign every delivery, so it is kept sealed.
 *
 * @example
 * newWebhookSecret() // 'whsec_Jk3…' (43 base64url characters after the prefix)
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`
}
