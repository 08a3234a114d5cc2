/** Sets when workers look at intents next: a lease on claimed rows, a paused agent's recheck, a confirmer's wait. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../Db.ts'
import { intentStatusLiteral } from '../fragments/intentStatusLiteral.ts'

/**
 * `onlyIf` leaves rows alone that moved to another status meanwhile; `onlyLater` never brings a row's next look
 * forward (someone scheduled it later on purpose). Does not count an attempt (see retryIntentAt).
 */
export async function scheduleIntents(
  tx: Sql,
  ids: readonly string[],
  at: Date,
  options: { onlyIf?: IntentStatus; onlyLater?: boolean } = {},
): Promise<void> {
  if (ids.length === 0) return
  const guard = options.onlyIf === undefined ? '' : ` and status = ${intentStatusLiteral(options.onlyIf)}`
  const value = options.onlyLater ? 'greatest(next_attempt_at, $2)' : '$2'
  await tx.query(`update intents set next_attempt_at = ${value} where id = any($1::text[])${guard}`, [
    ids,
    at,
  ])
}
