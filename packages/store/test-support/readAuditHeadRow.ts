/** Test support: the audit chain's head, read straight from its table. */
import type { Sql } from '../src/Db.ts'
import type { AuditHeadRow } from './AuditHeadRow.ts'

/**
 * The head row (last sealed seq, its hash, and the signature over them), for tests that save it and put it back.
 *
 * @example const head = await readAuditHeadRow(db)
 */
export async function readAuditHeadRow(sql: Sql): Promise<AuditHeadRow> {
  const [row] = await sql.query<AuditHeadRow>('select * from audit_head')
  return row!
}
