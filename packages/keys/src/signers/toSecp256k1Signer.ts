/** A secp256k1 signer over a borrowed private key: signs 32-byte digests, never sees what they stand for. */
import { secp256k1 } from '@noble/curves/secp256k1.js'
import type { Signer } from './Signer.ts'
import { signingFailed } from './signingFailed.ts'

/**
 * Borrows `privateKey` without copying it: the owner zeroes the buffer when the lease ends, after which `sign`
 * refuses.
 * @example const signature = await toSecp256k1Signer(key).sign(keccak256(unsignedTx, 'bytes'))
 */
export function toSecp256k1Signer(privateKey: Uint8Array): Signer {
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.getPublicKey(privateKey, true)
  } catch {
    // Swallow the cause: a library error about a bad key may print the key.
    throw signingFailed('not a valid secp256k1 private key')
  }
  return {
    curve: 'secp256k1',
    publicKey,
    async sign(digest) {
      if (privateKey.every((byte) => byte === 0)) throw signingFailed('signer used after its key was wiped')
      if (digest.length !== 32) throw signingFailed('a secp256k1 signer signs 32-byte digests')
      let signature: Uint8Array
      try {
        // 'recovered' puts the recovery bit first: [recovery, r(32), s(32)].
        signature = secp256k1.sign(digest, privateKey, { prehash: false, format: 'recovered' })
      } catch {
        throw signingFailed('signing failed')
      }
      return { bytes: signature.slice(1, 65), recovery: signature[0]! }
    },
  }
}
