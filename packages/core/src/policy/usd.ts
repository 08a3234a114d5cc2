/** US dollar amounts: owners write decimal strings ("12.50"); the engine counts integer micro-dollars. */

/** @example parseUsd('12.5') // 12_500_000n */
export function parseUsd(value: string): bigint {
  const [whole = '0', fraction = ''] = value.split('.')
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'))
}

/** @example formatUsd(12_500_000n) // '$12.50' */
export function formatUsd(micros: bigint): string {
  const whole = micros / 1_000_000n
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0')
  return `$${whole}.${fraction}`
}

const scales = Array.from({ length: 78 }, (_, decimals) => 10n ** BigInt(decimals))

/**
 * Value of `amount` base units in micro-dollars, rounded up so that USD limits never under-count.
 * Returns undefined for a malformed price (negative, or decimals outside 0..77), which then counts as no price.
 * @example usdMicros(1_500_000n, { usdMicrosPerUnit: 1_000_000n, decimals: 6 }) // 1_500_000n
 */
export function usdMicros(
  amount: bigint,
  price: { usdMicrosPerUnit: bigint; decimals: number },
): bigint | undefined {
  const scale = scales[price.decimals]
  if (scale === undefined || typeof price.usdMicrosPerUnit !== 'bigint' || price.usdMicrosPerUnit < 0n)
    return undefined
  return (amount * price.usdMicrosPerUnit + scale - 1n) / scale
}
