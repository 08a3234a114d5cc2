import { readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { canonicalJson } from '../src/audit/canonicalJson.ts'

const vectors = JSON.parse(
  readFileSync(new URL('../../../../shared/vectors/rfc8785-jcs.json', import.meta.url), 'utf8'),
) as {
  cases: Array<{ name: string; input: string; expected: string; expectedHex: string }>
}

describe('RFC 8785 JSON Canonicalization Scheme', () => {
  test('vector file holds the six published cases', () => {
    expect(vectors.cases.map((c) => c.name).sort()).toEqual([
      'arrays',
      'french',
      'structures',
      'unicode',
      'values',
      'weird',
    ])
  })
  test.each(vectors.cases)('$name canonicalises byte-for-byte', ({ input, expected, expectedHex }) => {
    const output = canonicalJson(JSON.parse(input))
    expect(output).toBe(expected)
    expect(Buffer.from(output, 'utf8').toString('hex')).toBe(expectedHex.replace(/\s+/g, '').toLowerCase())
  })
  test('error: NaN and bigint are not JSON', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/)
    expect(() => canonicalJson({ a: 1n })).toThrow(/decimal strings/)
  })
})
