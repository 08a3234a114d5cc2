/** Test support: the audit chain's head rewritten in place, as an attacker with database access could. */
import type { Sql } from '../src/Db.ts'
import type { AuditHeadRow } from './AuditHeadRow.ts'

export type SetAuditHeadPatch = Partial<Pick<AuditHeadRow, 'seq' | 'hash' | 'signed_at' | 'signature'>>

const patchable = ['seq', 'hash', 'signed_at', 'signature'] as const

/**
 * Overwrites columns of the head row without signing anything: for tests that re-link the chain by hand, keep an
 * old signed head, or put a saved head back.
 *
 * @example await setAuditHead(db, { seq: old.seq, hash: old.hash, signed_at: old.signed_at, signature: old.signature })
 */
export async function setAuditHead(sql: Sql, patch: SetAuditHeadPatch): Promise<void> {
  const params: unknown[] = []
  const assignments: string[] = []
  for (const column of patchable) {
    if (patch[column] === undefined) continue
    params.push(patch[column])
    assignments.push(`${column} = $${params.length}`)
  }
  if (assignments.length === 0) throw new Error('nothing to set')
  await sql.query(`update audit_head set ${assignments.join(', ')}`, params)
}
