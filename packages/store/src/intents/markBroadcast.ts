/** Many intents signed → broadcast in one statement: their reservations committed, events and audit entries written. */
import { assertIntentTransition } from '@bursar/core/intents'
import type { Sql } from '../Db.ts'
import { insertAuditRows } from '../fragments/insertAuditRows.ts'
import { insertIntentEventRows } from '../fragments/insertIntentEventRows.ts'

/** Returns the ids it moved; rows no longer signed are left alone. */
export async function markBroadcast(tx: Sql, sent: ReadonlyArray<{ id: string }>): Promise<string[]> {
  assertIntentTransition('signed', 'broadcast')
  if (sent.length === 0) return []
  const rows = await tx.query<{ id: string }>(
    `with u as (
       update intents i set status = 'broadcast', next_attempt_at = now(), last_sent_at = now(), updated_at = now()
        where i.id = any($1::text[]) and i.status = 'signed'
       returning i.id, i.tx_hash, i.nonce),
     r as (update spend_reservations s set status = 'committed', updated_at = now()
            from u where s.intent_id = u.id and s.status = 'reserved'),
     e as (${insertIntentEventRows(`select id, 'signed', 'broadcast', '{}'::jsonb from u`)}),
     a as (${insertAuditRows(
       `select $2::timestamptz, 'system', null, 'intent.broadcast', 'intent', id,
               jsonb_build_object('tx_hash', tx_hash, 'nonce', nonce) from u`,
     )})
     select id from u`,
    [sent.map((s) => s.id), new Date().toISOString()],
  )
  return rows.map((row) => row.id)
}
