/** An audit signer for store tests, from fixed entropy (a running Bursar signs with its keystore's key instead). */
import { deriveServiceKeys } from '@bursar/keys/keystore'
import type { AuditSigner } from '@bursar/store'

/** @example await sealAudit(db, testAuditSigner()) */
export function testAuditSigner(seed = 1): AuditSigner {
  const keys = deriveServiceKeys(new Uint8Array(32).fill(seed))
  return { publicKey: keys.auditPublicKey, sign: (message) => keys.signAudit(message) }
}
