/** One-time recovery codes for an account with a second factor, for when the authenticator is lost. */
import { randomBytes } from 'node:crypto'
import { BursarError } from '@bursar/core/errors'
import { hashRecoveryCode, recoveryCodeAlphabet, recoveryCodeSymbols } from './hashRecoveryCode.ts'

export type CreateRecoveryCodesReturnType = {
  /** Shown to the person once, e.g. `7qkm-2x9p-hd4r-0bza`; never stored, logged or sent anywhere else. */
  codes: string[]
  /** SHA-256 of each code (hex), in the same order: what is stored. */
  hashes: string[]
}

// A hyphen after every fourth symbol but the last.
const groupPattern = /(.{4})(?=.)/g

/**
 * Each code is 16 symbols of Crockford base32 (80 bits from the CSPRNG), in four groups of four: easy to read out
 * and type, and strong enough for a fast hash (see hashRecoveryCode.ts). Issuing a new set replaces the old one.
 *
 * @example
 * const { codes, hashes } = createRecoveryCodes()
 * await saveRecoveryCodes(db, accountId, hashes) // then show `codes` once
 */
export function createRecoveryCodes(count = 10): CreateRecoveryCodesReturnType {
  if (!Number.isSafeInteger(count) || count < 1 || count > 100) {
    throw new BursarError('VALIDATION_FAILED', 'the number of recovery codes must be 1–100')
  }
  const codes = Array.from({ length: count }, () => {
    // 256 is a multiple of 32, so the low five bits of a random byte pick every symbol with equal chance.
    const symbols = [...randomBytes(recoveryCodeSymbols)].map((byte) => recoveryCodeAlphabet[byte & 31]!)
    return symbols.join('')
  })
  return {
    codes: codes.map((code) => code.replace(groupPattern, '$1-')),
    hashes: codes.map(hashRecoveryCode),
  }
}
