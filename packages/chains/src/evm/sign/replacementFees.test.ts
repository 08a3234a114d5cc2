import { describe, expect, test } from 'vitest'
import { bumped, replacementFees } from './replacementFees.ts'
import { withinFeeCeiling } from './withinFeeCeiling.ts'

const gwei = 10n ** 9n

describe('replacementFees', () => {
  test('bumps both fees by at least 10 %, and follows the market when it is higher', () => {
    const fees = replacementFees({
      previous: { maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: 1n * gwei },
      market: { maxFeePerGas: 5n * gwei, maxPriorityFeePerGas: 3n * gwei },
      gas: 21_000n,
      maxFee: 21_000n * 100n * gwei,
      cancel: false,
    })
    expect(fees).toEqual({ maxFeePerGas: 11n * gwei, maxPriorityFeePerGas: 3n * gwei })
  })

  test('a bump rounds up and is never zero', () => {
    expect(bumped(0n)).toBe(1n)
    expect(bumped(1n)).toBe(2n)
    expect(bumped(11n)).toBe(13n)
    expect(bumped(100n)).toBe(110n)
  })

  test('a first version priced at its ceiling leaves room for exactly two replacements within the reserved fee', () => {
    const gas = 21_000n
    const maxFee = gas * 121n * gwei
    const first = withinFeeCeiling(
      { gas, decidedGas: gas, maxFee },
      { maxFeePerGas: 121n * gwei, maxPriorityFeePerGas: 2n * gwei },
    )
    expect(first.maxFeePerGas).toBe(100n * gwei - 3n)
    const market = { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }
    const second = replacementFees({ previous: first, market, gas, maxFee, cancel: false })
    expect(second).toMatchObject({ maxPriorityFeePerGas: 2_200_000_000n })
    const third = replacementFees({ previous: second as never, market, gas, maxFee, cancel: false })
    expect(third).toMatchObject({ maxPriorityFeePerGas: 2_420_000_000n })
    expect((third as typeof first).maxFeePerGas).toBeLessThanOrEqual(121n * gwei)
    const fourth = replacementFees({ previous: third as never, market, gas, maxFee, cancel: false })
    expect(fourth).toHaveProperty('wait')
    // Whatever happened, no version can cost more than the reserved fee.
    for (const fees of [first, second, third])
      expect(gas * (fees as typeof first).maxFeePerGas <= maxFee).toBe(true)
  })

  test('on a chain without a base fee the first version keeps the whole tip (else each estimate would shrink)', () => {
    const gas = 21_000n
    const first = withinFeeCeiling(
      { gas, decidedGas: gas, maxFee: gas * gwei },
      { maxFeePerGas: gwei, maxPriorityFeePerGas: gwei, baseFeePerGas: 0n },
    )
    expect(first).toEqual({ gas, maxFeePerGas: gwei, maxPriorityFeePerGas: gwei })
  })

  test('a cancellation past the ceiling is still made, at the ceiling', () => {
    const fees = replacementFees({
      previous: { maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: 10n * gwei },
      market: { maxFeePerGas: 1n, maxPriorityFeePerGas: 1n },
      gas: 21_000n,
      maxFee: 21_000n * 10n * gwei,
      cancel: true,
    })
    expect(fees).toEqual({ maxFeePerGas: 10n * gwei, maxPriorityFeePerGas: 10n * gwei })
  })
})
