/** Test support: a policy version row written with SQL alone. */
import type { Sql } from '../src/Db.ts'
import type { PolicyRow } from '../src/policies.ts'

export type InsertPolicyRowParameters = Omit<PolicyRow, 'created_at'> & { created_at?: Date }

const columns = [
  'agent_id',
  'version',
  'document',
  'created_by',
  'created_at',
  'document_hash',
  'mac',
] as const

/**
 * Inserts a policy version exactly as given (its version number, hash and MAC are the caller's; no audit entry):
 * for tests that write a version as an older Bursar or a lock holder would, or put back one they deleted.
 * `created_at` left out takes the database's default.
 *
 * @example await insertPolicyRow(db, { agent_id, version: 2, document, created_by: 'test', document_hash, mac })
 */
export async function insertPolicyRow(sql: Sql, row: InsertPolicyRowParameters): Promise<void> {
  const present = columns.filter((column) => row[column] !== undefined)
  const values = present.map((column) => (column === 'document' ? JSON.stringify(row.document) : row[column]))
  await sql.query(
    `insert into policies (${present.join(', ')}) values (${present.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  )
}
