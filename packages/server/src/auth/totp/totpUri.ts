/** The otpauth:// URI that enrols a TOTP secret in an authenticator app (Google's Key Uri Format). */
import { BursarError } from '@bursar/core/errors'
import { generateURI } from 'otplib'

export type TotpUriParameters = {
  /** Base32, from createTotpSecret. */
  secret: string
  /** What the app shows under the issuer, usually the account's email address. */
  account: string
  issuer: 'Bursar'
}

export type TotpUriReturnType = string

/**
 * `otpauth://totp/<issuer>:<account>?secret=…&issuer=…`. Algorithm, digits and period are left out: Bursar uses the
 * format's defaults (SHA-1, 6, 30 s), which every app assumes when they are absent. The URI carries the secret: show
 * it (or its QR code) once, at enrolment, and never log it.
 *
 * Throws VALIDATION_FAILED when the account is empty, too long or contains a colon: the label is `issuer:account`,
 * and otplib does not escape the colon, so an app would split it in the wrong place.
 *
 * @example
 * totpUri({ secret, account: 'alice@example.com', issuer: 'Bursar' })
 * // 'otpauth://totp/Bursar:alice%40example.com?secret=…&issuer=Bursar'
 */
export function totpUri(parameters: TotpUriParameters): TotpUriReturnType {
  const { secret, account, issuer } = parameters
  if (account.trim() === '' || account.length > 254 || account.includes(':')) {
    throw new BursarError(
      'VALIDATION_FAILED',
      'the TOTP account name must be 1–254 characters without a colon',
    )
  }
  return generateURI({ issuer, label: account, secret })
}
