import { createSealedSeed, type Keystore, openKeystore } from '@bursar/keys/keystore'
import { beforeAll, describe, expect, test } from 'vitest'
import { createTotpSecret } from './createTotpSecret.ts'
import { openTotpSecret } from './openTotpSecret.ts'
import { sealTotpSecret } from './sealTotpSecret.ts'

const masterKey = 'correct horse battery staple, but longer'
const fast = { memoryKiB: 64, iterations: 1, parallelism: 1 }

let keystore: Keystore
beforeAll(async () => {
  keystore = await openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
})

function flipHexByte(hex: string, byteIndex: number): string {
  const byte = Number.parseInt(hex.slice(byteIndex * 2, byteIndex * 2 + 2), 16) ^ 0x01
  return hex.slice(0, byteIndex * 2) + byte.toString(16).padStart(2, '0') + hex.slice(byteIndex * 2 + 2)
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return expect.unreachable('it opened')
}

/** Everything a thrown value exposes: message, details, cause and stack. */
function exposed(error: unknown): string {
  const { message, stack, details, cause } = error as Error & { details?: unknown }
  return [message, stack, JSON.stringify(details), String(cause)].join('\n')
}

describe('sealTotpSecret / openTotpSecret', () => {
  test('round trip through JSON, and the sealed record shows nothing of the secret', () => {
    const secret = createTotpSecret()
    const sealed = sealTotpSecret(keystore, 'acc_1', secret)
    const stored = JSON.stringify(sealed)
    expect(stored).not.toContain(secret)
    expect(stored).not.toContain(Buffer.from(secret).toString('hex'))
    expect(openTotpSecret(keystore, 'acc_1', JSON.parse(stored))).toBe(secret)
  })

  test('error: a secret copied onto another account does not open there; INTERNAL names the account, not the secret', () => {
    const secret = createTotpSecret()
    const sealed = sealTotpSecret(keystore, 'acc_1', secret)
    const error = thrownBy(() => openTotpSecret(keystore, 'acc_2', sealed))
    expect(error).toMatchObject({ code: 'INTERNAL', details: { accountId: 'acc_2' } })
    expect(exposed(error)).not.toContain(secret)
    expect(exposed(error)).not.toContain(sealed.ciphertext)
  })

  test('error: a tampered ciphertext, nonce or salt does not open', () => {
    const sealed = sealTotpSecret(keystore, 'acc_1', createTotpSecret())
    for (const field of ['ciphertext', 'nonce', 'salt'] as const) {
      const tampered = { ...sealed, [field]: flipHexByte(sealed[field], 3) }
      expect(
        thrownBy(() => openTotpSecret(keystore, 'acc_1', tampered)),
        field,
      ).toMatchObject({ code: 'INTERNAL' })
    }
    const truncated = { ...sealed, ciphertext: sealed.ciphertext.slice(0, -2) }
    expect(thrownBy(() => openTotpSecret(keystore, 'acc_1', truncated))).toMatchObject({ code: 'INTERNAL' })
  })

  test('error: a secret sealed by another instance (another master seed) does not open', async () => {
    const other = await openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
    const sealed = sealTotpSecret(other, 'acc_1', createTotpSecret())
    expect(thrownBy(() => openTotpSecret(keystore, 'acc_1', sealed))).toMatchObject({ code: 'INTERNAL' })
  })
})
