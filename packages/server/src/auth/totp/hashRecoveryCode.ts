/** The normal form and the stored hash of a recovery code, shared by createRecoveryCodes and useRecoveryCode. */
import { createHash } from 'node:crypto'

/** Crockford's base32: no i, l, o or u, so nothing on the printed sheet reads as two different symbols. */
export const recoveryCodeAlphabet = '0123456789abcdefghjkmnpqrstvwxyz'
/** 16 symbols of 5 bits: 80 bits per code. */
export const recoveryCodeSymbols = 16

const lookAlikes: Record<string, string> = { i: '1', l: '1', o: '0' }
const normalPattern = new RegExp(`^[${recoveryCodeAlphabet}]{${recoveryCodeSymbols}}$`)
// Far above "xxxx-xxxx-xxxx-xxxx" with spaces around every symbol; longer input is refused before any work.
const maxInputLength = 64

/**
 * Lower case, separators (whitespace, hyphens, en dashes, dots, underscores) dropped, and Crockford's look-alikes
 * read as the digits they resemble (i and l as 1, o as 0), so a code copied by hand still matches. Undefined when
 * the input cannot be a recovery code.
 */
export function normaliseRecoveryCode(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > maxInputLength) return undefined
  const folded = input
    .toLowerCase()
    .replace(/[\s\-–._]/g, '')
    .replace(/[ilo]/g, (symbol) => lookAlikes[symbol]!)
  return normalPattern.test(folded) ? folded : undefined
}

/**
 * SHA-256 (hex) of a normalised code. A fast hash is right here, unlike for passwords: a code carries 80 random
 * bits, so even a trillion guesses a second against a stolen table take tens of thousands of years per code, and a
 * slow hash would only add latency. No salt either: every code is random, so nothing can be precomputed or shared.
 */
export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(normalised, 'utf8').digest('hex')
}
