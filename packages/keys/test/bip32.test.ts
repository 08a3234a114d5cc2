/** BIP32 test vectors 1–5 (bitcoin/bips) through the derivation the keystore uses. */

import { readVector } from '@bursar/testing/vectors'
import { HDKey } from '@scure/bip32'
import { describe, expect, test } from 'vitest'
import { deriveHdKey } from '../src/keystore/deriveHdKey.ts'

type Bip32Vectors = {
  vectors: {
    id: string | number
    seedHex: string
    chains: { path: string; extPub: string; extPrv: string }[]
  }[]
  invalid: { key: string; reason: string }[]
}

const { vectors, invalid } = readVector<Bip32Vectors>('bip32.json')
const chains = vectors.flatMap(({ id, seedHex, chains }) =>
  chains.map((chain) => ({ id, seedHex, ...chain })),
)

describe('bip32 vectors', () => {
  test('there are 17 chains and 16 invalid keys', () => {
    expect(chains).toHaveLength(17)
    expect(invalid).toHaveLength(16)
  })

  test.each(chains)('vector $id $path', ({ seedHex, path, extPub, extPrv }) => {
    const key = deriveHdKey(Buffer.from(seedHex, 'hex'), path)
    expect(key.privateExtendedKey).toBe(extPrv)
    expect(key.publicExtendedKey).toBe(extPub)
    key.wipePrivateData()
    expect(key.privateKey).toBeNull()
  })

  // Bursar never parses extended keys itself; this pins that the library it derives with rejects them.
  test.each(invalid)('error: invalid key rejected ($reason)', ({ key }) => {
    expect(() => HDKey.fromExtendedKey(key)).toThrow()
  })
})

describe('deriveHdKey', () => {
  const seed = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')

  test("accepts h and H as the hardened marker, like '", () => {
    const expected = deriveHdKey(seed, "m/0'/1/2'").privateExtendedKey
    expect(deriveHdKey(seed, 'm/0h/1/2H').privateExtendedKey).toBe(expected)
  })

  test.each(['', 'M/0', 'm/', 'm/x', "m/0''", 'm/2147483648', 'm/-1', '0/1'])(
    'error: path "%s" is rejected',
    (path) => {
      expect(() => deriveHdKey(seed, path)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    },
  )
})
