/**
 * Signed checkpoints of the audit chain: (seq, hash) at a moment, signed with Bursar's audit key (Ed25519, derived from
 * the master seed, so nobody with only database access can sign). The head in the database carries one, so a rewritten
 * entry cannot be re-linked without the key; copies kept outside the database catch a chain cut back to an older head.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { canonicalJson } from './canonicalJson.ts'

export type AuditCheckpoint = {
  seq: number
  hash: string
  /** When it was signed (ISO 8601). */
  signed_at: string
  /** Ed25519 public key of the signer, hex. */
  public_key: string
  /** Ed25519 signature over checkpointMessage(seq, hash, signed_at), hex. */
  signature: string
}

/** The head row as stored: a checkpoint whose signature is null while the head was never signed. */
export type SignedHead = Omit<AuditCheckpoint, 'signature'> & { signature: string | null }

/** The exact bytes a checkpoint signature covers. */
export function checkpointMessage(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'signed_at'>): string {
  return canonicalJson({
    type: 'bursar.audit.checkpoint.v1',
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    signed_at: checkpoint.signed_at,
  })
}

/** True when `checkpoint` is signed by `publicKey` (default: the key it names). */
export function verifyCheckpoint(checkpoint: AuditCheckpoint, publicKey = checkpoint.public_key): boolean {
  if (publicKey.toLowerCase() !== checkpoint.public_key.toLowerCase()) return false
  try {
    return ed25519.verify(
      hexToBytes(checkpoint.signature),
      utf8ToBytes(checkpointMessage(checkpoint)),
      hexToBytes(publicKey),
    )
  } catch {
    return false
  }
}
