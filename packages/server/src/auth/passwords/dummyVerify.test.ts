import * as argon2 from '@node-rs/argon2'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { dummyVerify } from './dummyVerify.ts'
import { hashPassword } from './hashPassword.ts'
import { dummyPasswordHash } from './passwordParameters.ts'
import { verifyPassword } from './verifyPassword.ts'

// Watch the library's verify without changing it: the argon2 work is what must be alike, not the wall-clock time
// (no timing assertions here; they flake on a busy machine and prove little).
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>()
  return { ...original, verify: vi.fn(original.verify) }
})

const password = 'correct horse battery staple'
const parametersOf = (phc: string) => phc.split('$').slice(1, 4).join('$')

afterEach(() => {
  vi.mocked(argon2.verify).mockClear()
})

describe('dummyVerify', () => {
  test('always fails, whatever is typed, in the shape of a wrong password', async () => {
    for (const typed of [password, '', 'a'.repeat(5000), '\ud800']) {
      expect(await dummyVerify(typed)).toEqual({ ok: false, needsRehash: false })
    }
  })

  test('an unknown email costs one full argon2 verification, as a known email with a wrong password does', async () => {
    const stored = await hashPassword(password)
    if (!stored.ok) return expect.unreachable()
    await verifyPassword('wrong password entirely', stored.phc)
    await dummyVerify('wrong password entirely')
    const calls = vi.mocked(argon2.verify).mock.calls
    expect(calls.map(([phc]) => phc)).toEqual([stored.phc, dummyPasswordHash])
    expect(calls.map(([, typed]) => typed)).toEqual(['wrong password entirely', 'wrong password entirely'])
  })

  test('its hash is at exactly the cost of a hash made today (else an unknown email answers faster)', async () => {
    const stored = await hashPassword(password)
    if (!stored.ok) return expect.unreachable()
    expect(
      parametersOf(dummyPasswordHash),
      'passwordHashOptions changed: regenerate dummyPasswordHash (hash 32 random bytes, throw them away)',
    ).toBe(parametersOf(stored.phc))
    expect(argon2.parseOptions(dummyPasswordHash).saltLen).toBe(16)
  })
})
