/** Test support: one audit entry rewritten in place, as an attacker with database access could. */
import type { Sql } from '../src/Db.ts'
import type { AuditLogRow } from './AuditLogRow.ts'

export type SetAuditEntryPatch = Partial<Pick<AuditLogRow, 'action' | 'data' | 'prev_hash' | 'hash'>>

const patchable = ['action', 'data', 'prev_hash', 'hash'] as const

/**
 * Overwrites columns of the entry with sequence number `seq`, re-linking nothing: for tests of how the audit check
 * finds a rewritten entry (or to put the original back).
 *
 * @example await setAuditEntry(db, 3, { action: 'intent.rewritten' })
 */
export async function setAuditEntry(sql: Sql, seq: number, patch: SetAuditEntryPatch): Promise<void> {
  const params: unknown[] = [seq]
  const assignments: string[] = []
  for (const column of patchable) {
    if (patch[column] === undefined) continue
    params.push(column === 'data' ? JSON.stringify(patch.data) : patch[column])
    assignments.push(`${column} = $${params.length}`)
  }
  if (assignments.length === 0) throw new Error('nothing to set')
  await sql.query(`update audit_log set ${assignments.join(', ')} where seq = $1`, params)
}
