/**
 * Policy versions are sealed when written: the document's canonical hash (also recorded in its policy.set audit entry)
 * and a MAC over agent, version and hash. A document edited in place in the database no longer matches either and is
 * refused when loaded, so nobody with only database access can loosen a policy.
 */
import { timingSafeEqual } from 'node:crypto'
import { canonicalHash, canonicalJson } from '@bursar/core/audit'
import type { Keystore } from '@bursar/keys/keystore'

export function policyMac(
  keystore: Keystore,
  agentId: string,
  version: number,
  documentHash: string,
): string {
  return keystore.mac('policy', canonicalJson({ v: 1, agent: agentId, version, document_hash: documentHash }))
}

/** Returns the document's hash when the stored version is intact, undefined when it was changed outside Bursar. */
export function checkPolicyVersion(
  keystore: Keystore,
  row: {
    agent_id: string
    version: number
    document: unknown
    document_hash: string | null
    mac: string | null
  },
): string | undefined {
  const hash = canonicalHash(row.document)
  if (row.document_hash !== hash || row.mac === null || !/^[0-9a-f]{64}$/.test(row.mac)) return undefined
  const expected = Buffer.from(policyMac(keystore, row.agent_id, row.version, hash), 'hex')
  return timingSafeEqual(expected, Buffer.from(row.mac, 'hex')) ? hash : undefined
}
