/** Checks a webhook delivery's `Bursar-Signature` header with Web Crypto, so it runs in Node, Deno, Bun and edge runtimes. */

/** The HTTP header carrying the signature. Header names are case-insensitive (Node lower-cases them). */
export const webhookSignatureHeader = 'Bursar-Signature'

export type VerifyWebhookParameters = {
  /** The endpoint's secret (`whsec_…`), as shown once when the endpoint was created or rotated. */
  secret: string
  /** The raw body exactly as received: not parsed and re-serialised JSON, which changes the bytes. */
  body: string | Uint8Array
  /** The `Bursar-Signature` header value; a missing header (`null`/`undefined`) is `malformed`. */
  header: string | readonly string[] | null | undefined
  /** How far the signed timestamp may be from `now`, in either direction. Default 300 seconds. */
  toleranceSeconds?: number
  now?: Date
}

export type VerifyWebhookReturnType =
  | { ok: true /** The signed timestamp, unix seconds. */; timestamp: number }
  | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' }

// A real header is `t=` and one `v1=` per signing secret (two during a rotation); anything far longer is refused
// before any work is done on it.
const maxHeaderLength = 1024
const maxSignatures = 8
const timestampPattern = /^\d{1,12}$/
const signaturePattern = /^[0-9a-fA-F]{64}$/

const encoder = new TextEncoder()

/**
 * Verifies a delivery: the header must carry one `t=` and at least one `v1=` (unknown schemes such as a future
 * `v2=` are ignored), one `v1` must equal HMAC-SHA256(secret, `"<t>.<raw body>"`) — compared in constant time by
 * `crypto.subtle.verify` — and `t` must lie within `toleranceSeconds` of `now`, which refuses replays of old
 * deliveries. Never throws on what arrived over the wire; the reason says what was wrong.
 *
 * @example
 * const result = await verifyWebhook({
 *   secret: process.env.BURSAR_WEBHOOK_SECRET!,
 *   body: await request.text(),
 *   header: request.headers.get('bursar-signature'),
 * })
 * if (!result.ok) return new Response(result.reason, { status: 400 })
 */
export async function verifyWebhook(parameters: VerifyWebhookParameters): Promise<VerifyWebhookReturnType> {
  const { secret, body, header, toleranceSeconds = 300, now = new Date() } = parameters
  if (!(toleranceSeconds >= 0) || Number.isNaN(now.getTime()))
    throw new RangeError('verifyWebhook: toleranceSeconds must be >= 0 and now a valid date')

  const parsed = parseHeader(header)
  if (!parsed) return { ok: false, reason: 'malformed' }

  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  )
  const data = concat(
    encoder.encode(`${parsed.timestamp}.`),
    typeof body === 'string' ? encoder.encode(body) : body,
  )
  let matched = false
  for (const signature of parsed.signatures) {
    // Every candidate is checked, so the time taken does not depend on which one matched.
    if (await crypto.subtle.verify('HMAC', key, signature, data)) matched = true
  }
  if (!matched) return { ok: false, reason: 'mismatch' }

  const skew = Math.abs(Math.floor(now.getTime() / 1000) - parsed.timestamp)
  if (skew > toleranceSeconds) return { ok: false, reason: 'expired' }
  return { ok: true, timestamp: parsed.timestamp }
}

function parseHeader(
  header: string | readonly string[] | null | undefined,
): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } | undefined {
  if (header === null || header === undefined) return undefined
  // Node joins a repeated header with ', '; a framework may hand over the values as an array.
  const value = typeof header === 'string' ? header : Array.isArray(header) ? header.join(',') : undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > maxHeaderLength) return undefined

  let timestamp: number | undefined
  const signatures: Uint8Array<ArrayBuffer>[] = []
  for (const part of value.split(',')) {
    const separator = part.indexOf('=')
    if (separator <= 0) return undefined
    const name = part.slice(0, separator).trim()
    const content = part.slice(separator + 1).trim()
    if (name === 't') {
      if (timestamp !== undefined || !timestampPattern.test(content)) return undefined
      timestamp = Number(content)
    } else if (name === 'v1') {
      if (!signaturePattern.test(content) || signatures.length === maxSignatures) return undefined
      signatures.push(fromHex(content))
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined
  return { timestamp, signatures }
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(a.length + b.length)
  bytes.set(a, 0)
  bytes.set(b, a.length)
  return bytes
}
