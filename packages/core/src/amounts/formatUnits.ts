/** Base units as people read them: an exact decimal, never a float. */

/**
 * `amount` in whole units of an asset with `decimals` decimals, without trailing zeros.
 * @example formatUnits(1_500_000_000_000_000_000n, 18) // '1.5'
 * @example formatUnits(42n, 0) // '42'
 */
export function formatUnits(amount: bigint, decimals: number): string {
  const negative = amount < 0n
  const digits = (negative ? -amount : amount).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}
