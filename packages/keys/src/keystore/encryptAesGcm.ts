/** AES-256-GCM encryption into the hex box stored in a SealedSeed or a SealedSecret. */
import { createCipheriv, randomBytes } from 'node:crypto'
import type { SealedBox } from './SealedSeed.ts'

// Every key here encrypts exactly one message (a fresh DEK per seed, a fresh salt per KEK and per sealed
// secret's key), so a random 96-bit nonce cannot repeat under the same key.
export function encryptAesGcm(key: Uint8Array, plaintext: Uint8Array, additionalData: Uint8Array): SealedBox {
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(additionalData)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
  return { nonce: nonce.toString('hex'), ciphertext: ciphertext.toString('hex') }
}
