/** Test support: the audit chain's head row as stored. */
export type AuditHeadRow = {
  id: 1
  seq: number
  hash: string
  signed_at: Date | null
  signature: string | null
}
