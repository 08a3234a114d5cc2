/** Test support: a field removed from the data of a subject's audit entries, as an older Bursar wrote them. */
import type { Sql } from '../src/Db.ts'

/**
 * Removes `data.<key>` from every audit entry about `subjectId` (only those with `action`, when given): for tests
 * that make rows look as an older Bursar left them. Meant for unsealed entries; sealed ones no longer verify.
 *
 * @example await removeAuditDataKey(db, { subjectId: agentId, action: 'policy.set' }, 'document_hash')
 */
export async function removeAuditDataKey(
  sql: Sql,
  where: { subjectId: string; action?: string },
  key: string,
): Promise<void> {
  if (where.action === undefined) {
    await sql.query('update audit_log set data = data - $2::text where subject_id = $1', [
      where.subjectId,
      key,
    ])
  } else {
    await sql.query('update audit_log set data = data - $2::text where subject_id = $1 and action = $3', [
      where.subjectId,
      key,
      where.action,
    ])
  }
}
