/** Recomputes an audit chain, checks its signed head and any checkpoint kept outside, and reports the first problem. */
import { type AuditCheckpoint, type SignedHead, verifyCheckpoint } from './auditCheckpoint.ts'
import { type AuditEntry, genesisHash, hashAuditEntry } from './hashAuditEntry.ts'

export type StoredAuditEntry = AuditEntry & { prevHash: string; hash: string }

/**
 * Another organisation's entry as an organisation's view shows it: only where it sits in the chain. The verifier
 * checks its links (its hash is what the next entry chains on) without reading, or recomputing, its content.
 */
export type RedactedAuditEntry = { seq: number; prevHash: string; hash: string; redacted: true }

export type AuditProblem =
  /** A link does not chain: an entry was changed, inserted or removed. */
  | 'prev_hash_mismatch'
  | 'hash_mismatch'
  | 'seq_gap'
  /** The signed head does not match the chain's end, or is not validly signed by the trusted key. */
  | 'head_mismatch'
  | 'head_unsigned'
  | 'head_signature_invalid'
  /** A checkpoint kept outside: not signed by the trusted key, not in the chain (cut back), or different there. */
  | 'checkpoint_signature_invalid'
  | 'truncated'
  | 'checkpoint_mismatch'
  /** A policy document changed in place: its hash differs from the one its audit entry recorded. */
  | 'policy_edited'
  /** A policy version the log recorded is gone from the database (deleting the newest revives the one before). */
  | 'policy_missing'

export type VerifyAuditChainReturnType =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: AuditProblem; details?: Record<string, unknown> }

/** Feed entries in `seq` order, in as many calls as needed; the verifier carries the chain between pages. */
export function createAuditVerifier(options: { checkpoint?: AuditCheckpoint } = {}) {
  let prev = genesisHash
  let expectedSeq = 1
  let count = 0
  let atCheckpoint: string | undefined
  return {
    push(entry: StoredAuditEntry | RedactedAuditEntry): VerifyAuditChainReturnType | undefined {
      if (entry.seq !== expectedSeq)
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'seq_gap' }
      if (entry.prevHash !== prev)
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'prev_hash_mismatch' }
      const hash = entry.hash
      if (!('redacted' in entry)) {
        const { prevHash: _p, hash: _h, ...body } = entry
        if (hashAuditEntry(prev, body) !== hash)
          return { ok: false, entries: count, brokenAt: entry.seq, reason: 'hash_mismatch' }
      } else if (!/^[0-9a-f]{64}$/.test(hash)) {
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'hash_mismatch' }
      }
      prev = hash
      expectedSeq++
      count++
      if (entry.seq === options.checkpoint?.seq) atCheckpoint = hash
      return undefined
    },
    result(): { ok: true; entries: number; head: string } {
      return { ok: true, entries: count, head: prev }
    },
    /** The recomputed hash at the outside checkpoint's sequence number, once the chain reached it. */
    hashAtCheckpoint(): string | undefined {
      return atCheckpoint
    },
  }
}

export type AuditVerifier = ReturnType<typeof createAuditVerifier>

/**
 * After every entry went through `verifier`: the head row must be the chain's end and be signed by `trustedKey`; a
 * checkpoint kept outside the database must be signed by the same key and still be part of the chain.
 * @example
 * const verifier = createAuditVerifier({ checkpoint })
 * for (const entry of entries) if ((broken = verifier.push(entry))) break
 * const result = broken ?? finishAuditVerification(verifier, { head, trustedKey, checkpoint })
 */
export function finishAuditVerification(
  verifier: AuditVerifier,
  parameters: { head: SignedHead | null; trustedKey: string; checkpoint?: AuditCheckpoint },
): VerifyAuditChainReturnType {
  const chain = verifier.result()
  const fail = (
    reason: AuditProblem,
    brokenAt: number,
    details?: Record<string, unknown>,
  ): VerifyAuditChainReturnType => ({
    ok: false,
    entries: chain.entries,
    brokenAt,
    reason,
    ...(details === undefined ? {} : { details }),
  })
  const { head, trustedKey, checkpoint } = parameters
  if (head === null || (head.seq === 0 && chain.entries === 0)) {
    if (chain.entries > 0) return fail('head_mismatch', chain.entries)
  } else {
    // Deleting the newest rows leaves a valid-looking prefix; the signed head remembers how long the chain was.
    if (head.seq !== chain.entries || head.hash !== chain.head) {
      return fail('head_mismatch', Math.min(head.seq, chain.entries) + 1, { head_seq: head.seq })
    }
    if (head.signature === null) return fail('head_unsigned', head.seq)
    if (!verifyCheckpoint({ ...head, signature: head.signature }, trustedKey))
      return fail('head_signature_invalid', head.seq)
  }
  if (checkpoint !== undefined) {
    if (!verifyCheckpoint(checkpoint, trustedKey)) {
      return fail('checkpoint_signature_invalid', checkpoint.seq, { public_key: checkpoint.public_key })
    }
    if (checkpoint.seq > chain.entries) {
      return fail('truncated', chain.entries + 1, { checkpoint_seq: checkpoint.seq })
    }
    if (checkpoint.seq > 0 && verifier.hashAtCheckpoint() !== checkpoint.hash) {
      return fail('checkpoint_mismatch', checkpoint.seq)
    }
  }
  return chain
}
