/** Work for the webhook worker: due deliveries, leased to this worker so that no other sends them meanwhile. */
import type { Sql } from '../Db.ts'
import { type WebhookDeliveryRow, webhookDeliveryColumns } from './WebhookDeliveryRow.ts'

export type ClaimWebhookDeliveriesParameters = {
  /** The moment deliveries are due by, and the lease runs from (tests look ahead). */
  now: Date
  limit: number
  /** How long the claim holds: longer than a send can take, so only a worker that died loses it. */
  leaseSeconds: number
}

/** A claimed delivery with what sending it takes: where to, and the sealed secrets that sign it. */
export type ClaimedWebhookDelivery = WebhookDeliveryRow & {
  url: string
  /** Sealed (open with the keystore, purpose 'webhook', the endpoint id). */
  secret: unknown
  /** The secret before the latest rotation while it still signs at `now`, sealed; null otherwise. */
  previous_secret: unknown
}

/**
 * One statement, so it commits by itself: due deliveries (pending, `next_attempt_at` passed, no live lease) of enabled
 * endpoints, oldest due first, get `lease_until = now + leaseSeconds`. Rows another worker is claiming at the same
 * moment are skipped (`for update skip locked`), never waited on, and once leased they are not due for anyone else:
 * two workers never send one delivery at once. A worker that dies mid-send leaves a lease that runs out; the
 * delivery is claimed again then.
 *
 * @example const claimed = await claimWebhookDeliveries(db, { now: new Date(), limit: 20, leaseSeconds: 60 })
 */
export async function claimWebhookDeliveries(
  sql: Sql,
  parameters: ClaimWebhookDeliveriesParameters,
): Promise<ClaimedWebhookDelivery[]> {
  return sql.query<ClaimedWebhookDelivery>(
    `with due as (
       select d.id from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
        where d.status = 'pending' and d.next_attempt_at <= $1 and (d.lease_until is null or d.lease_until <= $1)
          and e.disabled_at is null
        order by d.next_attempt_at, d.id limit $2
        for update of d skip locked
     )
     update webhook_deliveries d set lease_until = $1::timestamptz + make_interval(secs => $3)
       from due, webhook_endpoints e
      where d.id = due.id and e.id = d.endpoint_id
     returning ${webhookDeliveryColumns('d')}, e.url, e.secret,
       case when e.previous_secret_expires_at > $1 then e.previous_secret end as previous_secret`,
    [parameters.now, parameters.limit, parameters.leaseSeconds],
  )
}
