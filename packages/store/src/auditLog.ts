/** Appends to and reads the hash-chained audit log. Appends run inside the caller's transaction. */
import { type AuditEntry, hashAuditEntry, type StoredAuditEntry } from '@bursar/core/audit'
import type { Sql } from './Db.ts'

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'ts'>

/**
 * Chains `entries` onto the log. Call it last in a transaction: it locks the chain head until commit.
 */
export async function appendAudit(tx: Sql, entries: readonly NewAuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  const [head] = await tx.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_head where id = 1 for update',
  )
  if (!head) throw new Error('audit_head row is missing')
  let { seq, hash } = head
  const ts = new Date().toISOString()
  const columns: unknown[] = []
  const values: string[] = []
  for (const entry of entries) {
    seq += 1
    const full: AuditEntry = { seq, ts, ...entry }
    const prevHash = hash
    hash = hashAuditEntry(prevHash, full)
    const base = columns.length
    values.push(`(${Array.from({ length: 10 }, (_, i) => `$${base + i + 1}`).join(',')})`)
    columns.push(
      seq,
      ts,
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.subject.type,
      entry.subject.id,
      JSON.stringify(entry.data),
      prevHash,
      hash,
    )
  }
  await tx.query(
    `insert into audit_log (seq, ts, actor_type, actor_id, action, subject_type, subject_id, data, prev_hash, hash) values ${values.join(',')}`,
    columns,
  )
  await tx.query('update audit_head set seq = $1, hash = $2 where id = 1', [seq, hash])
}

type AuditRow = {
  seq: number
  ts: Date
  actor_type: AuditEntry['actor']['type']
  actor_id: string | null
  action: string
  subject_type: string
  subject_id: string | null
  data: Record<string, unknown>
  prev_hash: string
  hash: string
}

export function toStoredAuditEntry(row: AuditRow): StoredAuditEntry {
  return {
    seq: row.seq,
    ts: row.ts.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id },
    action: row.action,
    subject: { type: row.subject_type, id: row.subject_id },
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

export type ListAuditParameters = {
  afterSeq?: number
  limit: number
  action?: string
  subjectType?: string
  subjectId?: string
  actorId?: string
}

export async function listAudit(sql: Sql, parameters: ListAuditParameters): Promise<StoredAuditEntry[]> {
  const where: string[] = ['seq > $1']
  const params: unknown[] = [parameters.afterSeq ?? 0]
  const add = (clause: string, value: unknown) => {
    params.push(value)
    where.push(clause.replace('?', `$${params.length}`))
  }
  if (parameters.action !== undefined) add('action = ?', parameters.action)
  if (parameters.subjectType !== undefined) add('subject_type = ?', parameters.subjectType)
  if (parameters.subjectId !== undefined) add('subject_id = ?', parameters.subjectId)
  if (parameters.actorId !== undefined) add('actor_id = ?', parameters.actorId)
  params.push(parameters.limit)
  const rows = await sql.query<AuditRow>(
    `select * from audit_log where ${where.join(' and ')} order by seq limit $${params.length}`,
    params,
  )
  return rows.map(toStoredAuditEntry)
}
