/**
 * Keys Bursar itself uses, derived from the master seed so that nothing in the database can forge them: a MAC key per
 * purpose (binding decisions and policy versions to what they say) and an Ed25519 key that signs audit checkpoints.
 * HKDF-SHA256 with a distinct label each, so no key says anything about another or about the wallets.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

export type MacPurpose = 'decision' | 'policy'

export type ServiceKeys = {
  /** HMAC-SHA256 of `message` under the purpose's key, hex. */
  mac(purpose: MacPurpose, message: string): string
  /** The audit signing key's public half (hex, 32 bytes); publish it to auditors. */
  auditPublicKey: string
  /** Ed25519 signature of `message` with the audit signing key, hex. */
  signAudit(message: string): string
  /** Zeroes every key; later calls throw. */
  wipe(): void
}

const salt = utf8ToBytes('bursar service keys')

/** @example const keys = deriveServiceKeys(entropy); keys.mac('decision', canonicalJson(payload)) */
export function deriveServiceKeys(entropy: Uint8Array): ServiceKeys {
  const macKeys: Record<MacPurpose, Uint8Array> = {
    decision: hkdf(sha256, entropy, salt, utf8ToBytes('bursar/decision-mac/v1'), 32),
    policy: hkdf(sha256, entropy, salt, utf8ToBytes('bursar/policy-mac/v1'), 32),
  }
  const auditSeed = hkdf(sha256, entropy, salt, utf8ToBytes('bursar/audit-signing/v1'), 32)
  const auditPublicKey = bytesToHex(ed25519.getPublicKey(auditSeed))
  let wiped = false
  const assertLive = () => {
    if (wiped) throw new Error('service keys were wiped')
  }
  return {
    mac(purpose, message) {
      assertLive()
      return bytesToHex(hmac(sha256, macKeys[purpose], utf8ToBytes(message)))
    },
    auditPublicKey,
    signAudit(message) {
      assertLive()
      return bytesToHex(ed25519.sign(utf8ToBytes(message), auditSeed))
    },
    wipe() {
      wiped = true
      macKeys.decision.fill(0)
      macKeys.policy.fill(0)
      auditSeed.fill(0)
    },
  }
}
