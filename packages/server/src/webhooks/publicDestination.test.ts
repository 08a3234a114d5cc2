import { describe, expect, test } from 'vitest'
import { isNonPublicAddress, nonPublicDestination } from './publicDestination.ts'

describe('webhook destinations (SSRF guard)', () => {
  test('loopback, private, link-local (cloud metadata), unique-local and mapped addresses are not public', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd12:3456::1',
      '::ffff:127.0.0.1',
      'not an address',
    ])
      expect(isNonPublicAddress(address), address).toBe(true)
  })

  test('public addresses pass', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])
      expect(isNonPublicAddress(address), address).toBe(false)
  })

  test('a URL is judged by what its host resolves to: an IP literal, a name for loopback', async () => {
    expect(await nonPublicDestination('http://127.0.0.1:9/hook')).toMatch(/loopback/)
    expect(await nonPublicDestination('http://[::1]:9/hook')).toMatch(/loopback/)
    expect(await nonPublicDestination('http://localhost:9/hook')).toMatch(/loopback/)
    expect(await nonPublicDestination('https://93.184.216.34/hook')).toBeUndefined()
    expect(await nonPublicDestination('https://name.invalid/hook')).toBe('the host name does not resolve')
  })
})
