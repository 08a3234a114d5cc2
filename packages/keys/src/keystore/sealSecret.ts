/** Seals a small secret for one record under a key derived, for that record alone, from the secret-sealing key. */
import { hkdfSync, randomBytes } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import { secretAdditionalData } from './additionalData.ts'
import { encryptAesGcm } from './encryptAesGcm.ts'
import { maxSecretBytes, type SealedSecret, type SecretPurpose } from './SealedSecret.ts'

const recordKeyInfo = 'bursar/sealed-secret/v1'

/**
 * The one key per record (HKDF-SHA256 of the sealing key with the record's random salt) keeps the rule that every
 * AES-GCM key here encrypts exactly one message, so random nonces can never collide. The caller zeroes it.
 */
export function recordKey(sealingKey: Uint8Array, salt: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', sealingKey, salt, recordKeyInfo, 32))
}

/**
 * The caller still owns (and zeroes) `plaintext`. The id is not secret and goes into errors; the plaintext never does.
 *
 * @example
 * const sealed = sealSecret(sealingKey, 'totp', accountId, new TextEncoder().encode(secret))
 */
export function sealSecret(
  sealingKey: Uint8Array,
  purpose: SecretPurpose,
  id: string,
  plaintext: Uint8Array,
): SealedSecret {
  if (id === '') throw new BursarError('VALIDATION_FAILED', 'a sealed secret needs a record id')
  if (plaintext.length > maxSecretBytes) {
    throw new BursarError('VALIDATION_FAILED', `a sealed secret holds at most ${maxSecretBytes} bytes`)
  }
  const salt = randomBytes(16)
  const key = recordKey(sealingKey, salt)
  try {
    const box = encryptAesGcm(key, plaintext, secretAdditionalData(purpose, id))
    return { version: 1, salt: salt.toString('hex'), ...box }
  } finally {
    key.fill(0)
  }
}
