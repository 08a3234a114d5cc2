import { expect, test } from 'vitest'
import { addressKey } from './addressKey.ts'

test('an IPv4 address is itself', () => {
  expect(addressKey('192.0.2.1')).toBe('192.0.2.1')
})

test('an IPv4-mapped IPv6 address is its IPv4 address', () => {
  expect(addressKey('::ffff:192.0.2.1')).toBe('192.0.2.1')
})

test('IPv6 addresses of one /64 share a key, whatever their spelling', () => {
  const keys = ['2001:db8:1:2::1', '2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:DB8:1:2:a:b:c:d'].map(
    addressKey,
  )
  expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']))
  expect(addressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64')
})

test('compressed forms expand before the /64 is taken', () => {
  expect(addressKey('::1')).toBe('0:0:0:0::/64')
  expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64')
  expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
})
