/** Opens a SealedSecret for the record it was sealed for (see SealedSecret.ts). */
import { secretAdditionalData } from './additionalData.ts'
import { decryptAesGcm } from './decryptAesGcm.ts'
import { maxSecretBytes, type SealedSecret, type SecretPurpose } from './SealedSecret.ts'
import { recordKey } from './sealSecret.ts'

const hex = /^(?:[0-9a-f]{2})*$/
const tagBytes = 16

/**
 * Returns undefined when the value is not a well-formed SealedSecret or does not authenticate (altered, sealed for
 * another record or purpose, or under another seed), so each caller can say what that means. The caller owns (and
 * zeroes) the plaintext.
 *
 * @example
 * const plaintext = openSecret(sealingKey, 'totp', accountId, row.totp_secret)
 */
export function openSecret(
  sealingKey: Uint8Array,
  purpose: SecretPurpose,
  id: string,
  sealed: SealedSecret,
): Buffer | undefined {
  if (!isWellFormed(sealed)) return undefined
  const key = recordKey(sealingKey, Buffer.from(sealed.salt, 'hex'))
  try {
    return decryptAesGcm(key, sealed, secretAdditionalData(purpose, id))
  } finally {
    key.fill(0)
  }
}

// Checked before any crypto: the value comes from storage, and node:crypto throws (rather than failing to
// authenticate) on a short tag or odd hex.
function isWellFormed(sealed: unknown): sealed is SealedSecret {
  if (typeof sealed !== 'object' || sealed === null) return false
  const { version, salt, nonce, ciphertext } = sealed as Record<string, unknown>
  return (
    version === 1 &&
    isHex(salt, 16, 16) &&
    isHex(nonce, 12, 12) &&
    isHex(ciphertext, tagBytes, tagBytes + maxSecretBytes)
  )
}

function isHex(value: unknown, minBytes: number, maxBytes: number): value is string {
  return (
    typeof value === 'string' &&
    value.length >= minBytes * 2 &&
    value.length <= maxBytes * 2 &&
    hex.test(value)
  )
}
