/** Test support: audit rows deleted, as an attacker with database access (or a test restoring a snapshot) would. */
import type { Sql } from '../src/Db.ts'

export type DeleteAuditRowsTarget =
  | { sealed: true }
  | { afterSeq: number }
  | { subjectId: string; action: string }

/**
 * Deletes the targeted audit rows: every sealed one, those sealed after `afterSeq` (a cut-back tail), or a
 * subject's entries of one action. The server never deletes an audit row; this is for tests.
 *
 * @example await deleteAuditRows(db, { afterSeq: head.seq })
 */
export async function deleteAuditRows(sql: Sql, target: DeleteAuditRowsTarget): Promise<void> {
  if ('sealed' in target) await sql.query('delete from audit_log where seq is not null')
  else if ('afterSeq' in target) await sql.query('delete from audit_log where seq > $1', [target.afterSeq])
  else
    await sql.query('delete from audit_log where subject_id = $1 and action = $2', [
      target.subjectId,
      target.action,
    ])
}
