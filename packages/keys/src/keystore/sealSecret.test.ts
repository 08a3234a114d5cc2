import { createDecipheriv } from 'node:crypto'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import { describe, expect, test } from 'vitest'
import { createSealedSeed } from './createSealedSeed.ts'
import { importSealedSeed } from './importSealedSeed.ts'
import { openKeystore } from './openKeystore.ts'
import type { SealedSecret } from './SealedSecret.ts'

const masterKey = 'correct horse battery staple, but longer'
const fast = { memoryKiB: 64, iterations: 1, parallelism: 1 }
const about = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'
const secret = utf8ToBytes('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')

const clone = (sealed: SealedSecret): SealedSecret => JSON.parse(JSON.stringify(sealed))

function flipHexByte(hex: string, byteIndex: number): string {
  const byte = Number.parseInt(hex.slice(byteIndex * 2, byteIndex * 2 + 2), 16) ^ 0x01
  return hex.slice(0, byteIndex * 2) + byte.toString(16).padStart(2, '0') + hex.slice(byteIndex * 2 + 2)
}

async function freshKeystore() {
  return openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
}

describe('keystore.sealSecret / openSecret', () => {
  test('round trip through JSON; each seal has its own salt and nonce', async () => {
    const keystore = await freshKeystore()
    const first = keystore.sealSecret('totp', 'acc_1', secret)
    const second = keystore.sealSecret('totp', 'acc_1', secret)
    expect(first.salt).not.toBe(second.salt)
    expect(first.nonce).not.toBe(second.nonce)
    expect(keystore.openSecret('totp', 'acc_1', clone(first))).toEqual(Buffer.from(secret))
    expect(keystore.openSecret('totp', 'acc_1', clone(second))).toEqual(Buffer.from(secret))
  })

  test('the sealing key comes from the seed: a restore from the backup words under a new master key opens it', async () => {
    const keystore = await freshKeystore()
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    const restored = await openKeystore(
      await importSealedSeed({
        masterKey: 'another master key entirely',
        mnemonic: keystore.exportMnemonic(),
        kdf: fast,
      }),
      'another master key entirely',
    )
    expect(restored.openSecret('totp', 'acc_1', sealed)).toEqual(Buffer.from(secret))
  })

  test('the box is AES-256-GCM under HKDF-SHA256(sealing key, salt), AAD bursar:secret:v1:<purpose>:<id>', async () => {
    // An independent reading of the stored format (noble HKDF, node's GCM), so the format cannot drift unnoticed.
    // "abandon … about" is 16 zero bytes of entropy.
    const keystore = await openKeystore(
      await importSealedSeed({ masterKey, mnemonic: about, kdf: fast }),
      masterKey,
    )
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    const entropy = new Uint8Array(16)
    const sealingKey = hkdf(
      sha256,
      entropy,
      utf8ToBytes('bursar service keys'),
      utf8ToBytes('bursar/secret-sealing/v1'),
      32,
    )
    const key = hkdf(
      sha256,
      sealingKey,
      Buffer.from(sealed.salt, 'hex'),
      utf8ToBytes('bursar/sealed-secret/v1'),
      32,
    )
    const box = Buffer.from(sealed.ciphertext, 'hex')
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'hex'))
    decipher.setAAD(utf8ToBytes('bursar:secret:v1:totp:acc_1'))
    decipher.setAuthTag(box.subarray(-16))
    expect(Buffer.concat([decipher.update(box.subarray(0, -16)), decipher.final()])).toEqual(
      Buffer.from(secret),
    )
  })

  test('error: a box sealed for another record, or by another seed, does not open', async () => {
    const keystore = await freshKeystore()
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    expect(keystore.openSecret('totp', 'acc_2', sealed)).toBeUndefined()
    expect(keystore.openSecret('totp', 'acc_1x', sealed)).toBeUndefined()
    expect((await freshKeystore()).openSecret('totp', 'acc_1', sealed)).toBeUndefined()
  })

  test('error: flipping any byte of the salt, nonce or ciphertext fails to open', async () => {
    const keystore = await freshKeystore()
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    for (const field of ['salt', 'nonce', 'ciphertext'] as const) {
      for (let i = 0; i < sealed[field].length / 2; i++) {
        const tampered = { ...sealed, [field]: flipHexByte(sealed[field], i) }
        expect(keystore.openSecret('totp', 'acc_1', tampered), `${field}[${i}]`).toBeUndefined()
      }
    }
  })

  test('error: a malformed record is refused before any crypto, without throwing', async () => {
    const keystore = await freshKeystore()
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    const malformed: unknown[] = [
      null,
      'sealed',
      { ...sealed, version: 2 },
      { ...sealed, salt: undefined },
      { ...sealed, salt: sealed.salt.slice(2) },
      { ...sealed, nonce: `${sealed.nonce}00` },
      { ...sealed, nonce: sealed.nonce.toUpperCase() },
      { ...sealed, ciphertext: sealed.ciphertext.slice(0, 30) },
      { ...sealed, ciphertext: `${sealed.ciphertext}0` },
      { ...sealed, ciphertext: 'zz'.repeat(48) },
      { ...sealed, ciphertext: '00'.repeat(16 + 1025) },
    ]
    for (const value of malformed) {
      expect(keystore.openSecret('totp', 'acc_1', value as SealedSecret)).toBeUndefined()
    }
  })

  test('error: an empty record id or an oversized secret is refused, without echoing the secret', async () => {
    const keystore = await freshKeystore()
    expect(() => keystore.sealSecret('totp', '', secret)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
    const large = new Uint8Array(1025).fill(0x41)
    try {
      keystore.sealSecret('totp', 'acc_1', large)
      expect.unreachable('an oversized secret was sealed')
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(String((error as Error).message)).not.toContain('AAAA')
    }
  })

  test('error: a closed keystore seals and opens nothing', async () => {
    const keystore = await freshKeystore()
    const sealed = keystore.sealSecret('totp', 'acc_1', secret)
    keystore.close()
    expect(() => keystore.sealSecret('totp', 'acc_1', secret)).toThrow(/closed/)
    expect(() => keystore.openSecret('totp', 'acc_1', sealed)).toThrow(/closed/)
  })
})
