import { webhookSignatureHeader as sdkHeader, verifyWebhook } from '@bursar/sdk'
import { describe, expect, test } from 'vitest'
import { newWebhookSecret } from './newWebhookSecret.ts'
import { signWebhook, webhookSignatureHeader } from './signWebhook.ts'

const secret = 'whsec_dGVzdC12ZWN0b3Itc2VjcmV0LW5vdC1mb3ItdXNlLTAwMDA'
const body = '{"type":"intent.confirmed","id":"int_1"}'
const timestamp = 1767225600
const now = new Date(timestamp * 1000)

describe('signWebhook', () => {
  test('matches the known-answer vector', () => {
    // Computed once with node:crypto: createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex').
    // A change to the format fails here before any receiver notices.
    expect(signWebhook({ secret, body, timestamp })).toBe(
      't=1767225600,v1=ac174c9aa46123aca3b7a97c441f90a50008c56b675523f588b747098fdaf627',
    )
  })

  test('a Uint8Array body signs like the same string', () => {
    const bytes = new TextEncoder().encode(body)
    expect(signWebhook({ secret, body: bytes, timestamp })).toBe(signWebhook({ secret, body, timestamp }))
  })

  test('rotation: one v1 per secret, in order', () => {
    const header = signWebhook({ secrets: ['whsec_old', secret], body, timestamp })
    expect(header).toBe(
      't=1767225600,v1=58eac1404188e1d6df4d25e4c1de67ea22764c3f14854fdf0170add5d2e2a22f,' +
        'v1=ac174c9aa46123aca3b7a97c441f90a50008c56b675523f588b747098fdaf627',
    )
  })

  test('the header name is the one the SDK documents', () => {
    expect(webhookSignatureHeader).toBe('Bursar-Signature')
    expect(sdkHeader).toBe(webhookSignatureHeader)
  })

  test('error: no secret, an empty secret, or a timestamp that is not whole seconds → throws', () => {
    expect(() => signWebhook({ secrets: [], body, timestamp })).toThrow(RangeError)
    expect(() => signWebhook({ secret: '', body, timestamp })).toThrow(RangeError)
    expect(() => signWebhook({ secret, body, timestamp: Date.now() + 0.5 })).toThrow(RangeError)
    expect(() => signWebhook({ secret, body, timestamp: -1 })).toThrow(RangeError)
  })
})

describe('signWebhook → the SDK verifyWebhook', () => {
  test('a signed delivery verifies', async () => {
    const header = signWebhook({ secret, body, timestamp })
    expect(await verifyWebhook({ secret, body, header, now })).toEqual({ ok: true, timestamp })
  })

  test('a fresh secret round-trips with bytes on the wire', async () => {
    const fresh = newWebhookSecret()
    const bytes = new TextEncoder().encode('{"memo":"café ☕"}')
    const header = signWebhook({ secret: fresh, body: bytes, timestamp })
    expect(await verifyWebhook({ secret: fresh, body: bytes, header, now })).toEqual({ ok: true, timestamp })
    expect(await verifyWebhook({ secret: newWebhookSecret(), body: bytes, header, now })).toEqual({
      ok: false,
      reason: 'mismatch',
    })
  })

  test('during rotation a receiver holding either secret verifies', async () => {
    const [previous, next] = [newWebhookSecret(), newWebhookSecret()]
    const header = signWebhook({ secrets: [previous, next], body, timestamp })
    for (const held of [previous, next])
      expect(await verifyWebhook({ secret: held, body, header, now })).toEqual({ ok: true, timestamp })
  })

  test('error: a tampered body or a stale delivery is refused', async () => {
    const header = signWebhook({ secret, body, timestamp })
    expect(await verifyWebhook({ secret, body: `${body} `, header, now })).toEqual({
      ok: false,
      reason: 'mismatch',
    })
    const later = new Date((timestamp + 301) * 1000)
    expect(await verifyWebhook({ secret, body, header, now: later })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })
})

describe('newWebhookSecret', () => {
  test('is whsec_ and 32 random bytes in unpadded base64url', () => {
    const secret = newWebhookSecret()
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64url')).toHaveLength(32)
    expect(newWebhookSecret()).not.toBe(secret)
  })
})
