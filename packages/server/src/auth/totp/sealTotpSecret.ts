/** Seals an account's TOTP secret for storage, the way the keystore seals key material. */
import type { Keystore, SealedSecret } from '@bursar/keys/keystore'

export type SealTotpSecretReturnType = SealedSecret

/**
 * AES-256-GCM under a key derived from the master seed, bound to the account id by its additional data: a database
 * reader learns nothing, and a sealed secret copied onto another account does not open there. Store the returned
 * object (JSON) as it is.
 *
 * @example
 * const sealed = sealTotpSecret(ctx.keystore, account.id, createTotpSecret())
 */
export function sealTotpSecret(
  keystore: Pick<Keystore, 'sealSecret'>,
  accountId: string,
  secret: string,
): SealTotpSecretReturnType {
  const plaintext = new TextEncoder().encode(secret)
  try {
    return keystore.sealSecret('totp', accountId, plaintext)
  } finally {
    plaintext.fill(0)
  }
}
