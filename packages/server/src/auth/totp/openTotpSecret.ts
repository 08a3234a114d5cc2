/** Opens an account's sealed TOTP secret for one check. */
import { BursarError } from '@bursar/core/errors'
import type { Keystore, SealedSecret } from '@bursar/keys/keystore'

export type OpenTotpSecretReturnType = string

/**
 * Throws INTERNAL, naming the account but nothing sealed, when the record does not open: it was altered, copied from
 * another account, or sealed under another master seed. That is tampering or corruption, not a wrong code, so it is
 * not a refusal the person can fix. The secret comes back as a string (what otplib takes); it cannot be zeroed, so
 * keep it only for the check.
 *
 * @example
 * const result = verifyTotp({ secret: openTotpSecret(ctx.keystore, account.id, row.totp_secret), code, now })
 */
export function openTotpSecret(
  keystore: Pick<Keystore, 'openSecret'>,
  accountId: string,
  sealed: SealedSecret,
): OpenTotpSecretReturnType {
  const plaintext = keystore.openSecret('totp', accountId, sealed)
  if (!plaintext) {
    throw new BursarError(
      'INTERNAL',
      'sealed TOTP secret failed authentication: the record was altered or belongs to another account',
      { details: { accountId } },
    )
  }
  try {
    return new TextDecoder().decode(plaintext)
  } finally {
    plaintext.fill(0)
  }
}
