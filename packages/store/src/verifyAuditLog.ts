/** Recomputes the whole audit chain from the database and reports the first broken link. */
import { createAuditVerifier, type VerifyAuditChainReturnType } from '@bursar/core/audit'
import { listAudit } from './auditLog.ts'
import type { Sql } from './Db.ts'

export async function verifyAuditLog(sql: Sql, pageSize = 1000): Promise<VerifyAuditChainReturnType> {
  const verifier = createAuditVerifier()
  let afterSeq = 0
  for (;;) {
    const page = await listAudit(sql, { afterSeq, limit: pageSize })
    for (const entry of page) {
      const broken = verifier.push(entry)
      if (broken) return broken
    }
    if (page.length < pageSize) break
    afterSeq = page[page.length - 1]!.seq
  }
  const result = verifier.result()
  // Deleting the newest rows leaves a valid-looking prefix; the head row remembers how long the chain was.
  const [head] = await sql.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_head where id = 1',
  )
  if (head && (head.seq !== result.entries || head.hash !== result.head)) {
    return { ok: false, entries: result.entries, brokenAt: result.entries + 1, reason: 'seq_gap' }
  }
  return result
}
