/** Test support: intent rows rewritten in place, as a writer with database access could, around Bursar's checks. */
import type { IntentStatus } from '@bursar/core/api'
import type { Sql } from '../src/Db.ts'
import type { IntentRow } from '../src/intents/IntentRow.ts'

export type SetIntentColumnsTarget = { id: string } | { ids: readonly string[] } | { status: IntentStatus }

export type SetIntentColumnsPatch = {
  status?: IntentStatus
  nonce?: number | null
  raw_tx?: string | null
  tx_hash?: string | null
  error?: IntentRow['error']
  decision_mac?: string | null
  /** The decided transaction (JSON), as a writer swapping what an approval was bound to would set it. */
  tx?: unknown
  /** `'now'`: due at the database's clock, so the next worker pass picks the intent up. */
  next_attempt_at?: 'now' | Date
  cancel_requested_at?: Date | null
  last_sent_at?: Date | null
}

const patchable = [
  'status',
  'nonce',
  'raw_tx',
  'tx_hash',
  'error',
  'decision_mac',
  'tx',
  'next_attempt_at',
  'cancel_requested_at',
  'last_sent_at',
] as const

/**
 * Sets columns of the targeted intents directly, skipping the transition table, the MACs and the audit log: for
 * tests only, to write what the server never would (a status set back, a foreign raw transaction, a stripped
 * MAC) or to make an intent due now. Returns nothing; the rows are changed in place.
 *
 * @example await setIntentColumns(db, { id }, { status: 'queued', next_attempt_at: 'now' })
 */
export async function setIntentColumns(
  sql: Sql,
  target: SetIntentColumnsTarget,
  patch: SetIntentColumnsPatch,
): Promise<void> {
  const params: unknown[] = ['id' in target ? target.id : 'ids' in target ? target.ids : target.status]
  const assignments: string[] = []
  for (const column of patchable) {
    if (!(column in patch)) continue
    const value = patch[column]
    if (column === 'next_attempt_at' && value === 'now') {
      assignments.push('next_attempt_at = now()')
      continue
    }
    params.push((column === 'error' || column === 'tx') && value !== null ? JSON.stringify(value) : value)
    assignments.push(`${column} = $${params.length}`)
  }
  if (assignments.length === 0) throw new Error('nothing to set')
  const where = 'id' in target ? 'id = $1' : 'ids' in target ? 'id = any($1::text[])' : 'status = $1'
  await sql.query(`update intents set ${assignments.join(', ')} where ${where}`, params)
}
