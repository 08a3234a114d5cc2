import { generateSync } from 'otplib'
import { describe, expect, test } from 'vitest'
import { createTotpSecret } from './createTotpSecret.ts'
import { verifyTotp } from './verifyTotp.ts'

const secret = createTotpSecret()
const step = 58_000_000 // 2025-02
const codeAt = (s: number) => generateSync({ secret, epoch: s * 30 })
const startOf = (s: number) => new Date(s * 30_000)
const endOf = (s: number) => new Date(s * 30_000 + 29_999)

/** A well-formed code that is none of the steps around `s`. */
function wrongCode(s: number): string {
  const near = new Set([-2, -1, 0, 1, 2].map((d) => codeAt(s + d)))
  let n = Number(codeAt(s))
  while (near.has(String(n).padStart(6, '0'))) n = (n + 1) % 1_000_000
  return String(n).padStart(6, '0')
}

/** Everything a thrown value exposes: message, details, cause and stack. */
function exposed(error: unknown): string {
  const { message, stack, details, cause } = error as Error & { details?: unknown }
  return [message, stack, JSON.stringify(details), String(cause)].join('\n')
}

describe('verifyTotp', () => {
  for (const [edge, now] of [
    ['first', startOf(step)],
    ['last', endOf(step)],
  ] as const) {
    test(`accepts the current step and one step of drift either way, at the ${edge} millisecond of a step`, () => {
      for (const drift of [-1, 0, 1]) {
        expect(verifyTotp({ secret, code: codeAt(step + drift), now }), `drift ${drift}`).toEqual({
          ok: true,
          step: step + drift,
        })
      }
    })

    test(`refuses two steps of drift either way as invalid, at the ${edge} millisecond of a step`, () => {
      for (const drift of [-2, 2]) {
        expect(verifyTotp({ secret, code: codeAt(step + drift), now }), `drift ${drift}`).toEqual({
          ok: false,
          reason: 'invalid',
        })
      }
    })
  }

  test('refuses a wrong code as invalid', () => {
    expect(verifyTotp({ secret, code: wrongCode(step), now: startOf(step) })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  test('error: the code just used is refused as replayed, in the same step and the next', () => {
    const code = codeAt(step)
    const first = verifyTotp({ secret, code, now: startOf(step) })
    expect(first).toEqual({ ok: true, step })
    expect(verifyTotp({ secret, code, now: endOf(step), lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'replayed',
    })
    expect(verifyTotp({ secret, code, now: startOf(step + 1), lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'replayed',
    })
  })

  test('error: a code of a step before the last used one is replayed; the next step still works', () => {
    const now = startOf(step)
    expect(verifyTotp({ secret, code: codeAt(step - 1), now, lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'replayed',
    })
    expect(verifyTotp({ secret, code: codeAt(step + 1), now, lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
    })
    expect(verifyTotp({ secret, code: wrongCode(step), now, lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'invalid',
    })
  })

  test('error: after the newest step in the window was used (or the clock went back) nothing passes, nothing throws', () => {
    for (const lastUsedStep of [step + 1, step + 5]) {
      const now = startOf(step)
      expect(verifyTotp({ secret, code: codeAt(step), now, lastUsedStep })).toEqual({
        ok: false,
        reason: 'replayed',
      })
      expect(verifyTotp({ secret, code: wrongCode(step), now, lastUsedStep })).toEqual({
        ok: false,
        reason: 'invalid',
      })
    }
  })

  test('whitespace anywhere is ignored: "123 456", a pasted newline, a no-break space', () => {
    const code = codeAt(step)
    for (const typed of [
      ` ${code} `,
      `${code.slice(0, 3)} ${code.slice(3)}`,
      `${code}\n`,
      `${code.slice(0, 3)}\u00a0${code.slice(3)}`,
    ]) {
      expect(verifyTotp({ secret, code: typed, now: startOf(step) }), JSON.stringify(typed)).toEqual({
        ok: true,
        step,
      })
    }
  })

  test('error: anything but six ASCII digits is malformed, before any HMAC', () => {
    const code = codeAt(step)
    const malformed = [
      '',
      '   ',
      code.slice(0, 5),
      `${code}0`,
      `${code.slice(0, 5)}a`,
      `${code.slice(0, 3)}-${code.slice(3)}`,
      `+${code.slice(1)}`,
      '١٢٣٤٥٦',
      '１２３４５６',
      `${code}${' '.repeat(40)}`,
      '1'.repeat(10_000),
      42 as unknown as string,
    ]
    for (const typed of malformed) {
      expect(verifyTotp({ secret, code: typed, now: startOf(step) }), JSON.stringify(typed)).toEqual({
        ok: false,
        reason: 'malformed',
      })
    }
  })

  test('error: a corrupt stored secret throws INTERNAL that quotes neither the secret nor the code', () => {
    // A base32 error from the library names the offending letter; nothing of it may reach the error.
    const corrupt = `${secret.slice(0, 10)}0189${secret.slice(14)}`
    const code = codeAt(step)
    const error = (() => {
      try {
        verifyTotp({ secret: corrupt, code, now: startOf(step) })
      } catch (thrown) {
        return thrown
      }
      return expect.unreachable('a corrupt secret was used')
    })()
    expect(error).toMatchObject({ code: 'INTERNAL' })
    expect((error as Error).cause).toBeUndefined()
    const text = exposed(error)
    for (const part of [corrupt, secret.slice(0, 10), code, 'Unknown letter'])
      expect(text).not.toContain(part)
  })

  test('error: a corrupt last used step or clock throws INTERNAL instead of letting a code through', () => {
    const code = codeAt(step)
    for (const lastUsedStep of [Number.NaN, -1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => verifyTotp({ secret, code, now: startOf(step), lastUsedStep })).toThrow(
        expect.objectContaining({ code: 'INTERNAL' }),
      )
    }
    expect(() => verifyTotp({ secret, code, now: new Date(Number.NaN) })).toThrow(
      expect.objectContaining({ code: 'INTERNAL' }),
    )
  })
})
