/** An Ed25519 signer over a borrowed 32-byte private key (seed). */
import { ed25519 } from '@noble/curves/ed25519.js'
import type { Signer } from './Signer.ts'
import { signingFailed } from './signingFailed.ts'

/** @example const { bytes } = await toEd25519Signer(seed).sign(messageBytes) */
export function toEd25519Signer(privateKey: Uint8Array): Signer {
  let publicKey: Uint8Array
  try {
    publicKey = ed25519.getPublicKey(privateKey)
  } catch {
    throw signingFailed('not a valid ed25519 private key')
  }
  return {
    curve: 'ed25519',
    publicKey,
    async sign(message) {
      if (privateKey.every((byte) => byte === 0)) throw signingFailed('signer used after its key was wiped')
      return { bytes: ed25519.sign(message, privateKey) }
    },
  }
}
