/** The `Bursar-Signature` header of a webhook delivery: HMAC-SHA256 over the timestamp and the raw body. */
import { createHmac } from 'node:crypto'

/** The HTTP header carrying the signature (the SDK's `verifyWebhook` reads it). */
export const webhookSignatureHeader = 'Bursar-Signature'

export type SignWebhookParameters = {
  /** The exact bytes that will be sent as the request body. */
  body: string | Uint8Array
  /** Unix seconds; the receiver refuses deliveries outside its tolerance window. */
  timestamp: number
} & (
  | { secret: string }
  /** While a secret is being rotated, old and new both sign: one `v1=` each, in this order. */
  | { secrets: readonly string[] }
)

/** The header value: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export type SignWebhookReturnType = string

/**
 * Signs a delivery body. Each `v1` is hex HMAC-SHA256 keyed with the UTF-8 bytes of the whole secret
 * (`whsec_…`, prefix included) over `"<t>.<raw body>"`. No I/O, no clock: the caller passes the timestamp.
 *
 * @example
 * signWebhook({ secret: 'whsec_…', body: '{"type":"intent.confirmed"}', timestamp: 1767225600 })
 * // 't=1767225600,v1=5d41…'
 */
export function signWebhook(parameters: SignWebhookParameters): SignWebhookReturnType {
  const { body, timestamp } = parameters
  const secrets = 'secrets' in parameters ? parameters.secrets : [parameters.secret]
  if (!Number.isSafeInteger(timestamp) || timestamp < 0)
    throw new RangeError('signWebhook: timestamp must be a non-negative integer number of seconds')
  if (secrets.length === 0 || secrets.some((secret) => secret.length === 0))
    throw new RangeError('signWebhook: at least one non-empty secret is required')
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`,
  )
  return [`t=${timestamp}`, ...signatures].join(',')
}
