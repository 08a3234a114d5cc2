import { createHmac } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { verifyWebhook } from './verifyWebhook.ts'

// Signed here with node:crypto, independently of the server's signWebhook.
const sign = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')

const secret = 'whsec_dGVzdC12ZWN0b3Itc2VjcmV0LW5vdC1mb3ItdXNlLTAwMDA'
const body = '{"type":"intent.confirmed","id":"int_1"}'
const timestamp = 1767225600
const now = new Date(timestamp * 1000)
const header = `t=${timestamp},v1=${sign(secret, timestamp, body)}`

describe('verifyWebhook', () => {
  test('accepts the known-answer vector', async () => {
    const vector = 't=1767225600,v1=ac174c9aa46123aca3b7a97c441f90a50008c56b675523f588b747098fdaf627'
    expect(header).toBe(vector)
    expect(await verifyWebhook({ secret, body, header: vector, now })).toEqual({ ok: true, timestamp })
  })

  test('a Uint8Array body verifies like the same string', async () => {
    const bytes = new TextEncoder().encode(body)
    expect(await verifyWebhook({ secret, body: bytes, header, now })).toEqual({ ok: true, timestamp })
  })

  test('non-ASCII bodies are signed over their UTF-8 bytes', async () => {
    const text = '{"memo":"café ☕"}'
    const signed = `t=${timestamp},v1=${sign(secret, timestamp, text)}`
    expect(
      await verifyWebhook({ secret, body: new TextEncoder().encode(text), header: signed, now }),
    ).toEqual({
      ok: true,
      timestamp,
    })
  })

  test('error: a tampered body → mismatch', async () => {
    const result = await verifyWebhook({ secret, body: body.replace('int_1', 'int_2'), header, now })
    expect(result).toEqual({ ok: false, reason: 'mismatch' })
  })

  test('error: the wrong secret → mismatch', async () => {
    const result = await verifyWebhook({ secret: `${secret}x`, body, header, now })
    expect(result).toEqual({ ok: false, reason: 'mismatch' })
  })

  test('error: a changed timestamp with the old signature → mismatch', async () => {
    const forged = header.replace(`t=${timestamp}`, `t=${timestamp + 1}`)
    expect(await verifyWebhook({ secret, body, header: forged, now })).toEqual({
      ok: false,
      reason: 'mismatch',
    })
  })

  test('accepts timestamps up to the tolerance either side, and refuses beyond it → expired', async () => {
    const at = (offset: number) => new Date((timestamp + offset) * 1000)
    expect((await verifyWebhook({ secret, body, header, now: at(300) })).ok).toBe(true)
    expect((await verifyWebhook({ secret, body, header, now: at(-300) })).ok).toBe(true)
    // Replayed later, and signed in the future: both outside the window.
    expect(await verifyWebhook({ secret, body, header, now: at(301) })).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(await verifyWebhook({ secret, body, header, now: at(-301) })).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(await verifyWebhook({ secret, body, header, now: at(30), toleranceSeconds: 10 })).toEqual({
      ok: false,
      reason: 'expired',
    })
  })

  test('defaults now to the clock', async () => {
    const t = Math.floor(Date.now() / 1000)
    const fresh = `t=${t},v1=${sign(secret, t, body)}`
    expect(await verifyWebhook({ secret, body, header: fresh })).toEqual({ ok: true, timestamp: t })
    expect(await verifyWebhook({ secret, body, header })).toEqual({ ok: false, reason: 'expired' })
  })

  test('rotation: either of two v1 values verifies', async () => {
    const oldSecret = 'whsec_old'
    const both = `t=${timestamp},v1=${sign(oldSecret, timestamp, body)},v1=${sign(secret, timestamp, body)}`
    expect(await verifyWebhook({ secret, body, header: both, now })).toEqual({ ok: true, timestamp })
    expect(await verifyWebhook({ secret: oldSecret, body, header: both, now })).toEqual({
      ok: true,
      timestamp,
    })
    expect(await verifyWebhook({ secret: 'whsec_other', body, header: both, now })).toEqual({
      ok: false,
      reason: 'mismatch',
    })
  })

  test('ignores unknown schemes and whitespace around parts', async () => {
    const v1 = sign(secret, timestamp, body)
    const withExtras = ` t=${timestamp}, v0=abc , v1=${v1.toUpperCase()}`
    expect(await verifyWebhook({ secret, body, header: withExtras, now })).toEqual({ ok: true, timestamp })
  })

  test('accepts the header as an array of values', async () => {
    const v1 = sign(secret, timestamp, body)
    expect(await verifyWebhook({ secret, body, header: [`t=${timestamp}`, `v1=${v1}`], now })).toEqual({
      ok: true,
      timestamp,
    })
  })

  const v1 = sign(secret, timestamp, body)
  test.each([
    ['missing header', undefined],
    ['null header', null],
    ['empty header', ''],
    ['missing t', `v1=${v1}`],
    ['missing v1', `t=${timestamp}`],
    ['two timestamps', `t=${timestamp},t=${timestamp},v1=${v1}`],
    ['non-numeric t', `t=abc,v1=${v1}`],
    ['negative t', `t=-1,v1=${v1}`],
    ['fractional t', `t=${timestamp}.5,v1=${v1}`],
    ['huge t', `t=${'9'.repeat(40)},v1=${v1}`],
    ['non-hex v1', `t=${timestamp},v1=${'z'.repeat(64)}`],
    ['short v1', `t=${timestamp},v1=${v1.slice(0, 62)}`],
    ['long v1', `t=${timestamp},v1=${v1}00`],
    ['empty part', `t=${timestamp},,v1=${v1}`],
    ['part without =', `t=${timestamp},v1`],
    ['huge header', `t=${timestamp},v1=${v1},${'x=y,'.repeat(100_000)}`],
    ['too many v1 values', `t=${timestamp}${`,v1=${v1}`.repeat(9)}`],
    ['not a string', 42 as unknown as string],
    ['array of non-strings', [42] as unknown as string[]],
  ])('error: %s → malformed, without throwing', async (_name, malformed) => {
    expect(await verifyWebhook({ secret, body, header: malformed, now })).toEqual({
      ok: false,
      reason: 'malformed',
    })
  })

  test('error: a negative or NaN tolerance is a programming error', async () => {
    await expect(verifyWebhook({ secret, body, header, now, toleranceSeconds: Number.NaN })).rejects.toThrow(
      RangeError,
    )
    await expect(verifyWebhook({ secret, body, header, now, toleranceSeconds: -1 })).rejects.toThrow(
      RangeError,
    )
  })
})
