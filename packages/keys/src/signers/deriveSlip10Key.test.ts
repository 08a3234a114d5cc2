/** SLIP-0010 Ed25519 test vectors 1 and 2 (../shared/vectors/slip10-ed25519.json), every chain reproduced. */
import { readVector } from '@bursar/testing/vectors'
import { bytesToHex } from '@noble/hashes/utils.js'
import { describe, expect, test } from 'vitest'
import { deriveSlip10Key } from './deriveSlip10Key.ts'
import { toEd25519Signer } from './toEd25519Signer.ts'

type Vector = {
  id: string
  seedHex: string
  chains: Array<{ path: string; chainCode: string; privateKey: string; publicKey: string }>
}
const { vectors } = readVector<{ vectors: Vector[] }>('slip10-ed25519.json')

describe('SLIP-0010 ed25519', () => {
  test('there are two vectors of six chains', () => {
    expect(vectors.map((vector) => vector.chains.length)).toEqual([6, 6])
  })

  for (const vector of vectors) {
    test.each(vector.chains)(`${vector.id} %#: $path`, (chain) => {
      const key = deriveSlip10Key(Buffer.from(vector.seedHex, 'hex'), chain.path)
      expect(bytesToHex(key.privateKey)).toBe(chain.privateKey)
      expect(bytesToHex(key.chainCode)).toBe(chain.chainCode)
      // The vectors prefix the 32-byte public key with 0x00 (SLIP-0010's 33-byte form).
      expect(`00${bytesToHex(toEd25519Signer(key.privateKey).publicKey)}`).toBe(chain.publicKey)
    })
  }

  test('error: a non-hardened segment is refused (SLIP-0010 has none for Ed25519)', () => {
    expect(() => deriveSlip10Key(new Uint8Array(32), "m/0'/1")).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
  })
})
