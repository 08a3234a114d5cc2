/** The audit chain link: hash = SHA-256(prev_hash ‖ RFC 8785 canonical JSON of the entry). */
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js'
import { canonicalJson } from './canonicalJson.ts'

export type AuditEntry = {
  seq: number
  ts: string
  actor: { type: 'owner' | 'account' | 'service_token' | 'agent' | 'system'; id: string | null }
  action: string
  subject: { type: string; id: string | null }
  data: Record<string, unknown>
}

/** The prev_hash of the first entry. */
export const genesisHash = '0'.repeat(64)

/** Returns the hex SHA-256 link for `entry`, chained to `prevHash` (hex). */
export function hashAuditEntry(prevHash: string, entry: AuditEntry): string {
  return bytesToHex(sha256(concatBytes(hexToBytes(prevHash), utf8ToBytes(canonicalJson(entry)))))
}
