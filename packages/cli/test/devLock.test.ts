import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { acquireDevLock } from '../src/commands/devLock.ts'

test('error: a second bursar dev on the same data directory is refused until the first releases it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bursar-lock-'))
  const release = acquireDevLock(dir)
  expect(() => acquireDevLock(dir)).toThrow(expect.objectContaining({ code: 'ALREADY_RUNNING' }))
  release()
  acquireDevLock(dir)()
})

test('a lock left by a process that is gone is taken over', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bursar-lock-'))
  writeFileSync(join(dir, 'lock'), '2147483646')
  const release = acquireDevLock(dir)
  expect(() => acquireDevLock(dir)).toThrow(expect.objectContaining({ code: 'ALREADY_RUNNING' }))
  release()
})
