/** Logs one attempt to send a delivery and moves the delivery on: delivered, due again later, or failed. */
import type { Sql } from '../Db.ts'

export type RecordWebhookAttemptParameters = {
  deliveryId: string
  /** This attempt's number: the delivery's `attempts` when it was claimed, plus one. */
  attempt: number
  at: Date
  /** The receiver's HTTP status; null when no response came. */
  status: number | null
  /** Why it failed when no response came (a timeout, a reset connection); never a secret or a URL. */
  error: string | null
  durationMs: number
  /** What becomes of the delivery: sent, tried again at `retryAt`, or given up on. */
  outcome: 'delivered' | 'failed' | { retryAt: Date }
}

/**
 * One statement. The attempt is logged, and the delivery moves on only if it is still pending with `attempt - 1`
 * attempts: when this worker's lease ran out and another worker already recorded this attempt, neither the log nor
 * the delivery changes twice. The lease ends either way. Returns whether the delivery moved.
 *
 * @example
 * await recordWebhookAttempt(db, { deliveryId, attempt: 1, at, status: 503, error: null, durationMs: 41,
 *   outcome: { retryAt } })
 */
export async function recordWebhookAttempt(
  sql: Sql,
  parameters: RecordWebhookAttemptParameters,
): Promise<boolean> {
  const { outcome } = parameters
  const status = typeof outcome === 'string' ? outcome : 'pending'
  const retryAt = typeof outcome === 'string' ? null : outcome.retryAt
  const rows = await sql.query<{ id: string }>(
    `with attempt as (
       insert into webhook_attempts (delivery_id, attempt, at, status, error, duration_ms)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (delivery_id, attempt) do nothing
       returning delivery_id
     )
     update webhook_deliveries set attempts = $2, status = $7, lease_until = null, last_status = $4, last_error = $5,
            next_attempt_at = coalesce($8, next_attempt_at),
            delivered_at = case when $7 = 'delivered' then $3::timestamptz end
      where id = $1 and status = 'pending' and attempts = $2 - 1 and exists (select 1 from attempt)
     returning id`,
    [
      parameters.deliveryId,
      parameters.attempt,
      parameters.at,
      parameters.status,
      parameters.error,
      Math.max(0, Math.round(parameters.durationMs)),
      status,
      retryAt,
    ],
  )
  return rows.length > 0
}
