import { checkpointMessage, verifyCheckpoint } from '@bursar/core/audit'
import { ed25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { describe, expect, test } from 'vitest'
import { deriveServiceKeys } from './serviceKeys.ts'

const entropy = new Uint8Array(32).map((_, i) => i)
const salt = utf8ToBytes('bursar service keys')

describe('service keys derived from the seed', () => {
  test('match an independent derivation (HKDF-SHA256, HMAC-SHA256, Ed25519) with @noble', () => {
    const keys = deriveServiceKeys(entropy)
    const macKey = hkdf(sha256, entropy, salt, utf8ToBytes('bursar/decision-mac/v1'), 32)
    expect(keys.mac('decision', 'hello')).toBe(bytesToHex(hmac(sha256, macKey, utf8ToBytes('hello'))))
    const seed = hkdf(sha256, entropy, salt, utf8ToBytes('bursar/audit-signing/v1'), 32)
    expect(keys.auditPublicKey).toBe(bytesToHex(ed25519.getPublicKey(seed)))
    expect(keys.signAudit('m')).toBe(bytesToHex(ed25519.sign(utf8ToBytes('m'), seed)))
  })

  test('each purpose has its own key, and checkpoints it signs verify with its public key', () => {
    const keys = deriveServiceKeys(entropy)
    expect(keys.mac('decision', 'x')).not.toBe(keys.mac('policy', 'x'))
    const body = { seq: 3, hash: 'ab'.repeat(32), signed_at: '2026-01-01T00:00:00.000Z' }
    const checkpoint = {
      ...body,
      public_key: keys.auditPublicKey,
      signature: keys.signAudit(checkpointMessage(body)),
    }
    expect(verifyCheckpoint(checkpoint)).toBe(true)
    expect(verifyCheckpoint({ ...checkpoint, seq: 4 })).toBe(false)
    expect(verifyCheckpoint(checkpoint, deriveServiceKeys(new Uint8Array(32)).auditPublicKey)).toBe(false)
  })

  test('error: wiped keys sign and MAC nothing', () => {
    const keys = deriveServiceKeys(entropy)
    keys.wipe()
    expect(() => keys.mac('decision', 'x')).toThrow(/wiped/)
    expect(() => keys.signAudit('x')).toThrow(/wiped/)
  })
})
