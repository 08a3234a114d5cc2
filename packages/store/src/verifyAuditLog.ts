/**
 * Recomputes the whole audit chain from the database, checks the signed head against a key the caller trusts (and a
 * checkpoint kept outside, if given), and that no policy document changed after its audit entry recorded its hash.
 */
import {
  type AuditCheckpoint,
  canonicalHash,
  createAuditVerifier,
  finishAuditVerification,
  type VerifyAuditChainReturnType,
} from '@bursar/core/audit'
import { listAudit, readAuditHead } from './auditLog.ts'
import type { Db, Sql } from './Db.ts'
import { listPolicyDocuments } from './policies.ts'

export type VerifyAuditLogParameters = {
  /** The audit public key to trust: from the server (`GET /v1/audit/checkpoint`), `bursar audit key`, or a checkpoint. */
  trustedKey: string
  checkpoint?: AuditCheckpoint
  pageSize?: number
}

export async function verifyAuditLog(
  db: Db,
  parameters: VerifyAuditLogParameters,
): Promise<VerifyAuditChainReturnType> {
  // One snapshot for everything read: entries, head, pending entries and documents must be of the same moment, or a
  // busy instance (sealing, policies being set) looks tampered with.
  return db.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only')
    return verifySnapshot(tx, parameters)
  })
}

async function verifySnapshot(
  sql: Sql,
  parameters: VerifyAuditLogParameters,
): Promise<VerifyAuditChainReturnType> {
  const pageSize = parameters.pageSize ?? 1000
  const verifier = createAuditVerifier(parameters.checkpoint ? { checkpoint: parameters.checkpoint } : {})
  const recorded = new Map<string, { hash: string; seq: number; conflict?: true }>()
  let afterSeq = 0
  for (;;) {
    const page = await listAudit(sql, { afterSeq, limit: pageSize })
    for (const entry of page) {
      const broken = verifier.push(entry)
      if (broken) return broken
      recordPolicyHash(recorded, entry)
    }
    if (page.length < pageSize) break
    afterSeq = page[page.length - 1]!.seq
  }
  const head = await readAuditHead(sql, parameters.trustedKey)
  const result = finishAuditVerification(verifier, {
    head,
    trustedKey: parameters.trustedKey,
    ...(parameters.checkpoint ? { checkpoint: parameters.checkpoint } : {}),
  })
  if (!result.ok) return result
  // Entries of the last few moments are written but not yet sealed into the chain; their hashes count too.
  const pending = await sql.query<{
    id: number
    action: string
    subject_id: string | null
    data: Record<string, unknown>
  }>(
    `select id, action, subject_id, data from audit_log where seq is null and action in ('policy.set', 'policy.sealed')`,
  )
  for (const row of pending) {
    recordPolicyHash(recorded, {
      seq: 0,
      action: row.action,
      subject: { id: row.subject_id },
      data: row.data,
    })
  }
  let afterKey = ''
  const present = new Set<string>()
  for (;;) {
    const page = await listPolicyDocuments(sql, { afterKey, limit: pageSize })
    for (const policy of page) {
      const edited = policyEdit(recorded, policy)
      if (edited) return { ...edited, entries: result.entries }
      present.add(`${policy.agent_id}:${policy.version}`)
    }
    if (page.length < pageSize) break
    const last = page[page.length - 1]!
    afterKey = `${last.agent_id}:${String(last.version).padStart(10, '0')}`
  }
  const missing = policyMissing(recorded, present)
  return missing ? { ...missing, entries: result.entries } : result
}

/**
 * A policy version the log recorded whose document is gone: deleting the newest version would bring back the one it
 * replaced, so a missing version is tampering, not housekeeping (Bursar never deletes policy versions).
 */
export function policyMissing(
  recorded: ReadonlyMap<string, { hash: string; seq: number }>,
  present: ReadonlySet<string>,
): Extract<VerifyAuditChainReturnType, { ok: false }> | undefined {
  for (const [key, entry] of recorded) {
    if (present.has(key)) continue
    const split = key.lastIndexOf(':')
    return {
      ok: false,
      entries: 0,
      brokenAt: entry.seq,
      reason: 'policy_missing',
      details: {
        agent_id: key.slice(0, split),
        version: Number(key.slice(split + 1)),
        recorded_hash: entry.hash,
      },
    }
  }
  return undefined
}

/**
 * Remembers the document hash a policy.set entry recorded, keyed `${agent}:${version}`. A version is written once: the
 * first record stands, and a later one with another hash (an entry slipped in to cover an edit) marks it as edited.
 */
export function recordPolicyHash(
  recorded: Map<string, { hash: string; seq: number; conflict?: true }>,
  entry: { seq: number; action: string; subject: { id: string | null }; data: Record<string, unknown> },
): void {
  if (entry.action !== 'policy.set' && entry.action !== 'policy.sealed') return
  if (typeof entry.data.document_hash !== 'string') return
  const key = `${entry.subject.id}:${entry.data.version}`
  const first = recorded.get(key)
  if (first === undefined) recorded.set(key, { hash: entry.data.document_hash, seq: entry.seq })
  else if (first.hash !== entry.data.document_hash) recorded.set(key, { ...first, conflict: true })
}

/** A policy version whose document no longer hashes to what its audit entry recorded (or that no entry recorded). */
export function policyEdit(
  recorded: Map<string, { hash: string; seq: number; conflict?: true }>,
  policy: { agent_id: string; version: number; document: unknown },
): Extract<VerifyAuditChainReturnType, { ok: false }> | undefined {
  const entry = recorded.get(`${policy.agent_id}:${policy.version}`)
  const hash = canonicalHash(policy.document)
  if (entry !== undefined && entry.hash === hash && entry.conflict !== true) return undefined
  return {
    ok: false,
    entries: 0,
    brokenAt: entry?.seq ?? 0,
    reason: 'policy_edited',
    details: {
      agent_id: policy.agent_id,
      version: policy.version,
      recorded_hash: entry?.hash ?? null,
      document_hash: hash,
    },
  }
}
