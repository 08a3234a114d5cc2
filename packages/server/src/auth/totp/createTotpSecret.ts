/** A fresh TOTP secret for enrolling an authenticator app. */
import { generateSecret } from 'otplib'
import { totpSecretBytes } from './totpParameters.ts'

/** Base32 (RFC 4648, upper case, no padding): 32 characters for 160 bits. */
export type CreateTotpSecretReturnType = string

/**
 * 160 bits from the platform CSPRNG (otplib's noble plugin reads `crypto.getRandomValues`), in base32 because that is
 * what otpauth URIs and authenticator apps take. It is a secret like a key: seal it with `sealTotpSecret` before it is
 * stored, and never log it.
 *
 * @example
 * const secret = createTotpSecret() // e.g. 'WFJQETYNVTMCCKB74GRH6QSHJI6MDWZ3'
 * const uri = totpUri({ secret, account: 'alice@example.com', issuer: 'Bursar' })
 */
export function createTotpSecret(): CreateTotpSecretReturnType {
  return generateSecret({ length: totpSecretBytes })
}
