/** Amounts are integers in base units carried as decimal strings; never floats. */
import { BursarError } from '../errors/BursarError.ts'

/** Largest amount Bursar accepts: the EVM word size. */
export const maxAmount = 2n ** 256n - 1n

const decimalInteger = /^(0|[1-9][0-9]*)$/

/**
 * Parses a base-unit amount. Rejects negatives, fractions, exponents, leading zeros and overflow.
 * @example parseAmount('1000000000000000000') // 10n ** 18n
 */
export function parseAmount(value: string, field = 'amount'): bigint {
  if (typeof value !== 'string' || !decimalInteger.test(value) || value.length > 78) {
    throw new BursarError(
      'INVALID_AMOUNT',
      `${field} must be a non-negative integer in base units, as a decimal string`,
      {
        details: { field },
      },
    )
  }
  const amount = BigInt(value)
  if (amount > maxAmount) {
    throw new BursarError('INVALID_AMOUNT', `${field} exceeds 2^256 - 1`, { details: { field } })
  }
  return amount
}
