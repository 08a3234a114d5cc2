import { BursarError } from '@bursar/core/errors'
import { ed25519 } from '@noble/curves/ed25519.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { getAddress, keccak256 } from 'viem'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { toSecp256k1Signer } from '../signers/toSecp256k1Signer.ts'
import { createSealedSeed } from './createSealedSeed.ts'
import { decryptAesGcm } from './decryptAesGcm.ts'
import { entropyFromMnemonic } from './entropyFromMnemonic.ts'
import { importSealedSeed } from './importSealedSeed.ts'
import type { Keystore } from './openKeystore.ts'
import { openKeystore } from './openKeystore.ts'
import type { SealedSeed } from './SealedSeed.ts'
import { seedFromEntropy } from './seedFromEntropy.ts'

// Wrapped (not replaced) so a test can look at the very buffers the keystore handed out.
vi.mock('../signers/toSecp256k1Signer.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../signers/toSecp256k1Signer.ts')>()
  return { ...original, toSecp256k1Signer: vi.fn(original.toSecp256k1Signer) }
})
vi.mock('./seedFromEntropy.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./seedFromEntropy.ts')>()
  return { ...original, seedFromEntropy: vi.fn(original.seedFromEntropy) }
})
vi.mock('./decryptAesGcm.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('./decryptAesGcm.ts')>()
  return { ...original, decryptAesGcm: vi.fn(original.decryptAesGcm) }
})

afterEach(() => {
  vi.clearAllMocks()
})

/** The EVM address of the key at m/44'/60'/0'/0/<index> (what the EVM adapter derives from the public key). */
const evmPathOf = (index: number) => `m/44'/60'/0'/0/${index}`
function evmAddress(keystore: Keystore, index: number): string {
  const uncompressed = secp256k1.Point.fromBytes(keystore.publicKey('secp256k1', evmPathOf(index))).toBytes(
    false,
  )
  return getAddress(`0x${keccak256(uncompressed.subarray(1)).slice(-40)}`)
}
const digest = new Uint8Array(32).fill(7)

const masterKey = 'correct horse battery staple, but longer'
const fast = { memoryKiB: 64, iterations: 1, parallelism: 1 }
const about = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'

const isZero = (bytes: Uint8Array) => bytes.every((byte) => byte === 0)
const clone = (sealed: SealedSeed): SealedSeed => JSON.parse(JSON.stringify(sealed))

function flipHexByte(hex: string, byteIndex: number): string {
  const byte = Number.parseInt(hex.slice(byteIndex * 2, byteIndex * 2 + 2), 16) ^ 0x01
  return hex.slice(0, byteIndex * 2) + byte.toString(16).padStart(2, '0') + hex.slice(byteIndex * 2 + 2)
}

/** Everything a thrown value exposes: message, details, cause and stack. */
function exposed(error: unknown): string {
  const { message, stack, details, cause } = error as Error & { details?: unknown }
  return [message, stack, JSON.stringify(details), String(cause)].join('\n')
}

async function openError(sealed: SealedSeed, key = masterKey): Promise<unknown> {
  return openKeystore(sealed, key).then(
    () => expect.unreachable('the keystore opened'),
    (error: unknown) => error,
  )
}

describe('createSealedSeed / openKeystore', () => {
  test('round trip through JSON: the same addresses and backup words after reopening', async () => {
    const sealed = await createSealedSeed({ masterKey, keyId: 'k1', kdf: fast })
    expect(sealed).toMatchObject({ version: 1, keyId: 'k1', kdf: { name: 'argon2id', ...fast } })
    const first = await openKeystore(clone(sealed), masterKey)
    const second = await openKeystore(clone(sealed), masterKey)
    expect(first.keyId).toBe('k1')
    expect(evmAddress(first, 0)).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(evmAddress(second, 0)).toBe(evmAddress(first, 0))
    expect(evmAddress(second, 5)).toBe(evmAddress(first, 5))
    expect(evmAddress(first, 1)).not.toBe(evmAddress(first, 0))
    expect(first.exportMnemonic().split(' ')).toHaveLength(24)
    expect(second.exportMnemonic()).toBe(first.exportMnemonic())
  })

  test('12 words on request; a new seed every time', async () => {
    const a = await openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
    const b = await openKeystore(await createSealedSeed({ masterKey, words: 12, kdf: fast }), masterKey)
    expect(a.exportMnemonic().split(' ')).toHaveLength(12)
    expect(evmAddress(a, 0)).not.toBe(evmAddress(b, 0))
    expect(a.keyId).not.toBe(b.keyId)
  })

  test('opens with the default argon2id cost (19 MiB, 2 passes)', async () => {
    const started = performance.now()
    const sealed = await createSealedSeed({ masterKey })
    const sealedMs = performance.now() - started
    expect(sealed.kdf).toMatchObject({ memoryKiB: 19_456, iterations: 2, parallelism: 1 })
    const opening = performance.now()
    const keystore = await openKeystore(sealed, masterKey)
    console.log(
      `argon2id defaults: create ${sealedMs.toFixed(0)} ms, open ${(performance.now() - opening).toFixed(0)} ms`,
    )
    expect(evmAddress(keystore, 0)).toMatch(/^0x/)
    await expect(openKeystore(sealed, `${masterKey}!`)).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' })
  })

  test('error: a wrong master key fails with MASTER_KEY_INVALID', async () => {
    const sealed = await createSealedSeed({ masterKey, kdf: fast })
    const error = await openError(sealed, 'not the master key')
    expect(error).toMatchObject({
      code: 'MASTER_KEY_INVALID',
      message: 'master key does not open the keystore (wrong BURSAR_MASTER_KEY?)',
      details: { keyId: sealed.keyId },
    })
    expect(exposed(error)).not.toContain('not the master key')
  })

  test('error: an empty master key is refused before any work', async () => {
    await expect(createSealedSeed({ masterKey: '', kdf: fast })).rejects.toMatchObject({
      code: 'MASTER_KEY_INVALID',
    })
    const sealed = await createSealedSeed({ masterKey, kdf: fast })
    await expect(openKeystore(sealed, '')).rejects.toMatchObject({ code: 'MASTER_KEY_INVALID' })
  })

  test('error: flipping any byte of either ciphertext, nonce or the salt fails to open', async () => {
    const sealed = await createSealedSeed({ masterKey, words: 24, kdf: fast })
    // A damaged key-wrapping box reads as a wrong master key; a damaged seed box as a corrupt record.
    const fields = [
      ['wrappedDek', 'ciphertext', 'MASTER_KEY_INVALID'],
      ['wrappedDek', 'nonce', 'MASTER_KEY_INVALID'],
      ['kdf', 'salt', 'MASTER_KEY_INVALID'],
      ['seed', 'ciphertext', 'INTERNAL'],
      ['seed', 'nonce', 'INTERNAL'],
    ] as const
    for (const [group, field, code] of fields) {
      const original = (sealed[group] as Record<string, string>)[field]!
      for (let byte = 0; byte < original.length / 2; byte++) {
        const copy = clone(sealed)
        ;(copy[group] as Record<string, string>)[field] = flipHexByte(original, byte)
        expect(await openError(copy), `${group}.${field}[${byte}]`).toMatchObject({ code })
      }
    }
  })

  test('error: a changed kdf cost fails to open', async () => {
    const sealed = await createSealedSeed({ masterKey, kdf: fast })
    for (const kdf of [{ memoryKiB: 128 }, { iterations: 2 }, { parallelism: 2 }]) {
      const copy = clone(sealed)
      copy.kdf = { ...copy.kdf, ...kdf }
      expect(await openError(copy)).toMatchObject({ code: 'MASTER_KEY_INVALID' })
    }
  })

  test('error: a record whose keyId was changed, or whose seed box came from another key id, fails', async () => {
    const a = await createSealedSeed({ masterKey, keyId: 'a', kdf: fast })
    const b = await createSealedSeed({ masterKey, keyId: 'b', kdf: fast })
    const renamed = { ...clone(a), keyId: 'b' }
    expect(await openError(renamed)).toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/failed authentication/),
      details: { keyId: 'b' },
    })
    expect(await openError({ ...clone(a), seed: b.seed })).toMatchObject({ code: 'INTERNAL' })
    // Moving the whole envelope (DEK and seed) to another key id is caught by the seed's AAD too.
    expect(await openError({ ...clone(b), keyId: 'a' })).toMatchObject({ code: 'INTERNAL' })
  })

  test('error: a malformed or unbounded record is refused before argon2 runs', async () => {
    const sealed = await createSealedSeed({ masterKey, kdf: fast })
    const broken: unknown[] = [
      null,
      { ...sealed, version: 2 },
      { ...sealed, keyId: '' },
      { ...sealed, kdf: { ...sealed.kdf, memoryKiB: 100 * 1024 * 1024 } },
      { ...sealed, kdf: { ...sealed.kdf, name: 'scrypt' } },
      { ...sealed, seed: { ...sealed.seed, ciphertext: sealed.seed.ciphertext.slice(2) } },
      { ...sealed, wrappedDek: { ...sealed.wrappedDek, nonce: 'zz'.repeat(12) } },
    ]
    for (const record of broken) {
      expect(await openError(record as SealedSeed)).toMatchObject({ code: 'INTERNAL', message: /malformed/ })
    }
  })

  test('error: invalid kdf cost or word count is a validation failure', async () => {
    await expect(createSealedSeed({ masterKey, kdf: { memoryKiB: 4 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(createSealedSeed({ masterKey, kdf: { iterations: 1.5 } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(createSealedSeed({ masterKey, words: 18 as 12 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })
})

describe('importSealedSeed', () => {
  test('"abandon … about" derives the well-known address at index 0', async () => {
    const keystore = await openKeystore(
      await importSealedSeed({ masterKey, mnemonic: about, kdf: fast }),
      masterKey,
    )
    expect(evmAddress(keystore, 0)).toBe('0x9858EfFD232B4033E47d90003D41EC34EcaEda94')
    expect(keystore.exportMnemonic()).toBe(about)
    await keystore.withSigner('secp256k1', evmPathOf(0), async (signer) => {
      expect(signer.publicKey).toEqual(keystore.publicKey('secp256k1', evmPathOf(0)))
    })
  })

  test('error: an invalid mnemonic is refused without echoing the words', async () => {
    const mnemonic = about.replace('about', 'zebra')
    const error = await importSealedSeed({ masterKey, mnemonic, kdf: fast }).then(
      () => expect.unreachable(),
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', details: { wordCount: 12 } })
    expect(exposed(error)).not.toMatch(/abandon|zebra/)
    expect(exposed(error)).not.toContain(masterKey)
  })
})

describe('withSigner', () => {
  test('secp256k1: lends a signer whose signatures verify under the public key at that path', async () => {
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    for (const index of [0, 3, 2 ** 31 - 1]) {
      const path = evmPathOf(index)
      const signatures = await keystore.withSigner('secp256k1', path, async (signer) => {
        expect(signer.publicKey).toEqual(keystore.publicKey('secp256k1', path))
        // One derivation, a batch of signatures.
        return Promise.all([1, 2, 3].map((n) => signer.sign(new Uint8Array(32).fill(n))))
      })
      for (const [i, signature] of signatures.entries()) {
        const message = new Uint8Array(32).fill(i + 1)
        expect(
          secp256k1.verify(signature.bytes, message, keystore.publicKey('secp256k1', path), {
            prehash: false,
          }),
        ).toBe(true)
        expect([0, 1]).toContain(signature.recovery)
      }
    }
  })

  test('ed25519 (SLIP-0010): a signer whose signatures verify, on hardened paths only', async () => {
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    const path = "m/44'/501'/0'/0'"
    const message = new TextEncoder().encode('solana message')
    const signature = await keystore.withSigner('ed25519', path, (signer) => signer.sign(message))
    expect(ed25519.verify(signature.bytes, message, keystore.publicKey('ed25519', path))).toBe(true)
    expect(() => keystore.publicKey('ed25519', "m/44'/501'/0")).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })

  test('zeroes the seed and the private key, and the signer dies with its lease', async () => {
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    keystore.publicKey('secp256k1', evmPathOf(1))
    vi.clearAllMocks()
    let lent: { sign: (d: Uint8Array) => Promise<unknown> } | undefined
    await keystore.withSigner('secp256k1', evmPathOf(1), async (signer) => {
      lent = signer
      await signer.sign(digest)
      const privateKey = vi.mocked(toSecp256k1Signer).mock.calls[0]![0]
      expect(isZero(privateKey)).toBe(false)
    })
    const privateKey = vi.mocked(toSecp256k1Signer).mock.calls[0]![0]
    expect(privateKey).toHaveLength(32)
    expect(isZero(privateKey)).toBe(true)
    const seeds = vi.mocked(seedFromEntropy).mock.results.map((result) => result.value as Uint8Array)
    expect(seeds).toHaveLength(1)
    expect(isZero(seeds[0]!)).toBe(true)
    // The decrypted entropy is zeroed too (the first decryptAesGcm result of this call).
    const entropy = vi.mocked(decryptAesGcm).mock.results[0]!.value as Uint8Array
    expect(isZero(entropy)).toBe(true)
    await expect(lent!.sign(digest)).rejects.toMatchObject({ code: 'INTERNAL', message: /wiped/ })
  })

  test('zeroes the private key when the callback throws', async () => {
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    keystore.publicKey('secp256k1', evmPathOf(0))
    vi.clearAllMocks()
    await expect(
      keystore.withSigner('secp256k1', evmPathOf(0), async (signer) => {
        await signer.sign(digest)
        throw new Error('broadcast failed')
      }),
    ).rejects.toThrow('broadcast failed')
    expect(isZero(vi.mocked(toSecp256k1Signer).mock.calls[0]![0])).toBe(true)
  })

  test('error: a malformed path is refused', async () => {
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    for (const path of ["m/44'/60'/0'/0/-1", "m/44'/60'/0'/0/1.5", `m/44'/60'/0'/0/${2 ** 31}`, 'x/0', '']) {
      expect(() => keystore.publicKey('secp256k1', path)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      )
      await expect(keystore.withSigner('secp256k1', path, async () => {})).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      })
    }
  })
})

describe('close', () => {
  test('zeroes the data key; every later call throws', async () => {
    vi.clearAllMocks()
    const keystore = await openKeystore(await createSealedSeed({ masterKey, kdf: fast }), masterKey)
    const dek = vi.mocked(decryptAesGcm).mock.results[0]!.value as Uint8Array
    expect(dek).toHaveLength(32)
    expect(isZero(dek)).toBe(false)
    keystore.close()
    expect(isZero(dek)).toBe(true)
    expect(() => keystore.exportMnemonic()).toThrow(/closed/)
    expect(() => keystore.publicKey('secp256k1', evmPathOf(0))).toThrow(/closed/)
    await expect(keystore.withSigner('secp256k1', evmPathOf(0), async () => {})).rejects.toThrow(/closed/)
  })
})

describe('no secret leaves its room', () => {
  test('neither the sealed record nor any thrown error contains the words, entropy, seed or master key', async () => {
    const sealed = await createSealedSeed({ masterKey, words: 12, kdf: fast })
    const keystore = await openKeystore(sealed, masterKey)
    const words = keystore.exportMnemonic()
    const entropy = entropyFromMnemonic(words)
    const list = words.split(' ')
    const secrets = [
      words,
      // Adjacent pairs: a single word is common English and could match unrelated text.
      ...list.slice(1).map((word, i) => `${list[i]} ${word}`),
      Buffer.from(entropy).toString('hex'),
      Buffer.from(seedFromEntropy(entropy)).toString('hex'),
      masterKey,
    ]
    const errors: unknown[] = [
      await openError(sealed, 'wrong'),
      await openError({ ...clone(sealed), keyId: 'other' }),
      await importSealedSeed({ masterKey, mnemonic: `${words} extra` }).catch((e: unknown) => e),
      await importSealedSeed({ masterKey, mnemonic: words.replace(/^\S+/, 'notaword') }).catch(
        (e: unknown) => e,
      ),
    ]
    keystore.close()
    errors.push(await keystore.withSigner('secp256k1', evmPathOf(0), async () => {}).catch((e: unknown) => e))
    expect(errors.every((error) => error instanceof BursarError)).toBe(true)
    const record = JSON.stringify(sealed)
    for (const secret of secrets) {
      expect(record).not.toContain(secret)
      for (const error of errors) expect(exposed(error)).not.toContain(secret)
    }
    // Only public values are plain data: the key id and the audit public key.
    expect(JSON.stringify(keystore)).toBe(
      JSON.stringify({ keyId: sealed.keyId, auditPublicKey: keystore.auditPublicKey }),
    )
  })
})
