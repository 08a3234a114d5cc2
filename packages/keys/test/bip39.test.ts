/** BIP39 English vectors (trezor/python-mnemonic) through the functions the keystore derives with. */
import { randomBytes } from 'node:crypto'
import { readVector } from '@bursar/testing/vectors'
import { entropyToMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { describe, expect, test } from 'vitest'
import { deriveHdKey } from '../src/keystore/deriveHdKey.ts'
import { entropyFromMnemonic } from '../src/keystore/entropyFromMnemonic.ts'
import { mnemonicBytesFromEntropy } from '../src/keystore/mnemonicBytesFromEntropy.ts'
import { seedFromEntropy } from '../src/keystore/seedFromEntropy.ts'

type Bip39Vectors = { passphrase: string; english: [string, string, string, string][] }

const { passphrase, english } = readVector<Bip39Vectors>('bip39.json')
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('bip39 english vectors', () => {
  test('there are 24 vectors', () => {
    expect(english).toHaveLength(24)
  })

  test.each(english)('entropy %s', (entropyHex, mnemonic, seedHex, rootXprv) => {
    const entropy = Buffer.from(entropyHex, 'hex')
    expect(new TextDecoder().decode(mnemonicBytesFromEntropy(entropy))).toBe(mnemonic)
    expect(hex(entropyFromMnemonic(mnemonic))).toBe(entropyHex)
    const seed = seedFromEntropy(entropy, passphrase)
    expect(hex(seed)).toBe(seedHex)
    expect(deriveHdKey(seed, 'm').privateExtendedKey).toBe(rootXprv)
  })
})

describe('mnemonicBytesFromEntropy', () => {
  test('matches @scure/bip39 for random entropy of every length', () => {
    for (const length of [16, 20, 24, 28, 32]) {
      for (let round = 0; round < 50; round++) {
        const entropy = randomBytes(length)
        expect(new TextDecoder().decode(mnemonicBytesFromEntropy(entropy))).toBe(
          entropyToMnemonic(entropy, wordlist),
        )
      }
    }
  })

  test('error: entropy of a length BIP39 does not define', () => {
    expect(() => mnemonicBytesFromEntropy(new Uint8Array(17))).toThrow(RangeError)
  })
})

describe('entropyFromMnemonic', () => {
  const about =
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about'

  test('tolerates capitals and extra whitespace', () => {
    expect(hex(entropyFromMnemonic(`  ${about.toUpperCase().replaceAll(' ', ' \n ')} `))).toBe(
      '00'.repeat(16),
    )
  })

  test.each([
    ['a bad checksum', about.replace(/about$/, 'abandon')],
    ['an unknown word', about.replace(/about$/, 'zzyzx')],
    ['a word count BIP39 does not define', about.split(' ').slice(1).join(' ')],
  ])('error: %s is rejected without quoting the words', (_, mnemonic) => {
    try {
      entropyFromMnemonic(mnemonic)
      expect.unreachable()
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' })
      const { message, details, cause } = error as { message: string; details: object; cause: unknown }
      expect(message).not.toMatch(/abandon|about|zzyzx/)
      expect(Object.keys(details)).toEqual(['wordCount'])
      expect(cause).toBeUndefined()
    }
  })
})
