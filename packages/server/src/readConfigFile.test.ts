import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readConfigFile } from './config.ts'

const file = (text: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'bursar-config-')), 'config.json')
  writeFileSync(path, text)
  return path
}

describe('readConfigFile', () => {
  test('a JSON object is read as it is', () => {
    expect(readConfigFile(file('{"port": 9000, "databaseUrl": "postgres://x"}'))).toEqual({
      port: 9000,
      databaseUrl: 'postgres://x',
    })
    expect(readConfigFile(undefined)).toEqual({})
  })

  test.each([
    ['not JSON', '{port: 1}', 'not valid JSON'],
    ['not an object', '[1, 2]', 'must hold a JSON object'],
    ['a test-only switch', '{"validateResponses": true}', 'for tests only'],
  ])('error: %s → CONFIG_INVALID', (_what, text, message) => {
    expect(() => readConfigFile(file(text))).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    expect(() => readConfigFile(file(text))).toThrow(message)
  })
})
