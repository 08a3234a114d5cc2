/** Test support: approval request rows rewritten in place, as a writer with database access could. */
import type { Sql } from '../src/Db.ts'

export type SetApprovalColumnsPatch = {
  status?: string
  approval_hash?: string
  executable_at?: Date
}

/** @example await setApprovalColumns(db, requestId, { status: 'approved', executable_at: new Date(0) }) */
export async function setApprovalColumns(
  sql: Sql,
  id: string,
  patch: SetApprovalColumnsPatch,
): Promise<void> {
  const params: unknown[] = [id]
  const assignments: string[] = []
  for (const column of ['status', 'approval_hash', 'executable_at'] as const) {
    if (!(column in patch)) continue
    params.push(patch[column])
    assignments.push(`${column} = $${params.length}`)
  }
  await sql.query(`update approval_requests set ${assignments.join(', ')} where id = $1`, params)
}
