import { BursarError } from '@bursar/core/errors'
import { describe, expect, test } from 'vitest'
import { isValidEvmAddress } from './isValidEvmAddress.ts'
import { toChecksumAddress } from './toChecksumAddress.ts'

const checksummed = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const lower = checksummed.toLowerCase()
const upper = `0x${checksummed.slice(2).toUpperCase()}`
// One letter's case flipped: still hex, but no longer the EIP-55 form.
const badChecksum = '0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266'

describe('isValidEvmAddress', () => {
  test('accepts a checksummed, an all-lowercase and an all-uppercase address', () => {
    expect(isValidEvmAddress(checksummed)).toBe(true)
    expect(isValidEvmAddress(lower)).toBe(true)
    expect(isValidEvmAddress(upper)).toBe(true)
  })

  test('rejects mixed case with a wrong checksum', () => {
    expect(isValidEvmAddress(badChecksum)).toBe(false)
  })

  test('requireChecksum rejects addresses without a checksum', () => {
    expect(isValidEvmAddress(checksummed, { requireChecksum: true })).toBe(true)
    expect(isValidEvmAddress(lower, { requireChecksum: true })).toBe(false)
    expect(isValidEvmAddress(upper, { requireChecksum: true })).toBe(false)
    expect(isValidEvmAddress(badChecksum, { requireChecksum: true })).toBe(false)
  })

  test('rejects wrong length, missing prefix and non-hex characters', () => {
    expect(isValidEvmAddress(checksummed.slice(0, -1))).toBe(false)
    expect(isValidEvmAddress(`${lower}0`)).toBe(false)
    expect(isValidEvmAddress(lower.slice(2))).toBe(false)
    expect(isValidEvmAddress(`0X${lower.slice(2)}`)).toBe(false)
    expect(isValidEvmAddress(`0x${'g'.repeat(40)}`)).toBe(false)
    expect(isValidEvmAddress('')).toBe(false)
  })
})

describe('toChecksumAddress', () => {
  test('returns the EIP-55 form of lowercase and uppercase input', () => {
    expect(toChecksumAddress(lower)).toBe(checksummed)
    expect(toChecksumAddress(upper)).toBe(checksummed)
    expect(toChecksumAddress(checksummed)).toBe(checksummed)
  })

  test('error: INVALID_ADDRESS for a wrong checksum or garbage', () => {
    for (const input of [badChecksum, 'not an address', '0x1234']) {
      expect(() => toChecksumAddress(input)).toThrow(BursarError)
      try {
        toChecksumAddress(input)
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_ADDRESS' })
      }
    }
  })
})
