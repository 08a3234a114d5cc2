import { describe, expect, test } from 'vitest'
import { parseDuration } from './parseDuration.ts'

describe('parseDuration', () => {
  test.each([
    ['30s', 30],
    ['30m', 1800],
    ['1h', 3600],
    ['24h', 86_400],
    ['7d', 604_800],
    ['2w', 1_209_600],
    ['1h30m', 5400],
    ['366d', 31_622_400],
  ])('%s → %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds)
  })

  test.each(['', '0h', '1', 'h', '1.5h', '-1h', '1 h', '1H', '367d', '01h', '1y'])('error: %j', (input) => {
    expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }))
  })
})
