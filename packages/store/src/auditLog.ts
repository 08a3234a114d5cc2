/**
 * The audit log. Entries are appended inside the caller's transaction (so a change and its record commit
 * together) and sealed into the hash chain by sealAudit, so no request waits on one global chain lock.
 */
import {
  type AuditEntry,
  checkpointMessage,
  hashAuditEntry,
  type SignedHead,
  type StoredAuditEntry,
} from '@bursar/core/audit'
import type { Db, Sql } from './Db.ts'
import { conditions } from './fragments/conditions.ts'
import { insertAuditRows } from './fragments/insertAuditRows.ts'

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'ts'>

export async function appendAudit(tx: Sql, entries: readonly NewAuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  const ts = new Date().toISOString()
  const params: unknown[] = []
  const values = entries.map((entry) => {
    params.push(
      ts,
      entry.actor.type,
      entry.actor.id,
      entry.action,
      entry.subject.type,
      entry.subject.id,
      JSON.stringify(entry.data),
    )
    const n = params.length
    return `($${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`
  })
  await tx.query(insertAuditRows(`values ${values.join(',')}`), params)
}

type AuditRow = {
  id: number
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

// Same key in every process: only one sealer extends the chain at a time.
const sealerLock = 7442021

/** Signs checkpoints of the chain: the keystore's audit key (derived from the master seed). */
export type AuditSigner = { publicKey: string; sign(message: string): string }

/**
 * Chains unsealed entries onto the log in insertion order and signs the new head. Returns how many it sealed (0 when
 * another process holds the sealer lock, unless `wait` asks to queue behind it).
 */
export async function sealAudit(
  db: Db,
  signer: AuditSigner,
  { limit = 5000, wait = false }: { limit?: number; wait?: boolean } = {},
): Promise<number> {
  return db.transaction(async (tx) => {
    if (wait) {
      await tx.query('select pg_advisory_xact_lock($1)', [sealerLock])
    } else {
      const [lock] = await tx.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [
        sealerLock,
      ])
      if (!lock?.locked) return 0
    }
    const rows = await tx.query<Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>>(
      'select id, ts, actor_type, actor_id, action, subject_type, subject_id, data from audit_log where seq is null order by id limit $1',
      [limit],
    )
    if (rows.length === 0) return 0
    const [head] = await tx.query<{ seq: number; hash: string }>(
      'select seq, hash from audit_head where id = 1 for update',
    )
    let { seq, hash } = head!
    const ids: number[] = []
    const seqs: number[] = []
    const prevs: string[] = []
    const hashes: string[] = []
    for (const row of rows) {
      seq += 1
      const prevHash = hash
      hash = hashAuditEntry(prevHash, {
        seq,
        ts: row.ts.toISOString(),
        actor: { type: row.actor_type, id: row.actor_id },
        action: row.action,
        subject: { type: row.subject_type, id: row.subject_id },
        data: row.data,
      })
      ids.push(row.id)
      seqs.push(seq)
      prevs.push(prevHash)
      hashes.push(hash)
    }
    await tx.query(
      `update audit_log a set seq = u.seq, prev_hash = u.prev_hash, hash = u.hash
         from unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) as u(id, seq, prev_hash, hash)
        where a.id = u.id`,
      [ids, seqs, prevs, hashes],
    )
    await writeSignedHead(tx, signer, seq, hash)
    return rows.length
  })
}

async function writeSignedHead(tx: Sql, signer: AuditSigner, seq: number, hash: string): Promise<void> {
  const signedAt = new Date().toISOString()
  const signature = signer.sign(checkpointMessage({ seq, hash, signed_at: signedAt }))
  await tx.query('update audit_head set seq = $1, hash = $2, signed_at = $3, signature = $4 where id = 1', [
    seq,
    hash,
    signedAt,
    signature,
  ])
}

/**
 * Signs the head as it stands: once, by the process that upgraded a database whose head predates signatures. Never
 * on an unsigned head otherwise: an attacker who cleared the signature must not get a rewritten chain blessed.
 */
export async function signAuditHead(db: Db, signer: AuditSigner): Promise<void> {
  await db.transaction(async (tx) => {
    const [head] = await tx.query<{ seq: number; hash: string }>(
      'select seq, hash from audit_head where id = 1 for update',
    )
    await writeSignedHead(tx, signer, head!.seq, head!.hash)
  })
}

/** The head of the chain as a checkpoint (its signature null when unsigned), with the signer's key filled in. */
export async function readAuditHead(sql: Sql, publicKey: string): Promise<SignedHead> {
  const [head] = await sql.query<{
    seq: number
    hash: string
    signed_at: Date | null
    signature: string | null
  }>('select seq, hash, signed_at, signature from audit_head where id = 1')
  return {
    seq: head?.seq ?? 0,
    hash: head?.hash ?? '',
    signed_at: head?.signed_at?.toISOString() ?? '',
    public_key: publicKey,
    signature: head?.signature ?? null,
  }
}

/**
 * Where the chain stands: the last sealed sequence number and its hash (seq 0 and the genesis hash before any entry
 * is sealed). For a starting point or a status line; readAuditHead gives the signed checkpoint.
 */
export async function readAuditPosition(sql: Sql): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await sql.query<{ seq: number; hash: string }>(
    'select seq, hash from audit_head where id = 1',
  )
  return head
}

function toStoredAuditEntry(row: AuditRow): StoredAuditEntry {
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

/** Sealed entries only, in chain order: exactly what the chain hashes (no organisation tag). */
export async function listAudit(sql: Sql, parameters: ListAuditParameters): Promise<StoredAuditEntry[]> {
  return (await listTaggedAudit(sql, parameters)).map(({ orgId: _org, ...entry }) => entry)
}

/** A sealed entry with the organisation it belongs to (null: none; the global breaker's are everyone's). */
export type TaggedAuditEntry = StoredAuditEntry & { orgId: string | null }

/**
 * Like listAudit, with each entry's organisation, for views that show an organisation its own entries in full and the
 * rest as hashes. `visibleTo` keeps only the entries that organisation may read in full: pass it whenever a filter is
 * given, so a filter never matches (and a page boundary never reveals) another organisation's entries.
 */
export async function listTaggedAudit(
  sql: Sql,
  parameters: ListAuditParameters & { visibleTo?: string },
): Promise<TaggedAuditEntry[]> {
  const {
    clauses: where,
    params,
    add,
  } = conditions({ clauses: ['seq > $1'], params: [parameters.afterSeq ?? 0] })
  if (parameters.action !== undefined) add('action = ?', parameters.action)
  if (parameters.subjectType !== undefined) add('subject_type = ?', parameters.subjectType)
  if (parameters.subjectId !== undefined) add('subject_id = ?', parameters.subjectId)
  if (parameters.actorId !== undefined) add('actor_id = ?', parameters.actorId)
  if (parameters.visibleTo !== undefined)
    add("(org_id = ? or (org_id is null and subject_type = 'system'))", parameters.visibleTo)
  params.push(parameters.limit)
  const rows = await sql.query<AuditRow & { org_id: string | null }>(
    `select * from audit_log where ${where.join(' and ')} order by seq limit $${params.length}`,
    params,
  )
  return rows.map((row) => ({ ...toStoredAuditEntry(row), orgId: row.org_id }))
}

/**
 * The sealed position and how many entries wait behind it, read in one statement so a sealer committing in between
 * cannot make the two disagree.
 */
export async function readAuditStatus(sql: Sql): Promise<{ seq: number; hash?: string; unsealed: number }> {
  const [row] = await sql.query<{ seq: number | null; hash: string | null; unsealed: number }>(
    `select h.seq, h.hash, (select count(*)::int from audit_log where seq is null) as unsealed
       from (select 1) as one left join audit_head h on h.id = 1`,
  )
  return { seq: row!.seq ?? 0, ...(row!.hash === null ? {} : { hash: row!.hash }), unsealed: row!.unsealed }
}

export async function countUnsealedAudit(sql: Sql): Promise<number> {
  const [row] = await sql.query<{ n: number }>('select count(*)::int as n from audit_log where seq is null')
  return row!.n
}
