import { createHash } from 'node:crypto'
import { describe, expect, test } from 'vitest'
import { throttleKeys } from './throttleKeys.ts'

describe('throttleKeys', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

  test('an account is keyed by its id, whatever the email was typed as', () => {
    for (const email of ['alice@example.com', 'ALICE@example.com', 'alice@new.example']) {
      expect(throttleKeys({ accountId: 'acc_1', email, sourceAddress: '203.0.113.7' }).account).toBe(
        'account:acc_1',
      )
    }
  })

  test('an email with no account is keyed too, case-folded and hashed: the throttle does not reveal who has one', () => {
    const key = `email:${sha256('alice@example.com')}`
    for (const email of [
      'alice@example.com',
      'Alice@Example.COM',
      ' alice@example.com ',
      'ａｌｉｃｅ@example.com',
    ]) {
      const { account } = throttleKeys({ email, sourceAddress: '203.0.113.7' })
      expect(account, email).toBe(key)
    }
    expect(throttleKeys({ email: 'bob@example.com', sourceAddress: '203.0.113.7' }).account).not.toBe(key)
    expect(throttleKeys({ email: 'alice@example.com', sourceAddress: '203.0.113.7' }).account).not.toContain(
      'alice',
    )
    expect(throttleKeys({ email: 'x'.repeat(10_000), sourceAddress: '203.0.113.7' }).account).toHaveLength(70)
  })

  const sources: [sourceAddress: string, key: string][] = [
    ['203.0.113.7', 'ip:203.0.113.7'],
    ['203.0.113.8', 'ip:203.0.113.8'],
    ['::ffff:203.0.113.7', 'ip:203.0.113.7'],
    ['::FFFF:cb00:7107', 'ip:203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', 'ip:203.0.113.7'],
    ['2001:db8:0:1:a:b:c:d', 'ip:2001:db8:0:1::/64'],
    ['2001:db8:0:1::1', 'ip:2001:db8:0:1::/64'],
    ['2001:0DB8:0000:0001:ffff:ffff:ffff:ffff', 'ip:2001:db8:0:1::/64'],
    ['2001:db8:0:2::1', 'ip:2001:db8:0:2::/64'],
    ['2001:db8::1', 'ip:2001:db8:0:0::/64'],
    ['1:2:3:4:5:6:7:8', 'ip:1:2:3:4::/64'],
    ['1:2:3:4:5:6:7::', 'ip:1:2:3:4::/64'],
    ['::1', 'ip:0:0:0:0::/64'],
    ['::', 'ip:0:0:0:0::/64'],
    ['fe80::1%eth0', 'ip:fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', 'ip:64:ff9b:0:0::/64'],
    ['::ffff:0:192.0.2.1', 'ip:0:0:0:0::/64'],
  ]
  for (const [sourceAddress, key] of sources) {
    test(`source ${sourceAddress} → ${key}`, () => {
      expect(throttleKeys({ email: 'alice@example.com', sourceAddress }).source).toBe(key)
    })
  }

  test('error: a source that is not an IP address throws INTERNAL, without quoting it', () => {
    for (const sourceAddress of [
      '',
      'localhost',
      '203.0.113.7:443',
      '[::1]',
      '203.0.113.256',
      '1.2.3.04',
      ' 203.0.113.7',
      '2001:db8::1::2',
      `evil-${'x'.repeat(10_000)}`,
      undefined as unknown as string,
    ]) {
      let error: unknown
      try {
        throttleKeys({ email: 'alice@example.com', sourceAddress })
      } catch (thrown) {
        error = thrown
      }
      expect(error, String(sourceAddress).slice(0, 40)).toMatchObject({ code: 'INTERNAL' })
      if (sourceAddress) expect((error as Error).message).not.toContain(sourceAddress)
    }
  })
})
