import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { errorCodes } from '../src/errors/codes.ts'

const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8')

test('docs/errors.md documents every error code with its HTTP status', () => {
  const missing = Object.entries(errorCodes).filter(
    ([code, status]) => !doc.includes(`| \`${code}\` | ${status} |`),
  )
  expect(missing).toEqual([])
})
