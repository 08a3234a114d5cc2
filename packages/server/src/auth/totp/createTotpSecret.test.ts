import { generateSync, ScureBase32Plugin } from 'otplib'
import { describe, expect, test } from 'vitest'
import { createTotpSecret } from './createTotpSecret.ts'
import { totpQrSvg } from './totpQrSvg.ts'
import { totpUri } from './totpUri.ts'
import { verifyTotp } from './verifyTotp.ts'

describe('createTotpSecret', () => {
  test('160 bits in unpadded base32, new every time', () => {
    const secrets = Array.from({ length: 50 }, createTotpSecret)
    for (const secret of secrets) {
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      expect(new ScureBase32Plugin().decode(secret)).toHaveLength(20)
    }
    expect(new Set(secrets).size).toBe(secrets.length)
  })

  test('a secret round-trips through an authenticator: the code it shows verifies', () => {
    const secret = createTotpSecret()
    const now = new Date()
    const code = generateSync({ secret, epoch: Math.floor(now.getTime() / 1000) })
    expect(verifyTotp({ secret, code, now })).toMatchObject({ ok: true })
  })
})

describe('totpUri', () => {
  test('otpauth://totp/Bursar:<account> with the secret and issuer; the SHA-1/6/30 s defaults implied', () => {
    const secret = createTotpSecret()
    const uri = totpUri({ secret, account: 'alice+ops@example.com', issuer: 'Bursar' })
    const url = new URL(uri)
    expect(url.protocol).toBe('otpauth:')
    expect(url.host).toBe('totp')
    expect(decodeURIComponent(url.pathname)).toBe('/Bursar:alice+ops@example.com')
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret, issuer: 'Bursar' })
  })

  test('error: an empty account or one with a colon (the label separator) is refused, without the secret', () => {
    const secret = createTotpSecret()
    for (const account of ['', '  ', 'ops:alice', 'a'.repeat(255)]) {
      let error: unknown
      try {
        totpUri({ secret, account, issuer: 'Bursar' })
      } catch (thrown) {
        error = thrown
      }
      expect(error, JSON.stringify(account)).toMatchObject({ code: 'VALIDATION_FAILED' })
      expect(String((error as Error).message)).not.toContain(secret)
    }
  })
})

describe('totpQrSvg', () => {
  test('an SVG document of the QR code, the same for the same URI, different for another', () => {
    const uri = totpUri({ secret: createTotpSecret(), account: 'alice@example.com', issuer: 'Bursar' })
    const svg = totpQrSvg(uri)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 (\d+) \1">.*<\/svg>$/)
    expect(svg).toContain('<path')
    expect(totpQrSvg(uri)).toBe(svg)
    expect(
      totpQrSvg(totpUri({ secret: createTotpSecret(), account: 'alice@example.com', issuer: 'Bursar' })),
    ).not.toBe(svg)
  })
})
