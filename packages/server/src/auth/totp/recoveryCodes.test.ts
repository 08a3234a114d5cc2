import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { createRecoveryCodes } from './createRecoveryCodes.ts'
import { useRecoveryCode } from './useRecoveryCode.ts'

const format = /^[0-9abcdefghjkmnpqrstvwxyz]{4}(?:-[0-9abcdefghjkmnpqrstvwxyz]{4}){3}$/
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('createRecoveryCodes', () => {
  test('ten codes of four groups of four Crockford base32 symbols (80 bits), with their SHA-256 for storage', () => {
    const { codes, hashes } = createRecoveryCodes()
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(format)
      expect(hashes[i]).toBe(sha256(code.replaceAll('-', '')))
    }
    expect(createRecoveryCodes(3).codes).toHaveLength(3)
  })

  test('every symbol is equally likely', () => {
    // 160,000 symbols: each of the 32 is expected 5,000 times (σ ≈ 70); a biased mapping would miss by far more.
    const counts = new Map<string, number>()
    const codes = Array.from({ length: 100 }, () => createRecoveryCodes(100).codes).flat()
    for (const code of codes) {
      for (const symbol of code.replaceAll('-', '')) counts.set(symbol, (counts.get(symbol) ?? 0) + 1)
    }
    expect(counts.size).toBe(32)
    for (const [symbol, count] of counts) expect(count, symbol).toBeGreaterThan(4_500)
    for (const [symbol, count] of counts) expect(count, symbol).toBeLessThan(5_500)
  })

  test('error: a count outside 1–100 is refused', () => {
    for (const count of [0, -1, 1.5, 101, Number.NaN]) {
      expect(() => createRecoveryCodes(count), String(count)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      )
    }
  })
})

describe('useRecoveryCode', () => {
  test('finds the index of the code typed, forgiving case, separators and look-alike letters', () => {
    const { codes, hashes } = createRecoveryCodes()
    const code = codes[3]!
    const typings = [
      code,
      code.toUpperCase(),
      code.replaceAll('-', ''),
      ` ${code.replaceAll('-', ' ')} `,
      code.replaceAll('-', '–'),
      code.replaceAll('1', 'l').replaceAll('0', 'O'),
      code.replaceAll('1', 'I'),
    ]
    for (const typed of typings) expect(useRecoveryCode(typed, hashes), typed).toBe(3)
  })

  test('error: a code works once — after the caller marks it used, it matches nothing; the others still work', () => {
    const { codes, hashes } = createRecoveryCodes()
    const stored: (string | null)[] = [...hashes]
    const index = useRecoveryCode(codes[0]!, stored)
    expect(index).toBe(0)
    stored[index!] = null
    expect(useRecoveryCode(codes[0]!, stored)).toBeUndefined()
    expect(useRecoveryCode(codes[1]!, stored)).toBe(1)
  })

  test("error: a wrong code, another account's code, or a malformed one matches nothing", () => {
    const mine = createRecoveryCodes()
    const theirs = createRecoveryCodes()
    expect(useRecoveryCode(theirs.codes[0]!, mine.hashes)).toBeUndefined()
    const code = mine.codes[0]!
    const malformed = [
      '',
      code.slice(0, -1),
      `${code}a`,
      code.replace(/.$/, 'u'),
      `${code}${' '.repeat(60)}`,
      'x'.repeat(10_000),
    ]
    for (const typed of malformed) expect(useRecoveryCode(typed, mine.hashes), typed).toBeUndefined()
    expect(useRecoveryCode(code, [])).toBeUndefined()
    // A corrupt stored entry is skipped, not thrown on.
    expect(useRecoveryCode(code, ['zz', 'abcd', ...mine.hashes])).toBe(2)
  })
})
