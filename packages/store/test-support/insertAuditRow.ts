/** Test support: an audit row written with SQL alone: forged, or put back after a test cut the chain. */
import type { Sql } from '../src/Db.ts'
import type { AuditLogRow } from './AuditLogRow.ts'

export type InsertAuditRowParameters = Omit<AuditLogRow, 'id' | 'seq' | 'ts' | 'prev_hash' | 'hash'> &
  Partial<Pick<AuditLogRow, 'seq' | 'ts' | 'prev_hash' | 'hash'>>

const columns = [
  'seq',
  'ts',
  'actor_type',
  'actor_id',
  'action',
  'subject_type',
  'subject_id',
  'data',
  'prev_hash',
  'hash',
] as const

/**
 * Inserts one audit row as given, bypassing appendAudit and the sealer: for tests that forge an entry or restore
 * rows they deleted. `ts` left out is the database's `now()`; `seq` and the hashes left out stay null (unsealed).
 *
 * @example await insertAuditRow(db, { actor_type: 'agent', actor_id, action: 'intent.decided', subject_type: 'intent', subject_id, data: {} })
 */
export async function insertAuditRow(sql: Sql, row: InsertAuditRowParameters): Promise<void> {
  const present = columns.filter((column) => row[column] !== undefined)
  const params: unknown[] = []
  const values = present.map((column) => {
    params.push(column === 'data' ? JSON.stringify(row.data) : row[column])
    return `$${params.length}`
  })
  const names: string[] = [...present]
  if (row.ts === undefined) {
    names.splice(0, 0, 'ts')
    values.splice(0, 0, 'now()')
  }
  await sql.query(`insert into audit_log (${names.join(', ')}) values (${values.join(', ')})`, params)
}
