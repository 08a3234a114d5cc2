import { type Algorithm, hash, type Options, type Version } from '@node-rs/argon2'
import { describe, expect, test } from 'vitest'
import { hashPassword } from './hashPassword.ts'
import { passwordHashOptions } from './passwordParameters.ts'
import { verifyPassword } from './verifyPassword.ts'

const password = 'correct horse battery staple'
const today: Options = { ...passwordHashOptions }

/** Everything a thrown value exposes: message, details, cause and stack. */
function exposed(error: unknown): string {
  const { message, stack, details, cause } = error as Error & { details?: unknown }
  return [message, stack, JSON.stringify(details), String(cause)].join('\n')
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  return expect.unreachable('it verified')
}

describe('verifyPassword', () => {
  test('the right password verifies, needing no rehash; a wrong, empty or longer one does not', async () => {
    const result = await hashPassword(password)
    if (!result.ok) return expect.unreachable()
    expect(await verifyPassword(password, result.phc)).toEqual({ ok: true, needsRehash: false })
    for (const typed of [
      'correct horse battery stapl',
      `${password} `,
      password.toUpperCase(),
      '',
      'x'.repeat(2000),
    ]) {
      expect(await verifyPassword(typed, result.phc), typed.slice(0, 40)).toEqual({
        ok: false,
        needsRehash: false,
      })
    }
  })

  test('a password shorter than today’s minimum still verifies if it was stored under an older rule', async () => {
    const phc = await hash('short', today)
    expect(await verifyPassword('short', phc)).toEqual({ ok: true, needsRehash: false })
  })

  // Stored hashes made with other options: is the right password told to rehash?
  const rehash: [label: string, options: Options, needsRehash: boolean][] = [
    ['today’s options', today, false],
    ['less memory (8 MiB)', { ...today, memoryCost: 8192 }, true],
    ['one pass', { ...today, timeCost: 1 }, true],
    ['argon2i', { ...today, algorithm: 1 as Algorithm }, true],
    ['argon2d', { ...today, algorithm: 0 as Algorithm }, true],
    ['version 0x10', { ...today, version: 0 as Version }, true],
    ['a 16-byte output', { ...today, outputLen: 16 }, true],
    ['an 8-byte salt', { ...today, salt: new Uint8Array(8).fill(7) }, true],
    ['more memory and passes than today', { ...today, memoryCost: 32_768, timeCost: 3 }, false],
    ['more lanes (parallelism is not strength)', { ...today, parallelism: 2 }, false],
  ]
  for (const [label, options, needsRehash] of rehash) {
    test(`needsRehash is ${needsRehash} for a hash with ${label}; a wrong password never asks for one`, async () => {
      const phc = await hash(password, options)
      expect(await verifyPassword(password, phc)).toEqual({ ok: true, needsRehash })
      expect(await verifyPassword('wrong password entirely', phc)).toEqual({ ok: false, needsRehash: false })
    })
  }

  test('error: a corrupt or foreign stored hash throws INTERNAL quoting neither the hash nor the password', async () => {
    const phc = await hash(password, today)
    const corrupt = [
      '',
      'garbage',
      phc.slice(0, -10),
      phc.replace('argon2id', 'argon2x'),
      phc.replace('m=19456', 'm=1'),
      `${phc}${'A'.repeat(1000)}`,
      '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
      42 as unknown as string,
    ]
    for (const stored of corrupt) {
      const error = await thrownBy(verifyPassword(password, stored))
      expect(error, String(stored).slice(0, 40)).toMatchObject({ code: 'INTERNAL' })
      expect((error as Error).cause).toBeUndefined()
      const text = exposed(error)
      for (const part of [password, String(stored), phc.split('$').at(-1)!]) {
        if (part.length > 2) expect(text).not.toContain(part)
      }
    }
  })

  test('error: a stored hash asking for 4 GiB or a million passes is refused before argon2 allocates it', async () => {
    const [, , , , salt, digest] = (await hash(password, today)).split('$')
    for (const cost of ['m=4294967295,t=2,p=1', 'm=19456,t=1000000,p=1', 'm=19456,t=2,p=255']) {
      const stored = `$argon2id$v=19$${cost}$${salt}$${digest}`
      expect(await thrownBy(verifyPassword(password, stored)), cost).toMatchObject({ code: 'INTERNAL' })
    }
  })
})
