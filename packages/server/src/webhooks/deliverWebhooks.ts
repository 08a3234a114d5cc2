/** One pass of the webhook worker: claim due deliveries, send each signed, record every attempt. */
import type { Keystore } from '@bursar/keys/keystore'
import {
  type ClaimedWebhookDelivery,
  claimWebhookDeliveries,
  type Db,
  type RecordWebhookAttemptParameters,
  recordWebhookAttempt,
} from '@bursar/store'
import type { Logger } from '../logger.ts'
import { openWebhookSecret } from './openWebhookSecret.ts'
import { nonPublicDestination } from './publicDestination.ts'
import { signWebhook, webhookSignatureHeader } from './signWebhook.ts'
import { webhookBackoff } from './webhookBackoff.ts'

export type DeliverWebhooksParameters = {
  db: Db
  keystore: Pick<Keystore, 'openSecret'>
  logger: Pick<Logger, 'warn'>
  /** Sends the requests; default: the global fetch. */
  fetch?: typeof fetch
  /** The moment of this pass (deliveries due by it, the signature's timestamp, retry times); default: the clock. */
  now?: Date
  /** In [0, 1), for the retry jitter; default Math.random. */
  random?: () => number
  /** Most deliveries sent in one pass, all at once. Default 20. */
  limit?: number
  /** How long a receiver has to answer. Default 10 s. */
  timeoutMs?: number
  /** Send to loopback, private and link-local addresses too (receivers on the operator's own network). Default false. */
  allowPrivateNetworks?: boolean
}

export type DeliverWebhooksReturnType = {
  /** Deliveries this pass claimed and sent (or tried to). */
  claimed: number
  delivered: number
  /** Failed this time, due again later. */
  retrying: number
  /** Failed for the last time. */
  failed: number
}

/** The headers a delivery carries beside the signature. */
const deliveryHeader = 'Bursar-Delivery'
const eventHeader = 'Bursar-Event'

/**
 * Claims due deliveries with a lease (claimWebhookDeliveries), so any number of processes may run passes at once and
 * none sends a delivery another is sending; a process that dies mid-pass leaves leases that run out, and the
 * deliveries are sent again then (at least once: receivers deduplicate by the payload's `id`). Each is POSTed with
 * `content-type: application/json`, `Bursar-Signature` (every secret that signs now: two during a rotation),
 * `Bursar-Delivery` and `Bursar-Event`; the bytes signed are the bytes sent. A 2xx answer within the timeout is
 * delivered; anything else (another status, a redirect, no answer, a refused or reset connection) is tried again after
 * webhookBackoff, and after the last attempt the delivery fails. Every attempt is logged. Neither the secret nor the
 * URL (which may hold a token) reaches a log line or the attempt log.
 *
 * @example
 * startLoop('webhooks', ctx.logger, 1_000, async () => (await deliverWebhooks(ctx)).claimed > 0)
 */
export async function deliverWebhooks(
  parameters: DeliverWebhooksParameters,
): Promise<DeliverWebhooksReturnType> {
  const { db, keystore, logger } = parameters
  const send = parameters.fetch ?? fetch
  const clock = () => parameters.now ?? new Date()
  const random = parameters.random ?? Math.random
  const timeoutMs = parameters.timeoutMs ?? 10_000
  // Longer than any send can take, so only a worker that died loses its lease.
  const leaseSeconds = Math.ceil(timeoutMs / 1000) + 50

  const claimed = await claimWebhookDeliveries(db, {
    now: clock(),
    limit: parameters.limit ?? 20,
    leaseSeconds,
  })
  const result: DeliverWebhooksReturnType = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 }

  const deliver = async (delivery: ClaimedWebhookDelivery) => {
    const attempt = delivery.attempts + 1
    const sent = await attemptDelivery(delivery, {
      keystore,
      send,
      now: clock(),
      timeoutMs,
      allowPrivateNetworks: parameters.allowPrivateNetworks ?? false,
    })
    const outcome: RecordWebhookAttemptParameters['outcome'] = sent.ok
      ? 'delivered'
      : retryOrFail(attempt, sent.at, random)
    await recordWebhookAttempt(db, {
      deliveryId: delivery.id,
      attempt,
      at: sent.at,
      status: sent.status,
      error: sent.error,
      durationMs: sent.durationMs,
      outcome,
    })
    if (outcome === 'delivered') {
      result.delivered++
      return
    }
    if (outcome === 'failed') result.failed++
    else result.retrying++
    logger.warn(
      {
        webhook_delivery: delivery.id,
        webhook_endpoint: delivery.endpoint_id,
        attempt,
        status: sent.status,
        error: sent.error,
      },
      outcome === 'failed'
        ? 'webhook delivery failed for the last time'
        : 'webhook delivery failed; will retry',
    )
  }

  // Every send finishes and is recorded before a failure to record one is reported.
  const settled = await Promise.allSettled(claimed.map(deliver))
  const rejected = settled.find((outcome) => outcome.status === 'rejected')
  if (rejected) throw rejected.reason
  return result
}

type AttemptResult = {
  ok: boolean
  at: Date
  status: number | null
  error: string | null
  durationMs: number
}

async function attemptDelivery(
  delivery: ClaimedWebhookDelivery,
  options: {
    keystore: Pick<Keystore, 'openSecret'>
    send: typeof fetch
    now: Date
    timeoutMs: number
    allowPrivateNetworks: boolean
  },
): Promise<AttemptResult> {
  const at = options.now
  // Checked at every attempt: a name can be pointed somewhere else after the endpoint was added.
  const refused = options.allowPrivateNetworks ? undefined : await nonPublicDestination(delivery.url)
  if (refused !== undefined) return { ok: false, at, status: null, error: refused, durationMs: 0 }
  let secrets: string[]
  try {
    secrets = [delivery.previous_secret, delivery.secret]
      .filter((sealed) => sealed !== null && sealed !== undefined)
      .map((sealed) => openWebhookSecret(options.keystore, delivery.endpoint_id, sealed))
  } catch {
    // Tampering or a restore under another seed: nothing to sign with, so nothing is sent; retried like any failure.
    return { ok: false, at, status: null, error: 'signing secret does not open', durationMs: 0 }
  }
  // Serialised once: these bytes are signed and these bytes are sent.
  const body = new TextEncoder().encode(JSON.stringify(delivery.payload))
  const signature = signWebhook({ secrets, body, timestamp: Math.floor(at.getTime() / 1000) })
  const started = performance.now()
  try {
    const response = await options.send(delivery.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Bursar-Webhooks',
        [webhookSignatureHeader]: signature,
        [deliveryHeader]: delivery.id,
        [eventHeader]: delivery.event_type,
      },
      body,
      // A redirect is an answer like any other non-2xx: following it would send the event somewhere not configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    // The answer's body is not read; dropping it frees the connection.
    await response.body?.cancel().catch(() => {})
    const ok = response.status >= 200 && response.status < 300
    return { ok, at, status: response.status, error: null, durationMs: performance.now() - started }
  } catch (error) {
    return {
      ok: false,
      at,
      status: null,
      error: describeFailure(error, options.timeoutMs),
      durationMs: performance.now() - started,
    }
  }
}

function retryOrFail(
  attempt: number,
  at: Date,
  random: () => number,
): RecordWebhookAttemptParameters['outcome'] {
  const delay = webhookBackoff(attempt, random)
  return delay === null ? 'failed' : { retryAt: new Date(at.getTime() + delay) }
}

/** Why no answer came, in a few words: the error's name or code only, never its message (it may name the URL). */
function describeFailure(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,39}$/.test(code)) return `connection failed (${code})`
  return 'connection failed'
}
