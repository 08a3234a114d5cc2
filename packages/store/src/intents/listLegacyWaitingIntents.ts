/** Upgrade sealing: waiting intents an older Bursar decided, before decisions carried a MAC. */
import type { Sql } from '../Db.ts'
import type { IntentRow } from './IntentRow.ts'

/**
 * Waiting intents decided by an older Bursar: no decision MAC, and an intent.decided entry without the fee ceiling
 * every decision records since. A row with no decision entry was never decided by Bursar and is not a candidate.
 */
export async function listLegacyWaitingIntents(sql: Sql): Promise<IntentRow[]> {
  return sql.query<IntentRow>(
    `select i.* from intents i
      where i.status in ('queued', 'approved', 'pending_approval') and i.decision_mac is null
        and exists (select 1 from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                     and l.action = 'intent.decided' and not l.data ? 'max_fee')
        and not exists (select 1 from audit_log l where l.subject_type = 'intent' and l.subject_id = i.id
                         and l.action = 'intent.decided' and l.data ? 'max_fee')`,
  )
}
