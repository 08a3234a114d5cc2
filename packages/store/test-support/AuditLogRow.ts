/** Test support: an audit log row as stored; seq and the hashes are null until the sealer links it. */
import type { AuditEntry } from '@bursar/core/audit'

export type AuditLogRow = {
  id: number
  seq: number | null
  ts: Date
  actor_type: AuditEntry['actor']['type']
  actor_id: string | null
  action: string
  subject_type: string
  subject_id: string | null
  data: Record<string, unknown>
  prev_hash: string | null
  hash: string | null
}
