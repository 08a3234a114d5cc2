import { expect, test } from 'vitest'
import { formatUnits } from './formatUnits.ts'

test.each([
  [0n, 18, '0'],
  [1n, 18, '0.000000000000000001'],
  [1_500_000_000_000_000_000n, 18, '1.5'],
  [10n ** 24n, 18, '1000000'],
  [42n, 0, '42'],
  [1_000_001n, 6, '1.000001'],
  [-25n, 1, '-2.5'],
])('formatUnits(%s, %s) is %s', (amount, decimals, expected) => {
  expect(formatUnits(amount, decimals)).toBe(expected)
})
