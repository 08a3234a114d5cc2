import { readVector } from '@bursar/testing/vectors'
import { generateSync, ScureBase32Plugin } from 'otplib'
import { describe, expect, test } from 'vitest'
import { verifyTotp } from './verifyTotp.ts'

type Mode = 'SHA1' | 'SHA256' | 'SHA512'
type Rfc6238 = {
  timeStep: number
  t0: number
  digits: number
  seeds: Record<Mode, { ascii: string; hex: string }>
  vectors: { time: number; counterHex: string; totp: string; mode: Mode }[]
}

const rfc = readVector<Rfc6238>('rfc6238-totp.json')
const base32 = new ScureBase32Plugin()
const seedOf = (mode: Mode) => Buffer.from(rfc.seeds[mode].hex, 'hex')

describe('RFC 6238 Appendix B', () => {
  test('the file is the published table: 18 rows, T0 = 0, X = 30 s, 8 digits', () => {
    expect(rfc.vectors).toHaveLength(18)
    expect({ timeStep: rfc.timeStep, t0: rfc.t0, digits: rfc.digits }).toEqual({
      timeStep: 30,
      t0: 0,
      digits: 8,
    })
  })

  for (const { time, counterHex, totp, mode } of rfc.vectors) {
    test(`otplib reproduces ${mode} at T = ${time}: ${totp}`, () => {
      expect(Math.floor(time / 30)).toBe(Number.parseInt(counterHex, 16))
      const code = generateSync({
        secret: seedOf(mode),
        epoch: time,
        t0: rfc.t0,
        period: rfc.timeStep,
        digits: 8,
        algorithm: mode === 'SHA1' ? 'sha1' : mode === 'SHA256' ? 'sha256' : 'sha512',
      })
      expect(code).toBe(totp)
    })
  }

  // Bursar enrols SHA-1 with 6 digits. A code is the HOTP value mod 10^digits, so the 6-digit code is the last six
  // digits of the table's 8-digit one: each SHA-1 row is also a case for verifyTotp itself.
  for (const { time, counterHex, totp } of rfc.vectors.filter((row) => row.mode === 'SHA1')) {
    test(`verifyTotp accepts the 6-digit SHA-1 code at T = ${time} and returns its step`, () => {
      const secret = base32.encode(seedOf('SHA1'), { padding: false })
      expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
      const now = new Date(time * 1000)
      expect(verifyTotp({ secret, code: totp.slice(-6), now })).toEqual({
        ok: true,
        step: Number.parseInt(counterHex, 16),
      })
    })
  }
})
