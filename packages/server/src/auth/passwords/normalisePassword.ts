/** The one form a password is counted and hashed in, shared by hashPassword and verifyPassword. */
import { passwordMaxLength } from './passwordParameters.ts'

export type NormalisePasswordReturnType =
  | {
      ok: true
      /** NFKC: what is hashed. As secret as the input; never log it. */
      normalised: string
      /** In Unicode code points, the unit NIST SP 800-63B counts in. */
      length: number
    }
  | { ok: false; reason: 'too_long' | 'malformed' }

// Longer raw input is refused before normalising, so a megabyte body costs nothing. 16 UTF-16 units per allowed
// code point is far more than NFKC can fold away (it composes a base and a few marks into one code point).
const maxRawLength = passwordMaxLength * 16

/**
 * NFKC (NIST SP 800-63B asks for NFKC or NFKD) so the same password typed on another keyboard or OS, with a
 * precomposed "é" or e + combining accent, a full-width "Ａ" or a plain "A", hashes the same. `malformed` is for
 * input that is not a string or holds a lone UTF-16 surrogate: those reach argon2 as U+FFFD, so two different
 * passwords would hash alike. The minimum length is left to hashPassword: a password set under an older, shorter
 * minimum must still verify. The refusal carries no part of the input.
 *
 * @example
 * const result = normalisePassword('ｃｏｒｒｅｃｔ horse') // { ok: true, normalised: 'correct horse', length: 13 }
 */
export function normalisePassword(password: string): NormalisePasswordReturnType {
  if (typeof password !== 'string' || !password.isWellFormed()) return { ok: false, reason: 'malformed' }
  if (password.length > maxRawLength) return { ok: false, reason: 'too_long' }
  const normalised = password.normalize('NFKC')
  let length = 0
  for (const _ of normalised) length++
  if (length > passwordMaxLength) return { ok: false, reason: 'too_long' }
  return { ok: true, normalised, length }
}
