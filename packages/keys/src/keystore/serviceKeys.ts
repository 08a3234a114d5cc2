/**
 * Keys Bursar itself uses, derived from the master seed so that nothing in the database can forge them: a MAC key per
 * purpose (binding decisions and policy versions to what they say), an Ed25519 key that signs audit checkpoints, and
 * a key that seals small secrets (TOTP secrets) at rest. Derived from the seed rather than the data key, so sealed
 * secrets survive a restore from the backup words.
 * HKDF-SHA256 with a distinct label each, so no key says anything about another or about the wallets. Node's own
 * crypto does the work: the sealer signs at every seal and the executor checks a MAC per intent, on the hot path.
 */
import { createHmac, createPrivateKey, createPublicKey, hkdfSync, type KeyObject, sign } from 'node:crypto'
import { openSecret } from './openSecret.ts'
import type { SealedSecret, SecretPurpose } from './SealedSecret.ts'
import { sealSecret } from './sealSecret.ts'

export type MacPurpose = 'decision' | 'policy' | 'approval' | 'signing'

export type ServiceKeys = {
  /** HMAC-SHA256 of `message` under the purpose's key, hex. */
  mac(purpose: MacPurpose, message: string): string
  /** The audit signing key's public half (hex, 32 bytes); publish it to auditors. */
  auditPublicKey: string
  /** Ed25519 signature of `message` with the audit signing key, hex. */
  signAudit(message: string): string
  /** AES-256-GCM of `plaintext`, bound to `purpose` and `id` (see SealedSecret.ts). */
  sealSecret(purpose: SecretPurpose, id: string, plaintext: Uint8Array): SealedSecret
  /** The plaintext sealed for exactly this purpose and id, or undefined; the caller zeroes it. */
  openSecret(purpose: SecretPurpose, id: string, sealed: SealedSecret): Buffer | undefined
  /** Zeroes every key; later calls throw. */
  wipe(): void
}

const salt = Buffer.from('bursar service keys')
// PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), so Node can load it as a key object.
const ed25519Pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex')

function derive(entropy: Uint8Array, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', entropy, salt, label, 32))
}

/** @example const keys = deriveServiceKeys(entropy); keys.mac('decision', canonicalJson(payload)) */
export function deriveServiceKeys(entropy: Uint8Array): ServiceKeys {
  const macKeys: Record<MacPurpose, Buffer> = {
    decision: derive(entropy, 'bursar/decision-mac/v1'),
    policy: derive(entropy, 'bursar/policy-mac/v1'),
    approval: derive(entropy, 'bursar/approval-mac/v1'),
    signing: derive(entropy, 'bursar/signing-mac/v1'),
  }
  const auditSeed = derive(entropy, 'bursar/audit-signing/v1')
  const sealingKey = derive(entropy, 'bursar/secret-sealing/v1')
  const pkcs8 = Buffer.concat([ed25519Pkcs8Prefix, auditSeed])
  let auditKey: KeyObject | undefined = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
  pkcs8.fill(0)
  auditSeed.fill(0)
  const spki = createPublicKey(auditKey).export({ format: 'der', type: 'spki' })
  // The raw public key is the last 32 bytes of its SubjectPublicKeyInfo.
  const auditPublicKey = spki.subarray(spki.length - 32).toString('hex')
  let wiped = false
  const assertLive = () => {
    if (wiped) throw new Error('service keys were wiped')
  }
  return {
    mac(purpose, message) {
      assertLive()
      return createHmac('sha256', macKeys[purpose]).update(message, 'utf8').digest('hex')
    },
    auditPublicKey,
    signAudit(message) {
      assertLive()
      return sign(null, Buffer.from(message, 'utf8'), auditKey!).toString('hex')
    },
    sealSecret(purpose, id, plaintext) {
      assertLive()
      return sealSecret(sealingKey, purpose, id, plaintext)
    },
    openSecret(purpose, id, sealed) {
      assertLive()
      return openSecret(sealingKey, purpose, id, sealed)
    },
    wipe() {
      wiped = true
      macKeys.decision.fill(0)
      macKeys.policy.fill(0)
      sealingKey.fill(0)
      // A KeyObject cannot be zeroed from JavaScript; dropping it lets the collector free it.
      auditKey = undefined
    },
  }
}
