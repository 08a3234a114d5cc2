import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { errorCodes } from '../src/errors/codes.ts'

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

test('docs/errors.md documents every error code with its HTTP status', () => {
  // Table cells may be padded by the formatter: match the row, not its spacing.
  const rows = new Map<string, number>()
  for (const match of doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm))
    rows.set(match[1]!, Number(match[2]))
  const wrong = Object.entries(errorCodes).filter(([code, status]) => rows.get(code) !== status)
  expect(wrong).toEqual([])
})
