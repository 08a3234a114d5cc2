import { parseOptions } from '@node-rs/argon2'
import { describe, expect, test } from 'vitest'
import { createLogger } from '../../logger.ts'
import { hashPassword } from './hashPassword.ts'
import { normalisePassword } from './normalisePassword.ts'
import { verifyPassword } from './verifyPassword.ts'

const password = 'correct horse battery staple'

/** The PHC string of a successful hash; fails the test on a refusal. */
async function phcOf(typed: string): Promise<string> {
  const result = await hashPassword(typed)
  if (!result.ok) return expect.unreachable(`refused: ${result.reason}`)
  return result.phc
}

describe('hashPassword', () => {
  test('argon2id v=19 at m=19456 KiB, t=2, p=1, 32-byte output, a fresh 16-byte salt every time', async () => {
    const first = await phcOf(password)
    const second = await phcOf(password)
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/)
    expect(parseOptions(first)).toEqual({
      algorithm: 2,
      version: 1,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
      outputLen: 32,
      saltLen: 16,
    })
    expect(second).not.toBe(first)
    expect(first).not.toContain(password)
  })

  // Lengths are Unicode code points after NFKC, not UTF-16 units.
  const lengths: [label: string, typed: string, expected: 'ok' | 'too_short' | 'too_long'][] = [
    ['11 characters', 'a'.repeat(11), 'too_short'],
    ['12 characters', 'a'.repeat(12), 'ok'],
    ['the empty password', '', 'too_short'],
    ['11 emoji (22 UTF-16 units)', '🔑'.repeat(11), 'too_short'],
    ['12 emoji', '🔑'.repeat(12), 'ok'],
    ['11 × e + combining acute (22 code points typed, 11 after NFKC)', 'e\u0301'.repeat(11), 'too_short'],
    ['4 × the ligature ﬃ (4 typed, 12 after NFKC)', 'ﬃ'.repeat(4), 'ok'],
    ['1024 characters', 'a'.repeat(1024), 'ok'],
    ['1025 characters', 'a'.repeat(1025), 'too_long'],
    ['512 × ﬃ (512 typed, 1536 after NFKC)', 'ﬃ'.repeat(512), 'too_long'],
    ['a megabyte', 'a'.repeat(1 << 20), 'too_long'],
  ]
  for (const [label, typed, expected] of lengths) {
    test(`${expected === 'ok' ? 'accepts' : `error: refuses as ${expected}`} ${label}`, async () => {
      const result = await hashPassword(typed)
      if (expected === 'ok')
        expect(result).toMatchObject({ ok: true, phc: expect.stringMatching(/^\$argon2id\$/) })
      else expect(result).toEqual({ ok: false, reason: expected })
    })
  }

  test('no composition rules: lower-case letters and spaces only are fine when long enough', async () => {
    expect(await hashPassword('aaaa bbbb cccc')).toMatchObject({ ok: true })
  })

  test('NFKC: the password typed full-width, or decomposed, verifies against the one hashed', async () => {
    const phc = await phcOf('Crème brûlée, twice')
    for (const typed of [
      'Crème brûlée, twice'.normalize('NFD'),
      'Crème brûlée, twice'.normalize('NFC'),
      'Ｃｒèｍｅ ｂｒûｌéｅ， ｔｗｉｃｅ',
    ]) {
      expect(await verifyPassword(typed, phc), typed).toEqual({ ok: true, needsRehash: false })
    }
    expect(await verifyPassword('Creme brulee, twice', phc)).toEqual({ ok: false, needsRehash: false })
  })

  test('error: a lone surrogate is malformed, since two of them would reach argon2 as the same U+FFFD', async () => {
    for (const typed of [`${'a'.repeat(12)}\ud800`, `\udfff${'a'.repeat(12)}`, 42 as unknown as string]) {
      expect(await hashPassword(typed), JSON.stringify(typed)).toEqual({ ok: false, reason: 'malformed' })
    }
    // A well-formed pair is an ordinary character.
    expect(await hashPassword(`${'a'.repeat(11)}\ud83d\udd11`)).toMatchObject({ ok: true })
  })

  test('error: a refusal is a plain result that holds nothing of the password', async () => {
    const secret = 'hunter2-short'
    for (const typed of [secret.slice(0, 11), secret.repeat(100), `${secret}\ud800`]) {
      const result = await hashPassword(typed)
      expect(result.ok).toBe(false)
      expect(JSON.stringify(result)).not.toContain(secret.slice(0, 6))
      expect(Object.keys(result).sort()).toEqual(['ok', 'reason'])
    }
  })
})

describe('normalisePassword', () => {
  test('returns the NFKC form and its length in code points', () => {
    expect(normalisePassword('ｃｏｒｒｅｃｔ horse')).toEqual({
      ok: true,
      normalised: 'correct horse',
      length: 13,
    })
    expect(normalisePassword('🔑é')).toEqual({ ok: true, normalised: '🔑é', length: 2 })
  })
})

describe('logs', () => {
  test('error: a log line carrying a password, its NFKC form or its hash shows none of them', async () => {
    const lines: string[] = []
    const logger = createLogger('info', { write: (line: string) => lines.push(line) })
    const typed = 'Ｓｅｃｒｅｔ passphrase 42'
    const phc = await phcOf(typed)
    const normalised = normalisePassword(typed)
    if (!normalised.ok) return expect.unreachable()
    logger.info({ password: typed, passwordHash: phc }, 'login attempt')
    logger.info({ body: { email: 'alice@example.com', password: normalised.normalised } }, 'request body')
    logger.info({ account: { id: 'acc_1', password_hash: phc } }, 'account row')
    logger.info({ body: { currentPassword: typed, newPassword: typed } }, 'password change')
    const text = lines.join('\n')
    expect(lines).toHaveLength(4)
    expect(text).toContain('alice@example.com')
    expect(text).toContain('acc_1')
    for (const part of [typed, normalised.normalised, phc, phc.split('$').at(-1)!, phc.split('$').at(-2)!]) {
      expect(text).not.toContain(part)
    }
  })
})
