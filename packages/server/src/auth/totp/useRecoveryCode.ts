/** Finds which of an account's unused recovery codes a typed code is. */
import { timingSafeEqual } from 'node:crypto'
import { hashRecoveryCode, normaliseRecoveryCode } from './hashRecoveryCode.ts'

/** The index in `storedHashes` the code matched, or undefined for a wrong, used or malformed code. */
export type UseRecoveryCodeReturnType = number | undefined

/**
 * Pure: nothing is marked here. On a match the caller marks that code used (sets its hash to null, or a used-at
 * column) atomically with accepting it (e.g. `UPDATE … WHERE used_at IS NULL`, one row or refuse), so each code works
 * once even when two requests race with it. A null entry is a used code and never matches. Case, separators and
 * look-alike letters are forgiven (see normaliseRecoveryCode). Every stored hash is compared, in constant time, so
 * the time taken says nothing about which one matched.
 *
 * @example
 * const index = useRecoveryCode(' 7QKM 2X9P HD4R 0BZA ', account.recoveryHashes)
 * if (index !== undefined) await markRecoveryCodeUsed(db, account.id, index)
 */
export function useRecoveryCode(
  code: string,
  storedHashes: readonly (string | null)[],
): UseRecoveryCodeReturnType {
  const normalised = normaliseRecoveryCode(code)
  if (normalised === undefined) return undefined
  const candidate = Buffer.from(hashRecoveryCode(normalised), 'hex')
  let matched: number | undefined
  storedHashes.forEach((stored, index) => {
    if (stored === null) return
    const bytes = Buffer.from(stored, 'hex')
    if (bytes.length === candidate.length && timingSafeEqual(bytes, candidate) && matched === undefined) {
      matched = index
    }
  })
  return matched
}
