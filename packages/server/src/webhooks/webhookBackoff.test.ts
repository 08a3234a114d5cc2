import { describe, expect, test } from 'vitest'
import { webhookBackoff } from './webhookBackoff.ts'

const ceiling = (attempt: number) => webhookBackoff(attempt, () => 1)

describe('webhookBackoff', () => {
  test('the ceiling doubles from 5 s with each failed attempt', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(ceiling)).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 640_000, 1_280_000, 2_560_000,
    ])
  })

  test('the ceiling stops at 1 h', () => {
    expect([11, 12, 13, 14].map(ceiling)).toEqual([3_600_000, 3_600_000, 3_600_000, 3_600_000])
  })

  test('full jitter: anywhere from zero up to the ceiling, as random says', () => {
    expect(webhookBackoff(1, () => 0)).toBe(0)
    expect(webhookBackoff(1, () => 0.5)).toBe(2_500)
    expect(webhookBackoff(3, () => 0.25)).toBe(5_000)
    expect(webhookBackoff(12, () => 0.5)).toBe(1_800_000)
    for (let i = 0; i < 200; i++) {
      const delay = webhookBackoff(4, Math.random)!
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(40_000)
    }
  })

  test('gives up after the fifteenth attempt: null', () => {
    expect(webhookBackoff(14, () => 0.5)).not.toBeNull()
    expect(webhookBackoff(15, () => 0.5)).toBeNull()
    expect(webhookBackoff(16, () => 0.5)).toBeNull()
  })

  test('a random outside [0, 1) stays within the bounds', () => {
    expect(webhookBackoff(2, () => -3)).toBe(0)
    expect(webhookBackoff(2, () => 7)).toBe(10_000)
    expect(webhookBackoff(2, () => Number.NaN)).toBe(0)
  })

  test('error: an attempt that is not a positive integer → RangeError', () => {
    for (const attempt of [0, -1, 1.5, Number.NaN]) {
      expect(() => webhookBackoff(attempt, Math.random)).toThrow(RangeError)
    }
  })
})
