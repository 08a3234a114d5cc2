/** Test support: one field of one audit entry's data changed in place. */
import type { Sql } from '../src/Db.ts'

/**
 * Sets `data.<key>` of the entry with sequence number `seq` to `value` (as JSON), leaving its hashes alone: for
 * tests of how the chain check finds a tampered row.
 *
 * @example await setAuditDataKey(db, seq, 'block_number', 999999)
 */
export async function setAuditDataKey(sql: Sql, seq: number, key: string, value: unknown): Promise<void> {
  await sql.query('update audit_log set data = jsonb_set(data, array[$2::text], $3::jsonb) where seq = $1', [
    seq,
    key,
    JSON.stringify(value),
  ])
}
