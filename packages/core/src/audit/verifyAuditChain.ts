/** Recomputes an audit chain and reports the first broken link. */
import { type AuditEntry, genesisHash, hashAuditEntry } from './hashAuditEntry.ts'

export type StoredAuditEntry = AuditEntry & { prevHash: string; hash: string }

export type VerifyAuditChainReturnType =
  | { ok: true; entries: number; head: string }
  | {
      ok: false
      entries: number
      brokenAt: number
      reason: 'prev_hash_mismatch' | 'hash_mismatch' | 'seq_gap'
    }

/** Feed entries in `seq` order, in as many calls as needed; `state` carries the chain between pages. */
export function createAuditVerifier() {
  let prev = genesisHash
  let expectedSeq = 1
  let count = 0
  return {
    push(entry: StoredAuditEntry): VerifyAuditChainReturnType | undefined {
      if (entry.seq !== expectedSeq)
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'seq_gap' }
      if (entry.prevHash !== prev)
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'prev_hash_mismatch' }
      const { prevHash: _p, hash, ...body } = entry
      if (hashAuditEntry(prev, body) !== hash)
        return { ok: false, entries: count, brokenAt: entry.seq, reason: 'hash_mismatch' }
      prev = hash
      expectedSeq++
      count++
      return undefined
    },
    result(): { ok: true; entries: number; head: string } {
      return { ok: true, entries: count, head: prev }
    },
  }
}
