/** AES-256-GCM decryption of a SealedSeed or SealedSecret box; the caller owns (and zeroes) the plaintext. */
import { createDecipheriv } from 'node:crypto'
import type { SealedBox } from './SealedSeed.ts'

const tagLength = 16

/** Returns undefined when the box does not authenticate, so each caller can say what that means. */
export function decryptAesGcm(
  key: Uint8Array,
  box: SealedBox,
  additionalData: Uint8Array,
): Buffer | undefined {
  const sealed = Buffer.from(box.ciphertext, 'hex')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.nonce, 'hex'), {
    authTagLength: tagLength,
  })
  decipher.setAAD(additionalData)
  decipher.setAuthTag(sealed.subarray(sealed.length - tagLength))
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - tagLength))
  try {
    decipher.final()
    return plaintext
  } catch {
    plaintext.fill(0)
    return undefined
  }
}
